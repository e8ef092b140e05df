#include "ops/pixel_shuffle.h"

#include <stdexcept>
#include <string>
#include <vector>

#include "backend/spatial_kernels.h"
#include "ops/dispatch.h"
#include "tape/tape.h"

namespace ganvas {
namespace {

// One permutation and its inverse, each the other's gradient. g's sides are the
// shuffled (high-resolution) image's: (N, C, H * r, W * r) <-> (N, C * r^2, H, W).
Tensor shuffle_op(const Tensor& x, bool unshuffle, const PixelShuffleGeometry& g) {
    const char* op = unshuffle ? "pixel_unshuffle" : "pixel_shuffle";
    Backend& be = dispatch(op, {x});
    const Shape shape =
        unshuffle ? Shape{g.N, g.C * g.r * g.r, g.H, g.W} : Shape{g.N, g.C, g.H * g.r, g.W * g.r};
    Tensor y = empty_on(x, shape, x.dtype());
    be.spatial().pixel_shuffle(unshuffle, g, x.storage(), y.storage());
    return record(op, y, {x}, [unshuffle, g](const Tensor& gy, const std::vector<bool>&) {
        return std::vector<Tensor>{shuffle_op(gy, !unshuffle, g)};
    });
}

PixelShuffleGeometry geometry(const Tensor& x, int64_t n, int64_t c, int64_t h, int64_t w,
                              int64_t r) {
    PixelShuffleGeometry g;
    g.N = n, g.C = c, g.H = h, g.W = w, g.r = r;
    g.element_bytes = static_cast<int64_t>(dtype_size(x.dtype()));
    return g;
}

}  // namespace

Tensor pixel_shuffle(const Tensor& x, int64_t r) {
    if (!x.defined() || x.dim() != 4 || r < 1 || x.size(1) % (r * r) != 0)
        throw std::invalid_argument(
            "pixel_shuffle: needs input (N, C*r^2, H, W) with channels divisible by r^2 = " +
            std::to_string(r * r) + ", got " + (x.defined() ? shape_str(x.shape()) : "none") +
            " and r = " + std::to_string(r));
    const int64_t n = x.size(0), c = x.size(1) / (r * r), h = x.size(2), w = x.size(3);
    return shuffle_op(x, false, geometry(x, n, c, h, w, r));
}

Tensor pixel_unshuffle(const Tensor& x, int64_t r) {
    if (!x.defined() || x.dim() != 4 || r < 1 || x.size(2) % r != 0 || x.size(3) % r != 0)
        throw std::invalid_argument(
            "pixel_unshuffle: needs input (N, C, H, W) with H and W divisible by r = " +
            std::to_string(r) + ", got " + (x.defined() ? shape_str(x.shape()) : "none"));
    const int64_t n = x.size(0), c = x.size(1), h = x.size(2) / r, w = x.size(3) / r;
    return shuffle_op(x, true, geometry(x, n, c, h, w, r));
}

}  // namespace ganvas
