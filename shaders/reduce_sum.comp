// y = x summed (times `scale`: 1 for a sum, 1 / count for a mean) over a set
// of dimensions. The kept dimensions (out_size / out_stride, in x's strides)
// pick where an output's inputs start, the reduced ones (red_size /
// red_stride) walk them. Long reductions take one workgroup per output and a
// tree in shared memory; short ones (per_thread) one invocation per output.
// Long reductions into few outputs split each output's inputs into `chunks`
// runs of chunk_len, a workgroup each, and write outputs * chunks partial sums
// (a second pass of this shader adds them).
#version 430

layout(local_size_x = 256) in;

layout(std430, binding = 0) readonly buffer BufX { float x[]; };
layout(std430, binding = 1) writeonly buffer BufY { float y[]; };

uniform uint outputs, count;  // outputs, and inputs summed into each
uniform float scale;
uniform bool per_thread;
uniform uint chunks, chunk_len;  // workgroup mode only
uniform uint out_rank, red_rank;
uniform uint out_size[8], out_stride[8];
uniform uint red_size[8], red_stride[8];

shared float partial[256];

uint base_of(uint o) {
    uint off = 0u;
    for (int d = int(out_rank) - 1; d >= 0; --d) {
        off += (o % out_size[d]) * out_stride[d];
        o /= out_size[d];
    }
    return off;
}

uint offset_of(uint r) {
    uint off = 0u;
    for (int d = int(red_rank) - 1; d >= 0; --d) {
        off += (r % red_size[d]) * red_stride[d];
        r /= red_size[d];
    }
    return off;
}

void main() {
    const uint t = gl_LocalInvocationID.x;
    // Two-dimensional dispatch: past 65535 workgroups the count wraps into y.
    const uint group = gl_WorkGroupID.y * gl_NumWorkGroups.x + gl_WorkGroupID.x;
    if (per_thread) {
        const uint o = group * 256u + t;
        if (o >= outputs) return;
        const uint base = base_of(o);
        float sum = 0.0;
        for (uint r = 0u; r < count; ++r) sum += x[base + offset_of(r)];
        y[o] = sum * scale;
        return;
    }
    if (group >= outputs * chunks) return;  // the whole workgroup: barriers stay uniform
    const uint base = base_of(group / chunks), begin = (group % chunks) * chunk_len;
    const uint end = min(count, begin + chunk_len);
    float sum = 0.0;
    for (uint r = begin + t; r < end; r += 256u) sum += x[base + offset_of(r)];
    partial[t] = sum;
    barrier();
    for (uint half_ = 128u; half_ > 0u; half_ >>= 1u) {
        if (t < half_) partial[t] += partial[t + half_];
        barrier();
    }
    if (t == 0u) y[group] = partial[0] * scale;
}
