// One step of spectral norm's power iteration on w (rows, cols), in one
// workgroup (the host dispatches it once per iteration): v = normalize(w^T u), u = normalize(w v), normalize(x) = x / max(|x|, eps).
// Each invocation computes the dot products of its own entries in the CPU's
// order; the squared norm is a shared-memory tree sum, and a buffer barrier
// lets every invocation read the whole vector the others just wrote.
#version 430

layout(local_size_x = 256) in;

layout(std430, binding = 0) readonly buffer BufW { float W[]; };
layout(std430, binding = 1) coherent buffer BufU { float u[]; };
layout(std430, binding = 2) coherent buffer BufV { float v[]; };

uniform uint rows, cols;
uniform float eps;

shared float partial[256];

// The largest of sqrt(sum of every invocation's `sq`) and eps, seen by all.
float norm_of(float sq) {
    const uint t = gl_LocalInvocationID.x;
    partial[t] = sq;
    barrier();
    for (uint half_ = 128u; half_ > 0u; half_ >>= 1u) {
        if (t < half_) partial[t] += partial[t + half_];
        barrier();
    }
    const float norm = max(sqrt(partial[0]), eps);
    barrier();  // everyone has read partial[0] before it is written again
    return norm;
}

void main() {
    const uint t = gl_LocalInvocationID.x;
    float sq = 0.0;
    for (uint j = t; j < cols; j += 256u) {
        float s = 0.0;
        for (uint i = 0u; i < rows; ++i) s += W[i * cols + j] * u[i];
        v[j] = s;
        sq += s * s;
    }
    float norm = norm_of(sq);
    for (uint j = t; j < cols; j += 256u) v[j] /= norm;
    memoryBarrierBuffer();
    barrier();

    sq = 0.0;
    for (uint i = t; i < rows; i += 256u) {
        float s = 0.0;
        for (uint j = 0u; j < cols; ++j) s += W[i * cols + j] * v[j];
        u[i] = s;
        sq += s * s;
    }
    norm = norm_of(sq);
    for (uint i = t; i < rows; i += 256u) u[i] /= norm;
    memoryBarrierBuffer();
    barrier();
}
