#include "analysis/spectrum.h"

#include <cmath>
#include <stdexcept>
#include <string>
#include <utility>

namespace ganvas {
namespace {

using Complex = std::complex<double>;

bool power_of_two(size_t n) {
    return n > 0 && (n & (n - 1)) == 0;
}

// Iterative Cooley-Tukey: bit-reversal permutation, then log2(N) butterfly passes.
void radix2(std::vector<Complex>& a) {
    const size_t n = a.size();
    for (size_t i = 1, j = 0; i < n; ++i) {
        size_t bit = n >> 1;
        for (; j & bit; bit >>= 1) j ^= bit;
        j ^= bit;
        if (i < j) std::swap(a[i], a[j]);
    }
    for (size_t len = 2; len <= n; len <<= 1) {
        const double angle = -2.0 * M_PI / static_cast<double>(len);
        for (size_t i = 0; i < n; i += len)
            for (size_t k = 0; k < len / 2; ++k) {
                const Complex wk = std::polar(1.0, angle * static_cast<double>(k));
                const Complex u = a[i + k], v = a[i + k + len / 2] * wk;
                a[i + k] = u + v;
                a[i + k + len / 2] = u - v;
            }
    }
}

void direct(std::vector<Complex>& a) {
    const size_t n = a.size();
    std::vector<Complex> twiddle(n), out(n);
    for (size_t k = 0; k < n; ++k)
        twiddle[k] = std::polar(1.0, -2.0 * M_PI * static_cast<double>(k) / static_cast<double>(n));
    for (size_t k = 0; k < n; ++k) {
        Complex s = 0;
        for (size_t j = 0, t = 0; j < n; ++j, t = t + k >= n ? t + k - n : t + k)
            s += a[j] * twiddle[t];  // t = k * j mod n
        out[k] = s;
    }
    a = std::move(out);
}

}  // namespace

void dft(std::vector<Complex>& x) {
    if (power_of_two(x.size()))
        radix2(x);
    else if (!x.empty())
        direct(x);
}

Tensor fft2_magnitude(const Tensor& image) {
    const bool plane =
        image.defined() && image.dtype() == DType::f32 &&
        (image.dim() == 2 || (image.dim() == 4 && image.size(0) == 1 && image.size(1) == 1));
    if (!plane || image.numel() == 0)
        throw std::invalid_argument("fft2_magnitude: needs one float32 image (H, W), got " +
                                    (image.defined() ? shape_str(image.shape()) : "none"));
    const int64_t h = image.size(-2), w = image.size(-1);
    std::vector<Complex> grid(static_cast<size_t>(h * w));
    for (int64_t i = 0; i < h * w; ++i) grid[i] = image.data()[i];
    std::vector<Complex> line(static_cast<size_t>(w));
    for (int64_t r = 0; r < h; ++r) {  // rows, then columns
        for (int64_t c = 0; c < w; ++c) line[c] = grid[r * w + c];
        dft(line);
        for (int64_t c = 0; c < w; ++c) grid[r * w + c] = line[c];
    }
    line.resize(static_cast<size_t>(h));
    for (int64_t c = 0; c < w; ++c) {
        for (int64_t r = 0; r < h; ++r) line[r] = grid[r * w + c];
        dft(line);
        for (int64_t r = 0; r < h; ++r) grid[r * w + c] = line[r];
    }
    // fftshift (numpy's roll by n / 2): frequency 0 lands at (h / 2, w / 2).
    Tensor out = Tensor::empty({h, w});
    for (int64_t i = 0; i < h; ++i)
        for (int64_t j = 0; j < w; ++j) {
            const int64_t si = (i + h - h / 2) % h, sj = (j + w - w / 2) % w;
            out.data()[i * w + j] = static_cast<float>(std::abs(grid[si * w + sj]));
        }
    return out;
}

}  // namespace ganvas
