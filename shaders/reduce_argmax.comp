// idx (outer, inner) int64 = the position of the largest value of each line of
// x (outer, n, inner): one workgroup per line, a tree of (value, position)
// pairs in shared memory, or for short lines (per_thread) one invocation each. Ties go to the first position and NaN counts as the
// largest (its first occurrence wins), as on the CPU. int64 is written as two
// uints, low word first.
#version 430

layout(local_size_x = 256) in;

layout(std430, binding = 0) readonly buffer BufX { float x[]; };
layout(std430, binding = 1) writeonly buffer BufIdx { uint idx[]; };

uniform uint lines, n, inner;
uniform bool per_thread;

shared float best_value[256];
shared uint best_at[256];

// Whether (bv, bi) beats (av, ai).
bool beats(float bv, uint bi, float av, uint ai) {
    const bool b_nan = isnan(bv), a_nan = isnan(av);
    if (a_nan || b_nan) return b_nan && (!a_nan || bi < ai);
    return bv > av || (bv == av && bi < ai);
}

void main() {
    const uint t = gl_LocalInvocationID.x;
    // Two-dimensional dispatch: past 65535 workgroups the count wraps into y.
    const uint group = gl_WorkGroupID.y * gl_NumWorkGroups.x + gl_WorkGroupID.x;
    const uint line = per_thread ? group * 256u + t : group;
    // Per line: the whole workgroup, so barriers stay uniform; per thread: no barriers.
    if (line >= lines) return;
    const uint first = per_thread ? 0u : t, step = per_thread ? 1u : 256u;
    const uint base = (line / inner) * n * inner + line % inner;
    float best = uintBitsToFloat(0xff800000u);  // -inf, at no position
    uint at = 0xffffffffu;
    for (uint r = first; r < n; r += step) {
        const float v = x[base + r * inner];
        if (beats(v, r, best, at)) {
            best = v;
            at = r;
        }
    }
    if (per_thread) {
        idx[2u * line] = at;
        idx[2u * line + 1u] = 0u;
        return;
    }
    best_value[t] = best;
    best_at[t] = at;
    barrier();
    for (uint half_ = 128u; half_ > 0u; half_ >>= 1u) {
        if (t < half_ &&
            beats(best_value[t + half_], best_at[t + half_], best_value[t], best_at[t])) {
            best_value[t] = best_value[t + half_];
            best_at[t] = best_at[t + half_];
        }
        barrier();
    }
    if (t == 0u) {
        idx[2u * line] = best_at[0];
        idx[2u * line + 1u] = 0u;
    }
}
