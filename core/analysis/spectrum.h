// The 2-D discrete Fourier transform's magnitude: an upsampler's checkerboard is a
// periodic pattern, so it shows as bright off-centre peaks in the spectrum.
#pragma once

#include <complex>
#include <vector>

#include "tensor/tensor.h"

namespace ganvas {

// In-place 1-D DFT X[k] = sum_n x[n] exp(-2 pi i k n / N), as numpy.fft.fft: radix-2
// for powers of two, the direct O(N^2) sum otherwise (sides here are at most a few
// hundred, so that is fast enough).
void dft(std::vector<std::complex<double>>& x);

// |fft2(image)| with the zero frequency moved to the centre (numpy.fft.fftshift):
// image (H, W) or (1, 1, H, W) float32 -> (H, W).
Tensor fft2_magnitude(const Tensor& image);

}  // namespace ganvas
