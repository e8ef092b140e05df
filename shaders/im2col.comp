// cols (N, C*kh*kw, Ho*Wo) from images n0 ... n0+N-1 of x (.., C, H, W):
// entry (n, (c, i, j), (oh, ow)) is x[n0 + n, c, oh*sh - ph + i*dh,
// ow*sw - pw + j*dw], zero outside the image.
#version 430

layout(local_size_x = 256) in;

layout(std430, binding = 0) readonly buffer BufX { float x[]; };
layout(std430, binding = 1) writeonly buffer BufCols { float cols[]; };

uniform int N, C, H, W, kh, kw, Ho, Wo, sh, sw, ph, pw, dh, dw;
uniform int n0;  // image of cols block 0: a chunk of the batch at a time

void main() {
    // Two-dimensional dispatch: past 65535 workgroups the count wraps into y.
    const uint index = (gl_WorkGroupID.y * gl_NumWorkGroups.x + gl_WorkGroupID.x) * 256u +
                       gl_LocalInvocationID.x;
    const int P = Ho * Wo, R = C * kh * kw;
    if (index >= uint(N * R * P)) return;
    const int p = int(index % uint(P)), t = int(index / uint(P));
    const int rr = t % R, n = t / R;
    const int j = rr % kw, i = (rr / kw) % kh, c = rr / (kw * kh);
    const int oh = p / Wo, ow = p % Wo;
    const int ih = oh * sh - ph + i * dh, iw = ow * sw - pw + j * dw;
    float v = 0.0;
    if (ih >= 0 && ih < H && iw >= 0 && iw < W) v = x[(((n0 + n) * C + c) * H + ih) * W + iw];
    cols[index] = v;
}
