#include "ops/pooling.h"

#include <algorithm>
#include <stdexcept>
#include <string>
#include <vector>

#include "backend/spatial_kernels.h"
#include "ops/dispatch.h"
#include "tape/tape.h"

namespace ganvas {
namespace {

void check_input(const Tensor& x, const char* op) {
    if (!x.defined()) throw std::invalid_argument(std::string(op) + ": undefined tensor");
    if (x.dtype() != DType::f32 || x.dim() != 4 || x.size(2) == 0 || x.size(3) == 0)
        throw std::invalid_argument(std::string(op) + ": expects float32 input (N, C, H, W) " +
                                    "with H, W > 0, got " + shape_str(x.shape()) + " " +
                                    dtype_name(x.dtype()));
}

PoolGeometry sliding_geometry(const Tensor& x, int64_t kernel, int64_t stride, int64_t padding,
                              const char* op) {
    check_input(x, op);
    const std::string args = "kernel " + std::to_string(kernel) + ", stride " +
                             std::to_string(stride) + ", padding " + std::to_string(padding);
    if (kernel <= 0 || stride <= 0 || padding < 0)
        throw std::invalid_argument(std::string(op) + ": needs kernel > 0, stride > 0 and " +
                                    "padding >= 0, got " + args);
    if (padding > kernel / 2)  // else a window could lie wholly in the padding
        throw std::invalid_argument(std::string(op) + ": padding must be at most half the " +
                                    "kernel, got " + args);
    const int64_t h = x.size(2), w = x.size(3);
    if (h + 2 * padding < kernel || w + 2 * padding < kernel)
        throw std::invalid_argument(std::string(op) + ": input " + shape_str(x.shape()) +
                                    " is smaller than the window (" + args + ")");
    PoolGeometry g;
    g.planes = x.size(0) * x.size(1);
    g.in_h = h;
    g.in_w = w;
    g.out_h = (h + 2 * padding - kernel) / stride + 1;
    g.out_w = (w + 2 * padding - kernel) / stride + 1;
    g.kernel = kernel;
    g.stride = stride;
    g.padding = padding;
    return g;
}

Shape out_shape(const Tensor& t, const PoolGeometry& g) {
    return {t.size(0), t.size(1), g.out_h, g.out_w};
}
Shape in_shape(const Tensor& t, const PoolGeometry& g) {
    return {t.size(0), t.size(1), g.in_h, g.in_w};
}

// -- average pooling: a pool and its adjoint, each the other's gradient ---------

const char* avg_name(PoolMode mode) {
    return mode == PoolMode::adaptive_avg ? "adaptive_avg_pool2d" : "avg_pool2d";
}

Tensor avg_pool_backward(const Tensor& g, PoolMode mode, const PoolGeometry& geo);

// x (N, C, H, W) -> (N, C, Ho, Wo)
Tensor avg_pool_forward(const Tensor& x, PoolMode mode, const PoolGeometry& geo) {
    Backend& be = dispatch(avg_name(mode), {x});
    Tensor out = empty_on(x, out_shape(x, geo));
    be.spatial().pool2d_forward(mode, geo, x.storage(), out.storage(), nullptr);
    return record(avg_name(mode), out, {x}, [mode, geo](const Tensor& g, const std::vector<bool>&) {
        return std::vector<Tensor>{avg_pool_backward(g, mode, geo)};
    });
}

// g (N, C, Ho, Wo) -> (N, C, H, W): each output's share spread back over its window.
Tensor avg_pool_backward(const Tensor& g, PoolMode mode, const PoolGeometry& geo) {
    Backend& be = dispatch("avg_pool2d_backward", {g});
    Tensor gx = empty_on(g, in_shape(g, geo));
    be.spatial().pool2d_backward(mode, geo, g.storage(), nullptr, gx.storage());
    return record("avg_pool2d_backward", gx, {g},
                  [mode, geo](const Tensor& gg, const std::vector<bool>&) {
                      return std::vector<Tensor>{avg_pool_forward(gg, mode, geo)};
                  });
}

// -- max pooling: values at fixed indices, a gather and its adjoint scatter ------

// g (N, C, Ho, Wo) -> (N, C, H, W): g added at each window's winning position.
Tensor max_pool_backward(const Tensor& g, const Tensor& indices, int64_t in_h, int64_t in_w);

// t (N, C, H, W) -> (N, C, Ho, Wo): t at the winning positions (plane-local flat indices).
Tensor max_pool_gather(const Tensor& t, const Tensor& indices) {
    Backend& be = dispatch("max_pool2d_gather", {t, indices});
    Tensor out = empty_on(t, indices.shape());
    be.spatial().plane_gather(t.size(0) * t.size(1), t.size(2) * t.size(3),
                              indices.size(2) * indices.size(3), t.storage(), indices.storage(),
                              out.storage());
    return record(
        "max_pool2d_gather", out, {t},
        [indices, h = t.size(2), w = t.size(3)](const Tensor& g, const std::vector<bool>&) {
            return std::vector<Tensor>{max_pool_backward(g, indices, h, w)};
        });
}

Tensor max_pool_backward(const Tensor& g, const Tensor& indices, int64_t in_h, int64_t in_w) {
    Backend& be = dispatch("max_pool2d_backward", {g, indices});
    PoolGeometry geo;
    geo.planes = g.size(0) * g.size(1);
    geo.in_h = in_h;
    geo.in_w = in_w;
    geo.out_h = g.size(2);
    geo.out_w = g.size(3);
    Tensor gx = empty_on(g, in_shape(g, geo));
    be.spatial().pool2d_backward(PoolMode::max, geo, g.storage(), &indices.storage(), gx.storage());
    return record("max_pool2d_backward", gx, {g},
                  [indices](const Tensor& gg, const std::vector<bool>&) {
                      return std::vector<Tensor>{max_pool_gather(gg, indices)};
                  });
}

}  // namespace

Tensor max_pool2d(const Tensor& x, int64_t kernel, int64_t stride, int64_t padding) {
    Tensor indices;  // (N, C, Ho, Wo) int64
    return max_pool2d_with_indices(x, kernel, stride, padding, indices);
}

Tensor max_pool2d_with_indices(const Tensor& x, int64_t kernel, int64_t stride, int64_t padding,
                               Tensor& indices) {
    const PoolGeometry geo = sliding_geometry(x, kernel, stride, padding, "max_pool2d");
    Backend& be = dispatch("max_pool2d", {x});
    Tensor out = empty_on(x, out_shape(x, geo));
    indices = empty_on(x, out.shape(), DType::i64);  // stays on x's device
    be.spatial().pool2d_forward(PoolMode::max, geo, x.storage(), out.storage(), &indices.storage());
    return record("max_pool2d", out, {x},
                  [indices, h = geo.in_h, w = geo.in_w](const Tensor& g, const std::vector<bool>&) {
                      return std::vector<Tensor>{max_pool_backward(g, indices, h, w)};
                  });
}

Tensor max_unpool2d(const Tensor& x, const Tensor& indices, int64_t out_h, int64_t out_w) {
    const char* op = "max_unpool2d";
    check_input(x, op);
    if (!indices.defined() || indices.dtype() != DType::i64 || indices.shape() != x.shape())
        throw std::invalid_argument(std::string(op) + ": indices must be int64 of the input's " +
                                    "shape " + shape_str(x.shape()));
    if (out_h <= 0 || out_w <= 0)
        throw std::invalid_argument(std::string(op) + ": output size must be positive");
    Backend& be = dispatch(op, {x, indices});
    const int64_t out_plane = out_h * out_w;
    // Bad indices must fail before any kernel writes: read back (from any device)
    // for the check, a cost this rarely used op can bear.
    const std::vector<int64_t> where = indices.to_vector_i64();
    const auto bad = std::find_if(where.begin(), where.end(),
                                  [&](int64_t i) { return i < 0 || i >= out_plane; });
    if (bad != where.end())
        throw std::invalid_argument(std::string(op) + ": index " + std::to_string(*bad) +
                                    " lies outside the output " + std::to_string(out_h) + "x" +
                                    std::to_string(out_w));
    Tensor out = empty_on(x, {x.size(0), x.size(1), out_h, out_w});
    be.spatial().plane_scatter(false, x.size(0) * x.size(1), x.size(2) * x.size(3), out_plane,
                               x.storage(), indices.storage(), out.storage());
    return record(op, out, {x}, [indices](const Tensor& g, const std::vector<bool>&) {
        return std::vector<Tensor>{max_pool_gather(g, indices)};
    });
}

Tensor avg_pool2d(const Tensor& x, int64_t kernel, int64_t stride, int64_t padding) {
    return avg_pool_forward(x, PoolMode::avg,
                            sliding_geometry(x, kernel, stride, padding, "avg_pool2d"));
}

Tensor adaptive_avg_pool2d(const Tensor& x, int64_t out_h, int64_t out_w) {
    const char* op = "adaptive_avg_pool2d";
    check_input(x, op);
    if (out_h <= 0 || out_w <= 0)
        throw std::invalid_argument(std::string(op) + ": output size (" + std::to_string(out_h) +
                                    ", " + std::to_string(out_w) + ") must be positive, input " +
                                    shape_str(x.shape()));
    PoolGeometry geo;
    geo.planes = x.size(0) * x.size(1);
    geo.in_h = x.size(2);
    geo.in_w = x.size(3);
    geo.out_h = out_h;
    geo.out_w = out_w;
    return avg_pool_forward(x, PoolMode::adaptive_avg, geo);
}

}  // namespace ganvas
