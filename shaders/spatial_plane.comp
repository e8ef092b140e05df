// Gathers and scatters at plane-local int64 positions (read as their low
// 32-bit word: positions are non-negative and below 2^31).
//   gather:  dst (planes, index_plane) = src[p, indices[p, k]], one invocation per element.
//   scatter: dst (planes, dst_plane), already zero, gets src[p, k] at indices[p, k],
//            added (`accumulate`) or assigned. One invocation per plane walks its
//            indices in order, so repeats add up, or the later one wins, exactly
//            as on the CPU and without atomics.
#version 430

layout(local_size_x = 256) in;

layout(std430, binding = 0) readonly buffer BufSrc { float src[]; };
layout(std430, binding = 1) readonly buffer BufIndices { uint indices[]; };  // int64: (low, high)
layout(std430, binding = 2) buffer BufDst { float dst[]; };

uniform bool scatter, accumulate;
uniform uint planes, index_plane, plane;  // plane: src_plane (gather) or dst_plane (scatter)

void main() {
    const uint index = (gl_WorkGroupID.y * gl_NumWorkGroups.x + gl_WorkGroupID.x) * 256u +
                       gl_LocalInvocationID.x;
    if (!scatter) {
        if (index >= planes * index_plane) return;
        dst[index] = src[(index / index_plane) * plane + indices[2u * index]];
        return;
    }
    if (index >= planes) return;
    const uint base = index * plane;
    for (uint k = index * index_plane; k < (index + 1u) * index_plane; ++k) {
        const uint at = base + indices[2u * k];
        dst[at] = accumulate ? dst[at] + src[k] : src[k];
    }
}
