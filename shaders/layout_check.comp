// found (int64 {position, value}) = the first of the n int64 indices outside
// [0, size). The host sets found to {-1, 0}; pass 0 takes the smallest bad
// position with an atomic minimum on its low word (so the first one wins
// whatever order the invocations run in), pass 1 writes that position's value
// beside it. int64 values are (low, high) uint pairs: a negative one has a
// nonzero high word.
#version 430

layout(local_size_x = 256) in;

layout(std430, binding = 0) readonly buffer BufIndex { uint index[]; };
layout(std430, binding = 1) buffer BufFound { uint found[]; };  // 4 words

uniform uint n, size;
uniform int pass_;

void main() {
    const uint i = (gl_WorkGroupID.y * gl_NumWorkGroups.x + gl_WorkGroupID.x) * 256u +
                   gl_LocalInvocationID.x;
    if (pass_ == 0) {
        if (i >= n) return;
        if (index[2u * i + 1u] != 0u || index[2u * i] >= size) atomicMin(found[0], i);
        return;
    }
    if (i != 0u) return;
    const uint p = found[0];
    if (p == 0xFFFFFFFFu) return;  // none outside: found stays {-1, 0}
    found[1] = 0u;
    found[2] = index[2u * p];
    found[3] = index[2u * p + 1u];
}
