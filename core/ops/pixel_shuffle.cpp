#include "ops/pixel_shuffle.h"

#include <stdexcept>
#include <string>

#include "ops/shape_ops.h"

namespace ganvas {

Tensor pixel_shuffle(const Tensor& x, int64_t r) {
    if (!x.defined() || x.dim() != 4 || r < 1 || x.size(1) % (r * r) != 0)
        throw std::invalid_argument(
            "pixel_shuffle: needs input (N, C*r^2, H, W) with channels divisible by r^2 = " +
            std::to_string(r * r) + ", got " + (x.defined() ? shape_str(x.shape()) : "none") +
            " and r = " + std::to_string(r));
    const int64_t n = x.size(0), c = x.size(1) / (r * r), h = x.size(2), w = x.size(3);
    Tensor t = reshape(x, {n, c, r, r, h, w});  // (N, C, i, j, H, W)
    t = permute(t, {0, 1, 4, 2, 5, 3});         // (N, C, H, i, W, j)
    return reshape(t, {n, c, h * r, w * r});
}

Tensor pixel_unshuffle(const Tensor& x, int64_t r) {
    if (!x.defined() || x.dim() != 4 || r < 1 || x.size(2) % r != 0 || x.size(3) % r != 0)
        throw std::invalid_argument(
            "pixel_unshuffle: needs input (N, C, H, W) with H and W divisible by r = " +
            std::to_string(r) + ", got " + (x.defined() ? shape_str(x.shape()) : "none"));
    const int64_t n = x.size(0), c = x.size(1), h = x.size(2) / r, w = x.size(3) / r;
    Tensor t = reshape(x, {n, c, h, r, w, r});  // (N, C, H, i, W, j)
    t = permute(t, {0, 1, 3, 5, 2, 4});         // (N, C, i, j, H, W)
    return reshape(t, {n, c * r * r, h, w});
}

}  // namespace ganvas
