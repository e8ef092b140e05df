// Per-channel sums over (outer, channels, inner), one workgroup per channel:
// sum_out[c] = the sum of g over outer and inner (channel_sum; layer norm's
// bias gradient), and with stats also xhat_out[c] = the sum of
// g * (x - mean[o]) * invstd[o] (layer norm's weight gradient, o its row).
// Compensated per-invocation sums added pairwise, as in norm_forward.comp.
#version 430

layout(local_size_x = 256) in;

layout(std430, binding = 0) readonly buffer BufG { float g[]; };
layout(std430, binding = 1) readonly buffer BufX { float x[]; };
layout(std430, binding = 2) readonly buffer BufMean { float mean_in[]; };
layout(std430, binding = 3) readonly buffer BufInvstd { float invstd_in[]; };
layout(std430, binding = 4) writeonly buffer BufSum { float sum_out[]; };
layout(std430, binding = 5) writeonly buffer BufXhat { float xhat_out[]; };

uniform uint base;  // channel of workgroup 0
uniform uint outer, channels, inner;
uniform bool want_sum, with_stats;

shared float partial[256];

float workgroup_sum(float v) {
    const uint t = gl_LocalInvocationID.x;
    partial[t] = v;
    memoryBarrierShared();
    barrier();
    for (uint half_ = 128u; half_ > 0u; half_ >>= 1u) {
        if (t < half_) partial[t] += partial[t + half_];
        memoryBarrierShared();
        barrier();
    }
    const float total = partial[0];
    barrier();
    return total;
}

void main() {
    const uint c = gl_WorkGroupID.x + base, t = gl_LocalInvocationID.x;
    const uint count = outer * inner;
    precise float s1 = 0.0, lost1 = 0.0, s2 = 0.0, lost2 = 0.0;
    for (uint k = t; k < count; k += 256u) {
        const uint o = k / inner, i = (o * channels + c) * inner + k % inner;
        precise float v1 = g[i] - lost1;
        precise float next1 = s1 + v1;
        lost1 = (next1 - s1) - v1;
        s1 = next1;
        if (with_stats) {
            precise float v2 = g[i] * ((x[i] - mean_in[o]) * invstd_in[o]) - lost2;
            precise float next2 = s2 + v2;
            lost2 = (next2 - s2) - v2;
            s2 = next2;
        }
    }
    const float sum = workgroup_sum(s1);
    const float sum_xhat = with_stats ? workgroup_sum(s2) : 0.0;
    if (t != 0u) return;
    if (want_sum) sum_out[c] = sum;
    if (with_stats) xhat_out[c] = sum_xhat;
}
