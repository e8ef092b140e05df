// torch.gather and scatter_add along `dim`. The index is contiguous with
// sizes isizes (strides istrides, at most 8 dims); index position p addresses
// element sum(p_k * xstrides[k] for k != dim) + index[p] * xstrides[dim] of
// the indexed tensor. Indices are int64 (low word first), already checked.
// mode 0, gather: out[p] = x[address of p], one position per invocation.
// mode 1, scatter-add: out[address of p] += src[p]. Positions that differ
// only along dim form a line; lines address disjoint elements, so one
// invocation per line adds its positions in order: the CPU's order and
// rounding, without float atomics.
#version 430

layout(local_size_x = 256) in;

layout(std430, binding = 0) readonly buffer BufIndex { uint index[]; };
layout(std430, binding = 1) readonly buffer BufIn { uint src[]; };  // x (0) or src (1)
layout(std430, binding = 2) buffer BufOut { uint dst[]; };

uniform uint rank, dim, count;  // count: positions (0) or lines (1)
uniform uint isizes[8], istrides[8], xstrides[8];
uniform int mode;

void main() {
    const uint i = (gl_WorkGroupID.y * gl_NumWorkGroups.x + gl_WorkGroupID.x) * 256u +
                   gl_LocalInvocationID.x;
    if (i >= count) return;
    if (mode == 0) {
        uint rem = i, at = 0u;
        for (int k = int(rank) - 1; k >= 0; --k) {
            const uint c = rem % isizes[k];
            rem /= isizes[k];
            if (uint(k) != dim) at += c * xstrides[k];
        }
        dst[i] = src[at + index[2u * i] * xstrides[dim]];
        return;
    }
    uint rem = i, p = 0u, at = 0u;  // the line's first position and its address without dim
    for (int k = int(rank) - 1; k >= 0; --k) {
        if (uint(k) == dim) continue;
        const uint c = rem % isizes[k];
        rem /= isizes[k];
        p += c * istrides[k];
        at += c * xstrides[k];
    }
    for (uint j = 0u; j < isizes[dim]; ++j, p += istrides[dim]) {
        const uint a = at + index[2u * p] * xstrides[dim];
        dst[a] = floatBitsToUint(uintBitsToFloat(dst[a]) + uintBitsToFloat(src[p]));
    }
}
