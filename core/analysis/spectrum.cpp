#include "analysis/spectrum.h"

#include <Eigen/Core>
#include <complex>
#include <stdexcept>
#include <string>
#include <unsupported/Eigen/FFT>

namespace ganvas {

Tensor fft2_magnitude(const Tensor& image) {
    const bool plane =
        image.defined() && image.dtype() == DType::f32 &&
        (image.dim() == 2 || (image.dim() == 4 && image.size(0) == 1 && image.size(1) == 1));
    if (!plane || image.numel() == 0)
        throw std::invalid_argument("fft2_magnitude: needs one float32 image (H, W), got " +
                                    (image.defined() ? shape_str(image.shape()) : "none"));
    const int64_t h = image.size(-2), w = image.size(-1);
    using RowMajorF = Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
    Eigen::MatrixXcd grid =  // (H, W)
        Eigen::Map<const RowMajorF>(image.data(), h, w).cast<std::complex<double>>();

    // The 2-D transform is 1-D transforms along the rows, then along the columns
    // (kissfft's fwd2 is an empty stub). kissfft crashes on length 1, where the
    // transform is the identity, so such an axis is left as it is.
    Eigen::FFT<double> fft;
    if (w > 1) {
        Eigen::RowVectorXcd row_spectrum;
        for (int64_t r = 0; r < h; ++r) {
            fft.fwd(row_spectrum, grid.row(r));
            grid.row(r) = row_spectrum;
        }
    }
    if (h > 1) {
        Eigen::VectorXcd column_spectrum;
        for (int64_t c = 0; c < w; ++c) {
            fft.fwd(column_spectrum, grid.col(c));
            grid.col(c) = column_spectrum;
        }
    }
    // fftshift (numpy's roll by n / 2): frequency 0 lands at (h / 2, w / 2).
    Tensor out = Tensor::empty({h, w});
    for (int64_t i = 0; i < h; ++i)
        for (int64_t j = 0; j < w; ++j) {
            const int64_t si = (i + h - h / 2) % h, sj = (j + w - w / 2) % w;
            out.data()[i * w + j] = static_cast<float>(std::abs(grid(si, sj)));
        }
    return out;
}

}  // namespace ganvas
