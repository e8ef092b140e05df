// Pixel shuffle and its inverse, a permutation of elements of `words` 32-bit
// words each (1: float32, 2: int64). One invocation per output element.
// Shuffle: y (N, C, H*r, W*r) from x (N, C*r*r, H, W); unshuffle: the reverse.
#version 430

layout(local_size_x = 256) in;

layout(std430, binding = 0) readonly buffer BufX { uint x[]; };
layout(std430, binding = 1) writeonly buffer BufY { uint y[]; };

uniform uint count;  // N * C * r * r * H * W elements
uniform uint H, W, r, words;
uniform bool unshuffle;

void main() {
    const uint index = (gl_WorkGroupID.y * gl_NumWorkGroups.x + gl_WorkGroupID.x) * 256u +
                       gl_LocalInvocationID.x;
    if (index >= count) return;
    const uint Wo = W * r, Ho = H * r, small_plane = H * W, big_plane = Ho * Wo;
    uint src;
    if (unshuffle) {  // index in (N*C, r*r, H, W), read from (N*C, Ho, Wo)
        const uint w = index % W, h = (index / W) % H, ch = (index / small_plane) % (r * r);
        const uint p = index / (small_plane * r * r);
        src = p * big_plane + (h * r + ch / r) * Wo + w * r + ch % r;
    } else {  // index in (N*C, Ho, Wo), read from (N*C, r*r, H, W)
        const uint xo = index % Wo, yo = (index / Wo) % Ho, p = index / big_plane;
        const uint ch = (yo % r) * r + xo % r;
        src = (p * r * r + ch) * small_plane + (yo / r) * W + xo / r;
    }
    for (uint k = 0u; k < words; ++k) y[index * words + k] = x[src * words + k];
}
