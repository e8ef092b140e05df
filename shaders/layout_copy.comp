// dst[dst_offset + sum(i_k * dst_strides[k])] = src[src_offset + sum(i_k * src_strides[k])]
// for every position i of a block of `sizes` (at most 8 dims, outermost
// first), one element per invocation. Elements are `words` 32-bit words (1 for
// f32, 2 for i64, which GLSL 430 lacks), moved as raw bits so every value
// (a NaN's payload included) arrives unchanged. Strides and offsets count elements.
#version 430

layout(local_size_x = 256) in;

layout(std430, binding = 0) readonly buffer BufSrc { uint src[]; };
layout(std430, binding = 1) writeonly buffer BufDst { uint dst[]; };

uniform uint rank;  // 1 ... 8
uniform uint sizes[8], src_strides[8], dst_strides[8];
uniform uint src_offset, dst_offset, count, words;

void main() {
    // Two-dimensional dispatch: past 65535 workgroups the count wraps into y.
    const uint index = (gl_WorkGroupID.y * gl_NumWorkGroups.x + gl_WorkGroupID.x) * 256u +
                       gl_LocalInvocationID.x;
    if (index >= count) return;
    uint rem = index, s = src_offset, d = dst_offset;
    for (int k = int(rank) - 1; k >= 0; --k) {
        const uint i = rem % sizes[k];
        rem /= sizes[k];
        s += i * src_strides[k];
        d += i * dst_strides[k];
    }
    for (uint w = 0u; w < words; ++w) dst[d * words + w] = src[s * words + w];
}
