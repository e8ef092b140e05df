// Batch or layer normalization with the statistics of x itself, `lanes`
// invocations per statistic group (a channel in batch mode, a row in layer
// mode; a power of two up to 256, so a workgroup holds 256 / lanes groups and
// short rows do not leave most of it idle): mean and biased variance in two
// passes, then y = (x - mean) * invstd * w + b.
//
// Element k < count of group g is at g*group_stride + (k / block_len)*block_stride
// + k % block_len: batch mode (N, C, S) has group_stride = block_len = S and
// block_stride = C*S; layer mode (R, D) has group_stride = block_len = D.
// The CPU sums in double; here each invocation keeps a compensated (Kahan)
// float sum and the workgroup adds those pairwise, which stays as close.
#version 430

layout(local_size_x = 256) in;

layout(std430, binding = 0) readonly buffer BufX { float x[]; };
layout(std430, binding = 1) readonly buffer BufWeight { float weight[]; };
layout(std430, binding = 2) readonly buffer BufBias { float bias[]; };
layout(std430, binding = 3) writeonly buffer BufY { float y[]; };
layout(std430, binding = 4) writeonly buffer BufMean { float mean_out[]; };
layout(std430, binding = 5) writeonly buffer BufInvstd { float invstd_out[]; };
layout(std430, binding = 6) buffer BufRunningMean { float running_mean[]; };
layout(std430, binding = 7) buffer BufRunningVar { float running_var[]; };

uniform uint base;  // workgroup of gl_WorkGroupID.x == 0
uniform uint groups, lanes;
uniform uint count, block_len, block_stride, group_stride;
uniform bool layer;  // weight and bias per element of a row, else per group
uniform bool has_weight, has_bias, has_running_mean, has_running_var;
uniform float eps, momentum;
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

uint at(uint group, uint k) {
    return group * group_stride + (k / block_len) * block_stride + k % block_len;
}

// The total of v over the invocations of this one's group (its `lanes`
// neighbours), returned to all of them. Every invocation of the workgroup
// must call it: it holds barriers.
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
    barrier();  // partial is written again by the next sum
    return total;
}

void main() {
    const uint t = gl_LocalInvocationID.x, lane = lane_of(t);
    const uint group = (gl_WorkGroupID.x + base) * (256u / lanes) + slot_of(t);
    // Past the last group an invocation still takes part in the sums' barriers.
    const uint n = group < groups ? count : 0u;

    precise float sum = 0.0, lost = 0.0;
    for (uint k = lane; k < n; k += lanes) {
        precise float v = x[at(group, k)] - lost;
        precise float next = sum + v;
        lost = (next - sum) - v;
        sum = next;
    }
    const float mean = group_sum(sum) / float(count);

    precise float sq = 0.0, sq_lost = 0.0;
    for (uint k = lane; k < n; k += lanes) {
        const float d = x[at(group, k)] - mean;
        precise float v = d * d - sq_lost;
        precise float next = sq + v;
        sq_lost = (next - sq) - v;
        sq = next;
    }
    const float var = group_sum(sq) / float(count);  // biased
    const float invstd = 1.0 / sqrt(var + eps);

    if (n == 0u) return;
    if (lane == 0u) {
        mean_out[group] = mean;
        invstd_out[group] = invstd;
        // As torch: the running variance is the unbiased one.
        if (has_running_mean)
            running_mean[group] = (1.0 - momentum) * running_mean[group] + momentum * mean;
        if (has_running_var)
            running_var[group] = (1.0 - momentum) * running_var[group] +
                                 momentum * (var * float(count) / (float(count) - 1.0));
    }

    for (uint k = lane; k < n; k += lanes) {
        const uint i = at(group, k), c = layer ? k : group;
        const float w = has_weight ? weight[c] : 1.0, b = has_bias ? bias[c] : 0.0;
        y[i] = (x[i] - mean) * invstd * w + b;
    }
}
