#include "io/toy_scatter.h"

#include <cmath>
#include <stdexcept>
#include <vector>

#include "io/image_png.h"

namespace ganvas {

void save_toy_scatter(const std::string& path, const Tensor& real, const Tensor& fake, float lo,
                      float hi, int size) {
    if (real.dim() != 2 || fake.dim() != 2 || real.size(1) != fake.size(1) || !(hi > lo))
        throw std::invalid_argument(path + ": toy scatter needs two (n, dim) point sets");
    std::vector<uint8_t> rgb(static_cast<size_t>(size) * size * 3, 255);
    auto plot = [&](int px, int py, const uint8_t c[3]) {
        for (int dy = -1; dy <= 1; ++dy)
            for (int dx = -1; dx <= 1; ++dx) {
                const int x = px + dx, y = py + dy;
                if (x < 0 || y < 0 || x >= size || y >= size) continue;
                std::copy(c, c + 3, rgb.data() + (static_cast<size_t>(y) * size + x) * 3);
            }
    };
    auto to_px = [&](float v) { return static_cast<int>(std::floor((v - lo) / (hi - lo) * size)); };
    const uint8_t grey[3] = {150, 150, 150}, orange[3] = {230, 120, 20};
    const int64_t dim = real.size(1);
    auto draw = [&](const Tensor& t, const uint8_t c[3], int row) {
        for (int64_t i = 0; i < t.size(0); ++i) {
            const float x = t.data()[i * dim];
            if (!std::isfinite(x)) continue;
            if (dim == 2) {
                const float y = t.data()[i * dim + 1];
                if (std::isfinite(y)) plot(to_px(x), size - 1 - to_px(y), c);
            } else {
                for (int k = 0; k < size / 4; ++k) plot(to_px(x), row + k, c);
            }
        }
    };
    draw(real, grey, size / 8);
    draw(fake, orange, size * 5 / 8);
    save_png(path, size, size, 3, rgb.data());
}

}  // namespace ganvas
