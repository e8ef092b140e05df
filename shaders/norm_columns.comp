// Per-channel sums over (outer, channels, inner), one workgroup per channel:
// sum_out[c] = the sum of g over outer and inner (channel_sum; layer norm's
// bias gradient), and with stats also xhat_out[c] = the sum of
// g * (x - mean[o]) * invstd[o] (layer norm's weight gradient, o its row).
// `lanes` invocations per channel, a workgroup holding 256 / lanes channels.
// Compensated per-invocation sums added pairwise, as in norm_forward.comp.
#version 430

layout(local_size_x = 256) in;

layout(std430, binding = 0) readonly buffer BufG { float g[]; };
layout(std430, binding = 1) readonly buffer BufX { float x[]; };
layout(std430, binding = 2) readonly buffer BufMean { float mean_in[]; };
layout(std430, binding = 3) readonly buffer BufInvstd { float invstd_in[]; };
layout(std430, binding = 4) writeonly buffer BufSum { float sum_out[]; };
layout(std430, binding = 5) writeonly buffer BufXhat { float xhat_out[]; };

uniform uint base;  // workgroup of gl_WorkGroupID.x == 0
uniform uint lanes;
uniform uint outer, channels, inner;
uniform bool want_sum, with_stats;
uniform bool interleave;  // neighbouring invocations take neighbouring groups

// Invocation t is lane lane_of(t) of the group in slot slot_of(t) of its
// workgroup. Interleaved, the slot varies fastest: where neighbouring groups
// are neighbouring channels of one row (S == 1), a row is read together.
uint lane_of(uint t) {
    return interleave ? t / (256u / lanes) : t % lanes;
}
uint slot_of(uint t) {
    return interleave ? t % (256u / lanes) : t / lanes;
}
uint lane_step() {
    return interleave ? 256u / lanes : 1u;
}

shared float partial[256];

// The total of v over this invocation's group, as in norm_forward.comp.
float group_sum(float v) {
    const uint t = gl_LocalInvocationID.x, lane = lane_of(t), step = lane_step();
    partial[t] = v;
    memoryBarrierShared();
    barrier();
    for (uint half_ = lanes >> 1u; half_ > 0u; half_ >>= 1u) {
        if (lane < half_) partial[t] += partial[t + half_ * step];
        memoryBarrierShared();
        barrier();
    }
    const float total = partial[t - lane * step];
    barrier();
    return total;
}

void main() {
    const uint t = gl_LocalInvocationID.x, lane = lane_of(t);
    const uint c = (gl_WorkGroupID.x + base) * (256u / lanes) + slot_of(t);
    // Past the last channel an invocation still takes part in the sums' barriers.
    const uint count = c < channels ? outer * inner : 0u;
    precise float s1 = 0.0, lost1 = 0.0, s2 = 0.0, lost2 = 0.0;
    for (uint k = lane; k < count; k += lanes) {
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
    const float sum = group_sum(s1);
    const float sum_xhat = with_stats ? group_sum(s2) : 0.0;
    if (lane != 0u || c >= channels) return;
    if (want_sum) sum_out[c] = sum;
    if (with_stats) xhat_out[c] = sum_xhat;
}
