// A scatter plot of toy GAN samples as a PNG, for `ganvas train --model toy2d`
// (where an image model writes a sample grid): real points grey, generated
// points orange, on a white square over [lo, hi]^2. 1-D points (n, 1) are drawn
// as two rows of ticks (real above, generated below).
#pragma once

#include <string>

#include "tensor/tensor.h"

namespace ganvas {

void save_toy_scatter(const std::string& path, const Tensor& real, const Tensor& fake, float lo,
                      float hi, int size = 400);

}  // namespace ganvas
