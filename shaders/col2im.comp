// Images n0 ... n0+N-1 of x (.., C, H, W) = bias[c] (or 0) + every entry of
// cols (N, C*kh*kw, Ho*Wo) that im2col would have read from that pixel: the
// adjoint of im2col. One invocation gathers one pixel, so no two write the
// same place.
#version 430

layout(local_size_x = 256) in;

layout(std430, binding = 0) readonly buffer BufCols { float cols[]; };
layout(std430, binding = 1) readonly buffer BufBias { float bias[]; };
layout(std430, binding = 2) writeonly buffer BufX { float x[]; };

uniform int N, C, H, W, kh, kw, Ho, Wo, sh, sw, ph, pw, dh, dw;
uniform int n0;  // image of cols block 0: a chunk of the batch at a time
uniform bool has_bias;

void main() {
    const uint index = (gl_WorkGroupID.y * gl_NumWorkGroups.x + gl_WorkGroupID.x) * 256u +
                       gl_LocalInvocationID.x;
    if (index >= uint(N * C * H * W)) return;
    const int iw = int(index % uint(W)), ih = int(index / uint(W)) % H;
    const int c = int(index / uint(W * H)) % C, n = int(index / uint(W * H * C));
    const int P = Ho * Wo, R = C * kh * kw;
    float sum = has_bias ? bias[c] : 0.0;
    for (int i = 0; i < kh; ++i) {
        const int th = ih + ph - i * dh;  // oh * sh
        if (th < 0 || th % sh != 0 || th / sh >= Ho) continue;
        for (int j = 0; j < kw; ++j) {
            const int tw = iw + pw - j * dw;  // ow * sw
            if (tw < 0 || tw % sw != 0 || tw / sw >= Wo) continue;
            sum += cols[(n * R + (c * kh + i) * kw + j) * P + (th / sh) * Wo + tw / sw];
        }
    }
    x[uint(n0 * C * H * W) + index] = sum;
}
