// The 2-D discrete Fourier transform's magnitude: an upsampler's checkerboard is a
// periodic pattern, so it shows as bright off-centre peaks in the spectrum.
#pragma once

#include "tensor/tensor.h"

namespace ganvas {

// |fft2(image)| with the zero frequency moved to the centre (numpy.fft.fftshift):
// image (H, W) or (1, 1, H, W) float32 -> (H, W). Any H and W; Eigen's FFT (kissfft)
// does the transforms.
Tensor fft2_magnitude(const Tensor& image);

}  // namespace ganvas
