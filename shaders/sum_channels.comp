// b (channels) = y (N, channels, pixels) summed over N and pixels: one
// workgroup per channel, a tree reduction in shared memory. Also the bias
// gradient of a linear layer: (rows, out, 1).
#version 430

layout(local_size_x = 256) in;

layout(std430, binding = 0) readonly buffer BufY { float y[]; };
layout(std430, binding = 1) writeonly buffer BufB { float b[]; };

uniform uint N, channels, pixels;
uniform uint base;  // channel of workgroup 0

shared float partial[256];

void main() {
    const uint k = gl_WorkGroupID.x + base, t = gl_LocalInvocationID.x;
    float sum = 0.0;
    if (pixels >= 256u) {  // every invocation busy within each plane
        for (uint n = 0u; n < N; ++n) {
            const uint start = (n * channels + k) * pixels;
            for (uint p = t; p < pixels; p += 256u) sum += y[start + p];
        }
    } else {  // small planes (a linear layer's bias: one pixel): spread the batch too
        for (uint i = t; i < N * pixels; i += 256u) {
            const uint n = i / pixels, p = i - n * pixels;
            sum += y[(n * channels + k) * pixels + p];
        }
    }
    partial[t] = sum;
    barrier();
    for (uint half_ = 128u; half_ > 0u; half_ >>= 1u) {
        if (t < half_) partial[t] += partial[t + half_];
        barrier();
    }
    if (t == 0u) b[k] = partial[0];
}
