// Pooling of planes (in_h, in_w) -> (out_h, out_w) with the CPU's windows
// (core/backend/cpu/spatial_loops.cpp). mode: 0 max, 1 avg (sliding windows,
// the sum / kernel^2), 2 adaptive_avg ([floor(i*in/out), ceil((i+1)*in/out))).
//   forward:  y (planes, out_h, out_w), one invocation per output; max also writes
//             int64 indices as (low, high = 0) words: the first maximum in row-major
//             order, a NaN wins (the last seen), an all -inf window its first cell.
//   backward (averages): gx (planes, in_h, in_w) = each output's share gathered by
//             the input cells of its window, one invocation per input cell.
#version 430

layout(local_size_x = 256) in;

layout(std430, binding = 0) readonly buffer BufIn { float x[]; };
layout(std430, binding = 1) writeonly buffer BufOut { float y[]; };
layout(std430, binding = 2) writeonly buffer BufIndices { uint indices[]; };

uniform bool backward;
uniform uint mode, planes, in_h, in_w, out_h, out_w;
uniform int kernel, stride, padding;

// [lo, hi) of window i along an axis of `inn` inputs and `outn` outputs, clipped.
void window(uint i, uint inn, uint outn, out uint lo, out uint hi) {
    if (mode == 2u) {
        lo = (i * inn) / outn;
        hi = ((i + 1u) * inn + outn - 1u) / outn;
        return;
    }
    const int start = int(i) * stride - padding;
    lo = uint(max(start, 0));
    hi = uint(min(start + kernel, int(inn)));
}

// The outputs [first, last] along an axis whose windows may hold input h.
void readers(uint h, uint inn, uint outn, out uint first, out uint last) {
    if (mode == 2u) {
        first = (h * outn) / inn;
        last = min(((h + 1u) * outn + inn - 1u) / inn, outn) - 1u;
        return;
    }
    const int n = int(h) + padding - kernel + 1;
    first = n <= 0 ? 0u : uint((n + stride - 1) / stride);
    last = min(uint((int(h) + padding) / stride), outn - 1u);
}

bool is_nan(float v) {  // by its bits, which no compiler may fold away
    return (floatBitsToUint(v) & 0x7fffffffu) > 0x7f800000u;
}

void main() {
    const uint index = (gl_WorkGroupID.y * gl_NumWorkGroups.x + gl_WorkGroupID.x) * 256u +
                       gl_LocalInvocationID.x;
    const float square = float(kernel * kernel);
    if (!backward) {
        if (index >= planes * out_h * out_w) return;
        const uint j = index % out_w, i = (index / out_w) % out_h, p = index / (out_w * out_h);
        const uint plane = p * in_h * in_w;
        uint h0, h1, w0, w1;
        window(i, in_h, out_h, h0, h1);
        window(j, in_w, out_w, w0, w1);
        if (mode == 0u) {
            float best = uintBitsToFloat(0xff800000u);  // -inf
            uint at = h0 * in_w + w0;
            for (uint h = h0; h < h1; ++h)
                for (uint c = w0; c < w1; ++c) {
                    const float v = x[plane + h * in_w + c];
                    if (v > best || is_nan(v)) {
                        best = v;
                        at = h * in_w + c;
                    }
                }
            y[index] = best;
            indices[2u * index] = at;
            indices[2u * index + 1u] = 0u;
            return;
        }
        float sum = 0.0;
        for (uint h = h0; h < h1; ++h)
            for (uint c = w0; c < w1; ++c) sum += x[plane + h * in_w + c];
        y[index] = sum / (mode == 2u ? float((h1 - h0) * (w1 - w0)) : square);
        return;
    }
    if (index >= planes * in_h * in_w) return;
    const uint w = index % in_w, h = (index / in_w) % in_h, p = index / (in_w * in_h);
    const uint plane = p * out_h * out_w;
    uint i0, i1, j0, j1;
    readers(h, in_h, out_h, i0, i1);
    readers(w, in_w, out_w, j0, j1);
    float acc = 0.0;
    for (uint i = i0; i <= i1 && i < out_h; ++i) {
        uint h0, h1;
        window(i, in_h, out_h, h0, h1);
        if (h < h0 || h >= h1) continue;
        for (uint j = j0; j <= j1 && j < out_w; ++j) {
            uint w0, w1;
            window(j, in_w, out_w, w0, w1);
            if (w < w0 || w >= w1) continue;
            const float divisor = mode == 2u ? float((h1 - h0) * (w1 - w0)) : square;
            acc += x[plane + i * out_w + j] / divisor;
        }
    }
    y[index] = acc;
}
