// Cross-entropy's forward, one workgroup per row of logits (N, C): lse (N) the
// row's log-sum-exp m + log(sum(exp(x - m))) and row_loss (N) lse - x[target].
// Targets are int64, read as two uints (low word first); the op has checked
// them against [0, C), so the low word is the class.
#version 430

layout(local_size_x = 256) in;

layout(std430, binding = 0) readonly buffer BufLogits { float logits[]; };
layout(std430, binding = 1) readonly buffer BufTarget { uint target[]; };
layout(std430, binding = 2) writeonly buffer BufLse { float lse[]; };
layout(std430, binding = 3) writeonly buffer BufRowLoss { float row_loss[]; };

uniform uint rows, C;

shared float partial[256];

void main() {
    const uint t = gl_LocalInvocationID.x;
    // Two-dimensional dispatch: past 65535 workgroups the count wraps into y.
    const uint row = gl_WorkGroupID.y * gl_NumWorkGroups.x + gl_WorkGroupID.x;
    if (row >= rows) return;  // the whole workgroup: barriers stay uniform
    const uint base = row * C;
    float m = uintBitsToFloat(0xff800000u);  // -inf
    for (uint j = t; j < C; j += 256u) m = max(m, logits[base + j]);
    partial[t] = m;
    barrier();
    for (uint half_ = 128u; half_ > 0u; half_ >>= 1u) {
        if (t < half_) partial[t] = max(partial[t], partial[t + half_]);
        barrier();
    }
    m = partial[0];
    barrier();
    float s = 0.0;
    for (uint j = t; j < C; j += 256u) s += exp(logits[base + j] - m);
    partial[t] = s;
    barrier();
    for (uint half_ = 128u; half_ > 0u; half_ >>= 1u) {
        if (t < half_) partial[t] += partial[t + half_];
        barrier();
    }
    if (t == 0u) {
        const float log_s = log(partial[0]);
        lse[row] = m + log_s;
        row_loss[row] = (m - logits[base + target[2u * row]]) + log_s;
    }
}
