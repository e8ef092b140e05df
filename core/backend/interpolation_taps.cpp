#include "backend/interpolation_taps.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>

namespace ganvas {
namespace {

// PyTorch's area_pixel_compute_scale / compute_scales_value, in float as its CPU
// kernels compute them for float tensors.
float axis_step(int64_t in, int64_t out, bool align_corners, double scale) {
    if (align_corners)
        return out > 1 ? static_cast<float>(in - 1) / static_cast<float>(out - 1) : 0.0f;
    return scale > 0.0 ? static_cast<float>(1.0 / scale)
                       : static_cast<float>(in) / static_cast<float>(out);
}

// area_pixel_compute_source_index: where output o sits in input coordinates.
float source_coordinate(float step, int64_t o, bool align_corners, bool cubic) {
    if (align_corners) return step * static_cast<float>(o);
    const float src = step * (static_cast<float>(o) + 0.5f) - 0.5f;
    return (!cubic && src < 0.0f) ? 0.0f : src;
}

// `shortcuts`: torch sends a one-channel (N, 1, H, W) tensor, which is channels-last
// contiguous as well, to a kernel that copies when out == in and halves when
// out == 2 in; its NCHW kernel always takes floor(o * step).
AxisTaps nearest_taps(int64_t in, int64_t out, double scale, bool exact, bool shortcuts) {
    AxisTaps a{in, out, 1, {}, {}};
    const float step = axis_step(in, out, false, scale);
    for (int64_t o = 0; o < out; ++o) {
        int64_t i;
        if (exact)
            i = static_cast<int64_t>(std::floor((static_cast<float>(o) + 0.5f) * step));
        else if (shortcuts && out == in)  // whatever the given scale factor
            i = o;
        else if (shortcuts && out == 2 * in)
            i = o >> 1;
        else
            i = static_cast<int64_t>(std::floor(static_cast<float>(o) * step));
        a.idx.push_back(std::min(i, in - 1));
        a.w.push_back(1.0f);
    }
    return a;
}

AxisTaps linear_taps(int64_t in, int64_t out, double scale, bool align_corners) {
    AxisTaps a{in, out, 2, {}, {}};
    const float step = axis_step(in, out, align_corners, scale);
    for (int64_t o = 0; o < out; ++o) {
        if (out == in) {  // torch copies, whatever the scale factor
            a.idx.insert(a.idx.end(), {o, o});
            a.w.insert(a.w.end(), {1.0f, 0.0f});
            continue;
        }
        const float real = source_coordinate(step, o, align_corners, false);
        const int64_t i0 = std::min(static_cast<int64_t>(std::floor(real)), in - 1);
        const float l1 = std::min(std::max(real - static_cast<float>(i0), 0.0f), 1.0f);
        const int64_t i1 = i0 + (i0 < in - 1 ? 1 : 0);
        a.idx.insert(a.idx.end(), {i0, i1});
        a.w.insert(a.w.end(), {1.0f - l1, l1});
    }
    return a;
}

// Keys' cubic convolution kernel with A = -0.75, as torch: |x| <= 1 and 1 < |x| < 2.
float cubic_near(float x, float A) {
    return ((A + 2) * x - (A + 3)) * x * x + 1;
}
float cubic_far(float x, float A) {
    return ((A * x - 5 * A) * x + 8 * A) * x - 4 * A;
}

AxisTaps cubic_taps(int64_t in, int64_t out, double scale, bool align_corners) {
    constexpr float A = -0.75f;
    AxisTaps a{in, out, 4, {}, {}};
    const float step = axis_step(in, out, align_corners, scale);
    for (int64_t o = 0; o < out; ++o) {
        const float real = source_coordinate(step, o, align_corners, true);
        const int64_t i = static_cast<int64_t>(std::floor(real));
        const float t = real - static_cast<float>(i);
        const float t2 = 1.0f - t;  // as torch writes it, so the floats agree
        const float w[4] = {cubic_far(t + 1.0f, A), cubic_near(t, A), cubic_near(t2, A),
                            cubic_far(t2 + 1.0f, A)};
        for (int64_t j = 0; j < 4; ++j) {  // indices past the edge read the edge
            a.idx.push_back(std::max<int64_t>(std::min(i - 1 + j, in - 1), 0));
            a.w.push_back(w[j]);
        }
    }
    return a;
}

}  // namespace

AxisTaps axis_taps(InterpolationMode mode, const InterpolateGeometry& g, bool rows) {
    const int64_t in = rows ? g.in_h : g.in_w, out = rows ? g.out_h : g.out_w;
    const double scale = rows ? g.scale_h : g.scale_w;
    switch (mode) {
        case InterpolationMode::nearest:
            return nearest_taps(in, out, scale, false, g.nearest_shortcuts);
        case InterpolationMode::nearest_exact:
            return nearest_taps(in, out, scale, true, g.nearest_shortcuts);
        case InterpolationMode::bilinear:
            return linear_taps(in, out, scale, g.align_corners);
        case InterpolationMode::bicubic:
            return cubic_taps(in, out, scale, g.align_corners);
    }
    throw std::invalid_argument("interpolate: unknown interpolation mode");
}

}  // namespace ganvas
