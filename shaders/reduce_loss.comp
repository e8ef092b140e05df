// sums (chunks) = the pair losses of x and t (op 0: BCE with logits, 1:
// squared error, 2: absolute error) over n elements in runs of chunk_len, a
// workgroup each, times `scale`. Each invocation keeps a compensated (Kahan)
// sum of its share, a tree adds the shares. With one chunk and scale 1 / n
// that is the mean; else a reduce_sum pass adds the chunks.
#version 430

layout(local_size_x = 256) in;

layout(std430, binding = 0) readonly buffer BufX { float x[]; };
layout(std430, binding = 1) readonly buffer BufT { float t_[]; };
layout(std430, binding = 2) writeonly buffer BufSums { float sums[]; };

uniform uint n, chunk_len;
uniform float scale;
uniform int op;

shared float partial[256];

float pair_loss(float v, float target) {
    if (op == 0) return max(v, 0.0) - v * target + log(1.0 + exp(-abs(v)));
    const float d = v - target;
    return op == 1 ? d * d : abs(d);
}

void main() {
    const uint t = gl_LocalInvocationID.x, chunk = gl_WorkGroupID.x;
    const uint begin = chunk * chunk_len, end = min(n, begin + chunk_len);
    // precise: the compensation must not be simplified away.
    precise float sum = 0.0, carry = 0.0;
    for (uint i = begin + t; i < end; i += 256u) {
        precise float term = pair_loss(x[i], t_[i]) - carry;
        precise float next = sum + term;
        carry = (next - sum) - term;
        sum = next;
    }
    partial[t] = sum;
    barrier();
    for (uint half_ = 128u; half_ > 0u; half_ >>= 1u) {
        if (t < half_) partial[t] += partial[t + half_];
        barrier();
    }
    if (t == 0u) sums[chunk] = partial[0] * scale;
}
