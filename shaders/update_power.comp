// Spectral norm's power iteration, a step in four dispatches:
// v = normalize(w^T u), u = normalize(w v), normalize(x) = x / max(|x|, eps).
// mode 0: one invocation per output entry sums its products in the CPU's order:
//   out[o] = sum_k w(k, o) in[k] (transposed: w^T u) or sum_k w(o, k) in[k] (w v).
// mode 1: one workgroup scales `out` (len values) to unit norm, its squared norm
//   a shared-memory tree sum.
#version 430

layout(local_size_x = 256) in;

layout(std430, binding = 0) readonly buffer BufW { float W[]; };  // (rows, cols)
layout(std430, binding = 1) readonly buffer BufIn { float in_[]; };
layout(std430, binding = 2) buffer BufOut { float out_[]; };

uniform int mode;
uniform uint rows, cols;
uniform int transposed;
uniform uint len;  // mode 1: the length of out
uniform float eps;

shared float partial[256];

void main() {
    if (mode == 0) {
        const uint o = (gl_WorkGroupID.y * gl_NumWorkGroups.x + gl_WorkGroupID.x) * 256u +
                       gl_LocalInvocationID.x;
        float s = 0.0;
        if (transposed != 0) {
            if (o >= cols) return;
            for (uint i = 0u; i < rows; ++i) s += W[i * cols + o] * in_[i];
        } else {
            if (o >= rows) return;
            for (uint j = 0u; j < cols; ++j) s += W[o * cols + j] * in_[j];
        }
        out_[o] = s;
        return;
    }
    const uint t = gl_LocalInvocationID.x;
    float sq = 0.0;
    for (uint k = t; k < len; k += 256u) sq += out_[k] * out_[k];
    partial[t] = sq;
    barrier();
    for (uint half_ = 128u; half_ > 0u; half_ >>= 1u) {
        if (t < half_) partial[t] += partial[t + half_];
        barrier();
    }
    const float norm = max(sqrt(partial[0]), eps);
    for (uint k = t; k < len; k += 256u) out_[k] /= norm;
}
