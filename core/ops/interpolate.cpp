#include "ops/interpolate.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "backend/cpu/thread_pool.h"
#include "ops/pooling.h"
#include "tape/tape.h"

namespace ganvas {
namespace {

// The taps of one axis: output position o reads input idx[o * k + t] with weight
// w[o * k + t], t < k.
struct AxisTaps {
    int64_t in = 0, out = 0, k = 1;
    std::vector<int64_t> idx;
    std::vector<float> w;
};

struct Taps2d {
    AxisTaps h, w;
};
using TapsPtr = std::shared_ptr<const Taps2d>;

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

Tensor taps_backward(const Tensor& g, const TapsPtr& taps);

// Runs fn(p) for each of `planes` planes, `work` elements each, over the pool.
template <typename F>
void for_planes(int64_t planes, int64_t work, F fn) {
    constexpr int64_t kWork = 1 << 14;
    cpu::parallel_for(planes, std::max<int64_t>(1, kWork / std::max<int64_t>(1, work)),
                      [&](int64_t p0, int64_t p1) {
                          for (int64_t p = p0; p < p1; ++p) fn(p);
                      });
}

// x (N, C, H, W) -> (N, C, Ho, Wo): the taps applied, rows outer, columns inner.
Tensor taps_forward(const Tensor& x, const TapsPtr& taps) {
    const AxisTaps &th = taps->h, &tw = taps->w;
    Tensor out = Tensor::empty({x.size(0), x.size(1), th.out, tw.out});
    const int64_t in_plane = th.in * tw.in, out_plane = th.out * tw.out;
    const float* px = x.data();
    float* po = out.data();
    for_planes(x.size(0) * x.size(1), out_plane * th.k * tw.k, [&](int64_t p) {
        const float* xp = px + p * in_plane;
        float* op = po + p * out_plane;
        for (int64_t i = 0; i < th.out; ++i)
            for (int64_t j = 0; j < tw.out; ++j) {
                float acc = 0.0f;
                for (int64_t a = 0; a < th.k; ++a) {
                    const float* row = xp + th.idx[i * th.k + a] * tw.in;
                    float inner = 0.0f;
                    for (int64_t b = 0; b < tw.k; ++b)
                        inner += row[tw.idx[j * tw.k + b]] * tw.w[j * tw.k + b];
                    acc += inner * th.w[i * th.k + a];
                }
                op[i * tw.out + j] = acc;
            }
    });
    return record("interpolate", out, {x}, [taps](const Tensor& g, const std::vector<bool>&) {
        return std::vector<Tensor>{taps_backward(g, taps)};
    });
}

// g (N, C, Ho, Wo) -> (N, C, H, W): the adjoint, each output's gradient spread back
// over the inputs it read, with the same weights.
Tensor taps_backward(const Tensor& g, const TapsPtr& taps) {
    const AxisTaps &th = taps->h, &tw = taps->w;
    Tensor gx = Tensor::zeros({g.size(0), g.size(1), th.in, tw.in});
    const int64_t in_plane = th.in * tw.in, out_plane = th.out * tw.out;
    const float* pg = g.data();
    float* px = gx.data();
    for_planes(g.size(0) * g.size(1), out_plane * th.k * tw.k, [&](int64_t p) {
        const float* gp = pg + p * out_plane;
        float* xp = px + p * in_plane;
        for (int64_t i = 0; i < th.out; ++i)
            for (int64_t a = 0; a < th.k; ++a) {
                float* row = xp + th.idx[i * th.k + a] * tw.in;
                const float wa = th.w[i * th.k + a];
                for (int64_t j = 0; j < tw.out; ++j) {
                    const float v = gp[i * tw.out + j] * wa;
                    for (int64_t b = 0; b < tw.k; ++b)
                        row[tw.idx[j * tw.k + b]] += v * tw.w[j * tw.k + b];
                }
            }
    });
    return record("interpolate_backward", gx, {g},
                  [taps](const Tensor& gg, const std::vector<bool>&) {
                      return std::vector<Tensor>{taps_forward(gg, taps)};
                  });
}

std::string options_str(const InterpolateOptions& o) {
    if (o.size[0] > 0 || o.size[1] > 0)
        return "size " + std::to_string(o.size[0]) + "x" + std::to_string(o.size[1]);
    char buf[96];
    std::snprintf(buf, sizeof buf, "scale factor %g x %g", o.scale[0], o.scale[1]);
    return buf;
}

}  // namespace

InterpMode interp_mode_from_name(const std::string& name) {
    for (InterpMode m : {InterpMode::nearest, InterpMode::nearest_exact, InterpMode::bilinear,
                         InterpMode::bicubic, InterpMode::area})
        if (name == interp_mode_name(m)) return m;
    throw std::invalid_argument("unknown interpolation mode '" + name +
                                "' (choose nearest, nearest-exact, bilinear, bicubic or area)");
}

const char* interp_mode_name(InterpMode mode) {
    switch (mode) {
        case InterpMode::nearest:
            return "nearest";
        case InterpMode::nearest_exact:
            return "nearest-exact";
        case InterpMode::bilinear:
            return "bilinear";
        case InterpMode::bicubic:
            return "bicubic";
        case InterpMode::area:
            return "area";
    }
    return "?";
}

std::array<int64_t, 2> interpolate_output_size(int64_t in_h, int64_t in_w,
                                               const InterpolateOptions& opt) {
    const bool has_size = opt.size[0] != 0 || opt.size[1] != 0;
    const bool has_scale = opt.scale[0] != 0.0 || opt.scale[1] != 0.0;
    if (has_size == has_scale)
        throw std::invalid_argument("interpolate: give either an output size or a scale factor");
    std::array<int64_t, 2> out = opt.size;
    if (has_scale) {
        for (int d = 0; d < 2; ++d) {
            const double s = opt.scale[d];
            const double in = static_cast<double>(d == 0 ? in_h : in_w);
            // Past 2^31 pixels a side is no image we can hold; NaN fails the test too.
            if (!(s > 0.0) || !(in * s < 2147483648.0))
                throw std::invalid_argument("interpolate: " + options_str(opt) +
                                            " must be positive and finite for input " +
                                            std::to_string(in_h) + "x" + std::to_string(in_w));
            out[d] = static_cast<int64_t>(std::floor(in * s));  // Python's math.floor, in double
        }
    }
    if (out[0] <= 0 || out[1] <= 0)
        throw std::invalid_argument("interpolate: " + options_str(opt) + " gives an empty " +
                                    "output for input " + std::to_string(in_h) + "x" +
                                    std::to_string(in_w));
    return out;
}

Tensor interpolate(const Tensor& x, const InterpolateOptions& opt) {
    if (!x.defined() || x.dtype() != DType::f32 || x.dim() != 4 || x.size(2) == 0 || x.size(3) == 0)
        throw std::invalid_argument(
            "interpolate: expects float32 input (N, C, H, W) with H, W > 0" +
            std::string(x.defined() ? ", got " + shape_str(x.shape()) : ""));
    const bool linear = opt.mode == InterpMode::bilinear || opt.mode == InterpMode::bicubic;
    if (opt.align_corners && !linear)
        throw std::invalid_argument(std::string("interpolate: align_corners applies to bilinear ") +
                                    "and bicubic only, not " + interp_mode_name(opt.mode));
    const int64_t in_h = x.size(2), in_w = x.size(3);
    const auto [out_h, out_w] = interpolate_output_size(in_h, in_w, opt);
    if (opt.mode == InterpMode::area) return adaptive_avg_pool2d(x, out_h, out_w);

    auto taps = std::make_shared<Taps2d>();
    const double sh = opt.scale[0], sw = opt.scale[1];  // 0 when a size was given
    switch (opt.mode) {
        case InterpMode::nearest:
        case InterpMode::nearest_exact: {
            const bool exact = opt.mode == InterpMode::nearest_exact;
            const bool one_channel = x.size(1) == 1;
            taps->h = nearest_taps(in_h, out_h, sh, exact, one_channel);
            taps->w = nearest_taps(in_w, out_w, sw, exact, one_channel);
            break;
        }
        case InterpMode::bilinear:
            taps->h = linear_taps(in_h, out_h, sh, opt.align_corners);
            taps->w = linear_taps(in_w, out_w, sw, opt.align_corners);
            break;
        case InterpMode::bicubic:
            taps->h = cubic_taps(in_h, out_h, sh, opt.align_corners);
            taps->w = cubic_taps(in_w, out_w, sw, opt.align_corners);
            break;
        case InterpMode::area:
            break;
    }
    return taps_forward(x, taps);
}

Tensor upsample_nearest(const Tensor& x, double scale) {
    InterpolateOptions o;
    o.mode = InterpMode::nearest;
    o.scale = {scale, scale};
    return interpolate(x, o);
}

Tensor upsample_bilinear(const Tensor& x, double scale, bool align_corners) {
    InterpolateOptions o;
    o.mode = InterpMode::bilinear;
    o.align_corners = align_corners;
    o.scale = {scale, scale};
    return interpolate(x, o);
}

}  // namespace ganvas
