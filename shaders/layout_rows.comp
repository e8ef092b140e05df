// The embedding lookup and its gradient; indices are int64 (low word first),
// already checked to lie in [0, table rows).
// mode 0, gather: out (rows, row_len) row r = table row index[r], one element per invocation.
// mode 1, scatter-add: table row index[r] += src row r. One invocation per
// column walks the rows in order, so repeated rows add up in the CPU's order
// and round as its serial loop does, without float atomics (GL 4.3 has none).
#version 430

layout(local_size_x = 256) in;

layout(std430, binding = 0) readonly buffer BufIndex { uint index[]; };
layout(std430, binding = 1) readonly buffer BufIn { uint src[]; };  // table (0) or src (1)
layout(std430, binding = 2) buffer BufOut { uint dst[]; };           // out (0) or table (1)

uniform uint rows, row_len;
uniform int mode;

void main() {
    const uint i = (gl_WorkGroupID.y * gl_NumWorkGroups.x + gl_WorkGroupID.x) * 256u +
                   gl_LocalInvocationID.x;
    if (mode == 0) {
        if (i >= rows * row_len) return;
        const uint r = i / row_len, d = i % row_len;
        dst[i] = src[index[2u * r] * row_len + d];
        return;
    }
    if (i >= row_len) return;
    for (uint r = 0u; r < rows; ++r) {
        const uint at = index[2u * r] * row_len + i;
        dst[at] = floatBitsToUint(uintBitsToFloat(dst[at]) + uintBitsToFloat(src[r * row_len + i]));
    }
}
