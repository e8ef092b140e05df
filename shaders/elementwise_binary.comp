// out = a (op) b over a broadcast geometry: output element i, C-ordered with
// `sizes`, reads a and b at its index dotted with their strides (0 along a
// dimension the operand is broadcast over). The host merges dimensions that
// both operands traverse contiguously, so equal shapes and a scalar side
// arrive as rank 1.
#version 430

layout(local_size_x = 256) in;

layout(std430, binding = 0) readonly buffer BufA { float a[]; };
layout(std430, binding = 1) readonly buffer BufB { float b[]; };
layout(std430, binding = 2) writeonly buffer BufOut { float result[]; };

const int kMaxRank = 16;  // kMaxBroadcastRank in gl_elementwise.cpp

uniform int op;  // 0 add, 1 sub, 2 mul, 3 div
uniform uint n;
uniform int rank;
uniform uint sizes[kMaxRank], a_strides[kMaxRank], b_strides[kMaxRank];

void main() {
    const uint i = (gl_WorkGroupID.y * gl_NumWorkGroups.x + gl_WorkGroupID.x) * 256u +
                   gl_LocalInvocationID.x;
    if (i >= n) return;
    uint rest = i, ia = 0u, ib = 0u;
    for (int d = rank - 1; d >= 0; --d) {
        const uint index = rest % sizes[d];
        rest /= sizes[d];
        ia += index * a_strides[d];
        ib += index * b_strides[d];
    }
    const float u = a[ia], v = b[ib];
    float r;
    switch (op) {
        case 0: r = u + v; break;
        case 1: r = u - v; break;
        case 2: r = u * v; break;
        default: r = u / v; break;
    }
    result[i] = r;
}
