// The gradients of norm_forward.comp for the output gradient g, `lanes`
// invocations per statistic group as there, from the saved mean and invstd. With xhat = (x - mean) * invstd:
//   batch mode: gx = w * invstd * (g - sum(g) / n - xhat * sum(g * xhat) / n),
//               gweight = sum(g * xhat), gbias = sum(g) (per channel);
//   layer mode: with gh = g * w[k], gx = invstd * (gh - mean(gh) - xhat * mean(gh * xhat))
//               (layer mode's gweight and gbias sum over rows: norm_columns.comp).
// Addressing and sums as in norm_forward.comp.
#version 430

layout(local_size_x = 256) in;

layout(std430, binding = 0) readonly buffer BufG { float g[]; };
layout(std430, binding = 1) readonly buffer BufX { float x[]; };
layout(std430, binding = 2) readonly buffer BufWeight { float weight[]; };
layout(std430, binding = 3) readonly buffer BufMean { float mean_in[]; };
layout(std430, binding = 4) readonly buffer BufInvstd { float invstd_in[]; };
layout(std430, binding = 5) writeonly buffer BufGx { float gx[]; };
layout(std430, binding = 6) writeonly buffer BufGweight { float gweight[]; };
layout(std430, binding = 7) writeonly buffer BufGbias { float gbias[]; };

uniform uint base;  // workgroup of gl_WorkGroupID.x == 0
uniform uint groups, lanes;
uniform uint count, block_len, block_stride, group_stride;
uniform bool layer;
uniform bool has_weight, want_gx, want_gweight, want_gbias;
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

// The output gradient as the normalized values see it: times the row's weight in layer mode.
float scaled_g(uint i, uint k) {
    return layer && has_weight ? g[i] * weight[k] : g[i];
}

void main() {
    const uint t = gl_LocalInvocationID.x, lane = lane_of(t);
    const uint group = (gl_WorkGroupID.x + base) * (256u / lanes) + slot_of(t);
    // Past the last group an invocation still takes part in the sums' barriers.
    const bool in_range = group < groups;
    const uint n_k = in_range ? count : 0u;
    const float mean = in_range ? mean_in[group] : 0.0, invstd = in_range ? invstd_in[group] : 0.0;

    precise float s1 = 0.0, lost1 = 0.0, s2 = 0.0, lost2 = 0.0;
    for (uint k = lane; k < n_k; k += lanes) {
        const uint i = at(group, k);
        const float gh = scaled_g(i, k);
        precise float v1 = gh - lost1;
        precise float next1 = s1 + v1;
        lost1 = (next1 - s1) - v1;
        s1 = next1;
        precise float v2 = gh * (x[i] - mean) - lost2;
        precise float next2 = s2 + v2;
        lost2 = (next2 - s2) - v2;
        s2 = next2;
    }
    const float sum_g = group_sum(s1), sum_gx = group_sum(s2);
    if (!in_range) return;
    const float n = float(count);

    // gx = a * gh + b * (x - mean) + c
    float a, b, c;
    if (layer) {
        a = invstd;
        b = -invstd * invstd * invstd * sum_gx / n;
        c = -invstd * sum_g / n;
    } else {
        a = (has_weight ? weight[group] : 1.0) * invstd;
        b = -a * invstd * invstd * sum_gx / n;
        c = -a * sum_g / n;
        if (lane == 0u) {
            if (want_gweight) gweight[group] = sum_gx * invstd;
            if (want_gbias) gbias[group] = sum_g;
        }
    }
    if (!want_gx) return;
    for (uint k = lane; k < count; k += lanes) {
        const uint i = at(group, k);
        gx[i] = a * scaled_g(i, k) + b * (x[i] - mean) + c;
    }
}
