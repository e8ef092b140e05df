// out (outer, inner) int64 = the position of the smallest value along the
// middle axis of x (outer, len, inner), one output per invocation: the first
// of equal values, and the first NaN if there is one (torch.argmin's rule,
// as the CPU kernel). NaN is tested on the bits, which no compiler folds away.
#version 430

layout(local_size_x = 256) in;

layout(std430, binding = 0) readonly buffer BufX { float x[]; };
layout(std430, binding = 1) writeonly buffer BufOut { uint out_[]; };  // int64 as (low, high)

uniform uint outer, len, inner;

bool is_nan(float v) {
    return (floatBitsToUint(v) & 0x7FFFFFFFu) > 0x7F800000u;
}

void main() {
    const uint i = (gl_WorkGroupID.y * gl_NumWorkGroups.x + gl_WorkGroupID.x) * 256u +
                   gl_LocalInvocationID.x;
    if (i >= outer * inner) return;
    const uint base = (i / inner) * len * inner + i % inner;
    uint best = 0u;
    float bv = x[base];
    if (!is_nan(bv))
        for (uint k = 1u; k < len; ++k) {
            const float v = x[base + k * inner];
            if (is_nan(v)) {
                best = k;
                break;
            }
            if (v < bv) {  // strict: the first of equal values wins
                bv = v;
                best = k;
            }
        }
    out_[2u * i] = best;
    out_[2u * i + 1u] = 0u;
}
