// Per-channel elementwise maps over (outer, channels, inner), one invocation
// per element: y = x * scale[c] + shift[c] (scale, shift optional: 1 and 0),
// or with broadcast y = scale[c] (x unread).
#version 430

layout(local_size_x = 256) in;

layout(std430, binding = 0) readonly buffer BufX { float x[]; };
layout(std430, binding = 1) readonly buffer BufScale { float scale[]; };
layout(std430, binding = 2) readonly buffer BufShift { float shift[]; };
layout(std430, binding = 3) writeonly buffer BufY { float y[]; };

uniform uint total, channels, inner;
uniform bool broadcast, has_scale, has_shift;

void main() {
    // Two-dimensional dispatch: past 65535 workgroups the count wraps into y.
    const uint index = (gl_WorkGroupID.y * gl_NumWorkGroups.x + gl_WorkGroupID.x) * 256u +
                       gl_LocalInvocationID.x;
    if (index >= total) return;
    const uint c = (index / inner) % channels;
    if (broadcast) {
        y[index] = scale[c];
        return;
    }
    const float a = has_scale ? scale[c] : 1.0, b = has_shift ? shift[c] : 0.0;
    y[index] = x[index] * a + b;
}
