#include "analysis/image_quality.h"

#include <cmath>
#include <limits>
#include <stdexcept>
#include <string>
#include <vector>

namespace ganvas {
namespace {

constexpr int kWindow = 11;
constexpr double kSigma = 1.5;

void check_pair(const Tensor& a, const Tensor& b, const char* who) {
    if (!a.defined() || !b.defined() || a.dtype() != DType::f32 || b.dtype() != DType::f32 ||
        a.shape() != b.shape() || a.numel() == 0)
        throw std::invalid_argument(std::string(who) + ": needs two non-empty float32 tensors " +
                                    "of one shape, got " +
                                    (a.defined() ? shape_str(a.shape()) : "none") + " and " +
                                    (b.defined() ? shape_str(b.shape()) : "none"));
}

std::vector<double> gaussian_window() {
    std::vector<double> g(kWindow);
    double total = 0;
    for (int i = 0; i < kWindow; ++i) {
        const double c = i - kWindow / 2;
        g[i] = std::exp(-c * c / (2 * kSigma * kSigma));
        total += g[i];
    }
    for (double& v : g) v /= total;
    return g;
}

// The separable Gaussian over the valid positions of one plane (h, w) -> (h - 10, w - 10).
std::vector<double> filter_valid(const std::vector<double>& img, int64_t h, int64_t w,
                                 const std::vector<double>& g) {
    const int64_t oh = h - kWindow + 1, ow = w - kWindow + 1;
    std::vector<double> rows(static_cast<size_t>(h * ow)), out(static_cast<size_t>(oh * ow));
    for (int64_t i = 0; i < h; ++i)
        for (int64_t j = 0; j < ow; ++j) {
            double s = 0;
            for (int k = 0; k < kWindow; ++k) s += g[k] * img[i * w + j + k];
            rows[i * ow + j] = s;
        }
    for (int64_t i = 0; i < oh; ++i)
        for (int64_t j = 0; j < ow; ++j) {
            double s = 0;
            for (int k = 0; k < kWindow; ++k) s += g[k] * rows[(i + k) * ow + j];
            out[i * ow + j] = s;
        }
    return out;
}

}  // namespace

double psnr(const Tensor& a, const Tensor& b, double data_range) {
    check_pair(a, b, "psnr");
    double se = 0;
    for (int64_t i = 0; i < a.numel(); ++i) {
        const double d = static_cast<double>(a.data()[i]) - b.data()[i];
        se += d * d;
    }
    const double mse = se / static_cast<double>(a.numel());
    if (mse == 0) return std::numeric_limits<double>::infinity();
    return 10.0 * std::log10(data_range * data_range / mse);
}

double ssim(const Tensor& a, const Tensor& b, double data_range) {
    check_pair(a, b, "ssim");
    if (a.dim() != 4 || a.size(2) < kWindow || a.size(3) < kWindow)
        throw std::invalid_argument("ssim: needs images (N, C, H, W) with H, W >= 11 for its " +
                                    std::string("11x11 window, got ") + shape_str(a.shape()));
    const int64_t h = a.size(2), w = a.size(3), plane = h * w;
    const double c1 = std::pow(0.01 * data_range, 2), c2 = std::pow(0.03 * data_range, 2);
    const std::vector<double> g = gaussian_window();
    double total = 0;
    int64_t count = 0;
    std::vector<double> x(plane), y(plane), xx(plane), yy(plane), xy(plane);
    for (int64_t p = 0; p < a.size(0) * a.size(1); ++p) {
        for (int64_t i = 0; i < plane; ++i) {
            x[i] = a.data()[p * plane + i];
            y[i] = b.data()[p * plane + i];
            xx[i] = x[i] * x[i];
            yy[i] = y[i] * y[i];
            xy[i] = x[i] * y[i];
        }
        const auto mx = filter_valid(x, h, w, g), my = filter_valid(y, h, w, g);
        const auto sxx = filter_valid(xx, h, w, g), syy = filter_valid(yy, h, w, g),
                   sxy = filter_valid(xy, h, w, g);
        for (size_t i = 0; i < mx.size(); ++i) {
            const double vx = sxx[i] - mx[i] * mx[i], vy = syy[i] - my[i] * my[i];
            const double cov = sxy[i] - mx[i] * my[i];
            total += ((2 * mx[i] * my[i] + c1) * (2 * cov + c2)) /
                     ((mx[i] * mx[i] + my[i] * my[i] + c1) * (vx + vy + c2));
            ++count;
        }
    }
    return total / static_cast<double>(count);
}

}  // namespace ganvas
