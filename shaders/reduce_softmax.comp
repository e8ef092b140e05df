// Softmax and log-softmax along the n axis of (outer, n, inner), forward and
// fused backward: one workgroup per line of n values `inner` apart, its max and
// sums by trees in shared memory; short lines (per_thread, the host decides)
// take one invocation each, with no trees. Forward (a = x): y = exp(x - m) / s or
// x - m - log(s). Backward (a = g, b = y): softmax gx = y * (g - sum(g * y)),
// log-softmax gx = g - exp(y) * sum(g).
#version 430

layout(local_size_x = 256) in;

layout(std430, binding = 0) readonly buffer BufA { float a[]; };
layout(std430, binding = 1) readonly buffer BufB { float b[]; };
layout(std430, binding = 2) writeonly buffer BufOut { float result[]; };

uniform uint lines, n, inner;
uniform bool log_mode, backward, per_thread;

shared float partial[256];

// exp that is exactly 0 below the CPU's clamp (its vectorized exp stops at
// about -88.72), so both backends agree on masked logits; NaN stays NaN.
float flushed_exp(float arg) {
    return !(arg < -88.7) ? exp(arg) : 0.0;
}

float tree_sum(float v) {
    const uint t = gl_LocalInvocationID.x;
    partial[t] = v;
    barrier();
    for (uint half_ = 128u; half_ > 0u; half_ >>= 1u) {
        if (t < half_) partial[t] += partial[t + half_];
        barrier();
    }
    const float total = partial[0];
    barrier();
    return total;
}

float tree_max(float v) {
    const uint t = gl_LocalInvocationID.x;
    partial[t] = v;
    barrier();
    for (uint half_ = 128u; half_ > 0u; half_ >>= 1u) {
        if (t < half_) partial[t] = max(partial[t], partial[t + half_]);
        barrier();
    }
    const float top = partial[0];
    barrier();
    return top;
}

// One short line by one invocation, in the same steps as the workgroup's.
void line_alone(uint base) {
    if (!backward) {
        float m = uintBitsToFloat(0xff800000u);  // -inf
        for (uint r = 0u; r < n; ++r) m = max(m, a[base + r * inner]);
        float s = 0.0;
        for (uint r = 0u; r < n; ++r) s += flushed_exp(a[base + r * inner] - m);
        const float log_s = log(s), inv_s = 1.0 / s;
        for (uint r = 0u; r < n; ++r) {
            const uint k = base + r * inner;
            result[k] = log_mode ? (a[k] - m) - log_s : flushed_exp(a[k] - m) * inv_s;
        }
        return;
    }
    float acc = 0.0;
    for (uint r = 0u; r < n; ++r) {
        const uint k = base + r * inner;
        acc += log_mode ? a[k] : a[k] * b[k];
    }
    for (uint r = 0u; r < n; ++r) {
        const uint k = base + r * inner;
        result[k] = log_mode ? a[k] - flushed_exp(b[k]) * acc : b[k] * (a[k] - acc);
    }
}

void main() {
    const uint t = gl_LocalInvocationID.x;
    // Two-dimensional dispatch: past 65535 workgroups the count wraps into y.
    const uint group = gl_WorkGroupID.y * gl_NumWorkGroups.x + gl_WorkGroupID.x;
    if (per_thread) {
        const uint line = group * 256u + t;
        if (line < lines) line_alone((line / inner) * n * inner + line % inner);
        return;
    }
    const uint line = group;
    if (line >= lines) return;  // the whole workgroup: barriers stay uniform
    const uint base = (line / inner) * n * inner + line % inner;
    if (!backward) {
        float m = uintBitsToFloat(0xff800000u);  // -inf
        for (uint r = t; r < n; r += 256u) m = max(m, a[base + r * inner]);
        m = tree_max(m);
        float s = 0.0;
        for (uint r = t; r < n; r += 256u) s += flushed_exp(a[base + r * inner] - m);
        s = tree_sum(s);
        if (log_mode) {
            const float log_s = log(s);
            for (uint r = t; r < n; r += 256u) {
                const uint k = base + r * inner;
                result[k] = (a[k] - m) - log_s;
            }
        } else {
            const float inv_s = 1.0 / s;
            for (uint r = t; r < n; r += 256u) {
                const uint k = base + r * inner;
                result[k] = flushed_exp(a[k] - m) * inv_s;
            }
        }
        return;
    }
    float acc = 0.0;
    for (uint r = t; r < n; r += 256u) {
        const uint k = base + r * inner;
        acc += log_mode ? a[k] : a[k] * b[k];
    }
    acc = tree_sum(acc);
    for (uint r = t; r < n; r += 256u) {
        const uint k = base + r * inner;
        result[k] = log_mode ? a[k] - flushed_exp(b[k]) * acc : b[k] * (a[k] - acc);
    }
}
