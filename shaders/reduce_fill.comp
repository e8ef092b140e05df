// The reduce family's one-value-per-invocation kernels over (rows, C):
// mode 0, cross-entropy's backward: out = g[0] * scale * (exp(x - lse[r]) -
// onehot(target[r])); mode 1, one_hot: out = 1 at target[r], else 0; mode 2,
// the causal mask (C = rows = T): 0 on and below the diagonal, -inf above.
// Targets are int64 in [0, C) (checked by the op), read as their low words.
#version 430

layout(local_size_x = 256) in;

layout(std430, binding = 0) readonly buffer BufLogits { float logits[]; };
layout(std430, binding = 1) readonly buffer BufTarget { uint target[]; };
layout(std430, binding = 2) readonly buffer BufLse { float lse[]; };
layout(std430, binding = 3) readonly buffer BufG { float g[]; };
layout(std430, binding = 4) writeonly buffer BufOut { float result[]; };

uniform uint rows, C;
uniform int mode;
uniform float scale;

void main() {
    // Two-dimensional dispatch: past 65535 workgroups the count wraps into y.
    const uint index = (gl_WorkGroupID.y * gl_NumWorkGroups.x + gl_WorkGroupID.x) * 256u +
                       gl_LocalInvocationID.x;
    if (index >= rows * C) return;
    const uint r = index / C, j = index % C;
    if (mode == 2) {
        result[index] = j > r ? uintBitsToFloat(0xff800000u) : 0.0;
        return;
    }
    const bool hit = target[2u * r] == j;
    if (mode == 1) {
        result[index] = hit ? 1.0 : 0.0;
        return;
    }
    const float s = g[0] * scale, arg = logits[index] - lse[r];
    // Exactly 0 below the CPU's exp clamp (about -88.72); NaN stays NaN.
    const float e = !(arg < -88.7) ? exp(arg) : 0.0;
    result[index] = hit ? e * s - s : e * s;
}
