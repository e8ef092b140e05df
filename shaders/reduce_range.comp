// found (2) int64 = the first i < n whose index[i] (int64) lies outside
// [0, limit), and that index; (-1, 0) when all lie inside. int64 values are
// two uints, low word first: a value is inside when its high word is 0 (not
// negative, under 2^32) and its low word is under limit. One workgroup; each
// invocation finds its first, a tree keeps the smallest.
#version 430

layout(local_size_x = 256) in;

layout(std430, binding = 0) readonly buffer BufIndex { uint index_[]; };
layout(std430, binding = 1) writeonly buffer BufFound { uint found[]; };

uniform uint n, limit;

shared uint first[256];

void main() {
    const uint t = gl_LocalInvocationID.x;
    uint mine = 0xffffffffu;
    for (uint i = t; i < n; i += 256u)
        if (index_[2u * i + 1u] != 0u || index_[2u * i] >= limit) {
            mine = i;
            break;
        }
    first[t] = mine;
    barrier();
    for (uint half_ = 128u; half_ > 0u; half_ >>= 1u) {
        if (t < half_) first[t] = min(first[t], first[t + half_]);
        barrier();
    }
    if (t != 0u) return;
    const uint at = first[0];
    if (at == 0xffffffffu) {
        found[0] = found[1] = 0xffffffffu;  // -1
        found[2] = found[3] = 0u;
    } else {
        found[0] = at;
        found[1] = 0u;
        found[2] = index_[2u * at];
        found[3] = index_[2u * at + 1u];
    }
}
