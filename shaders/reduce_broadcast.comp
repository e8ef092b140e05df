// y = x repeated up to y's shape: y's dimensions (size[d]) read x at
// stride[d], 0 where x repeats. One invocation per output.
#version 430

layout(local_size_x = 256) in;

layout(std430, binding = 0) readonly buffer BufX { float x[]; };
layout(std430, binding = 1) writeonly buffer BufY { float y[]; };

uniform uint total, rank;
uniform uint size[8], stride[8];

void main() {
    // Two-dimensional dispatch: past 65535 workgroups the count wraps into y.
    const uint index = (gl_WorkGroupID.y * gl_NumWorkGroups.x + gl_WorkGroupID.x) * 256u +
                       gl_LocalInvocationID.x;
    if (index >= total) return;
    uint rest = index, off = 0u;
    for (int d = int(rank) - 1; d >= 0; --d) {
        off += (rest % size[d]) * stride[d];
        rest /= size[d];
    }
    y[index] = x[off];
}
