// Fused causal self-attention over a packed qkv (B, T, 3C), C = H*D: q, k and
// v of head h are the D channels at h*D of each third. One invocation per
// (sequence b, head h, row) of the (T, T) attention matrix, reading q, k and v
// in place; the causal mask is the loops' bounds (row i sees columns j <= i).
//   pass 0, forward, per row i:  p[i, j] = softmax_j(scale q_i . k_j), zero
//          for j > i, and y[b, i, h*D + d] = sum_j p[i, j] v_j[d].
//   pass 1, backward, per row i: ds[i, j] = p[i, j] (dy_i . v_j - sum_j' p[i, j'] dy_i . v_j')
//          into the scratch `ds` (only j <= i), and dq_i = scale sum_j ds[i, j] k_j.
//   pass 2, backward, per column j: dk_j = scale sum_{i >= j} ds[i, j] q_i and
//          dv_j = sum_{i >= j} p[i, j] dy_i.
// The CPU's fused kernels compute the same sums with full (T, T) products, in
// which the masked entries add zeros.
#version 430

layout(local_size_x = 256) in;

layout(std430, binding = 0) readonly buffer BufQkv { float qkv[]; };
layout(std430, binding = 1) buffer BufP { float p[]; };     // (B, H, T, T); written by pass 0
layout(std430, binding = 2) readonly buffer BufDy { float dy[]; };  // (B, T, C); passes 1, 2
layout(std430, binding = 3) buffer BufDs { float ds[]; };   // (B, H, T, T) scratch; passes 1, 2
layout(std430, binding = 4) buffer BufOut { float result[]; };  // y (pass 0) or dqkv

uniform uint B, T, H, D, pass_;
uniform float scale;

// exp that is exactly 0 below the CPU's clamp (its vectorized exp stops at
// about -88.72), as reduce_softmax.comp's.
float flushed_exp(float arg) {
    return !(arg < -88.7) ? exp(arg) : 0.0;
}

void main() {
    const uint index = (gl_WorkGroupID.y * gl_NumWorkGroups.x + gl_WorkGroupID.x) * 256u +
                       gl_LocalInvocationID.x;
    if (index >= B * H * T) return;
    const uint pair = index / T, row = index % T;  // row: i in passes 0 and 1, j in pass 2
    const uint b = pair / H, h = pair % H, C = H * D, ld = 3u * C;
    const uint q0 = b * T * ld + h * D, k0 = q0 + C, v0 = q0 + 2u * C;  // row 0 of each
    const uint y0 = b * T * C + h * D;                                  // row 0 of y, dy
    const uint p0 = pair * T * T;

    if (pass_ == 0u) {
        const uint i = row;
        float m = uintBitsToFloat(0xff800000u);  // -inf
        for (uint j = 0u; j <= i; ++j) {
            float s = 0.0;
            for (uint d = 0u; d < D; ++d) s += qkv[q0 + i * ld + d] * qkv[k0 + j * ld + d];
            s *= scale;
            p[p0 + i * T + j] = s;
            m = max(m, s);
        }
        float total = 0.0;
        for (uint j = 0u; j <= i; ++j) {
            const float e = flushed_exp(p[p0 + i * T + j] - m);
            p[p0 + i * T + j] = e;
            total += e;
        }
        const float inv = 1.0 / total;
        for (uint j = 0u; j <= i; ++j) p[p0 + i * T + j] *= inv;
        for (uint j = i + 1u; j < T; ++j) p[p0 + i * T + j] = 0.0;
        for (uint d = 0u; d < D; ++d) {
            float acc = 0.0;
            for (uint j = 0u; j <= i; ++j) acc += p[p0 + i * T + j] * qkv[v0 + j * ld + d];
            result[y0 + i * C + d] = acc;
        }
    } else if (pass_ == 1u) {
        const uint i = row;
        float r = 0.0;
        for (uint j = 0u; j <= i; ++j) {
            float dp = 0.0;
            for (uint d = 0u; d < D; ++d) dp += dy[y0 + i * C + d] * qkv[v0 + j * ld + d];
            ds[p0 + i * T + j] = dp;
            r += p[p0 + i * T + j] * dp;
        }
        for (uint j = 0u; j <= i; ++j)
            ds[p0 + i * T + j] = p[p0 + i * T + j] * (ds[p0 + i * T + j] - r);
        for (uint d = 0u; d < D; ++d) {
            float acc = 0.0;
            for (uint j = 0u; j <= i; ++j) acc += ds[p0 + i * T + j] * qkv[k0 + j * ld + d];
            result[q0 + i * ld + d] = scale * acc;
        }
    } else {
        const uint j = row;
        for (uint d = 0u; d < D; ++d) {
            float dk = 0.0, dv = 0.0;
            for (uint i = j; i < T; ++i) {
                dk += ds[p0 + i * T + j] * qkv[q0 + i * ld + d];
                dv += p[p0 + i * T + j] * dy[y0 + i * C + d];
            }
            result[k0 + j * ld + d] = scale * dk;
            result[v0 + j * ld + d] = dv;
        }
    }
}
