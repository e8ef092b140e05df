// The Jensen-Shannon divergence between two densities sampled on one grid (the
// GAN Lab's 1-D view: the data's density and a kernel estimate of the
// generator's). JS(P, Q) = 1/2 KL(P || M) + 1/2 KL(Q || M) with M = (P + Q) / 2,
// in nats: 0 for equal densities and ln 2 for densities with disjoint supports,
// however far apart they are. That saturation is why the minimax GAN's
// generator learns nothing from a discriminator that separates the two
// (Arjovsky et al. 2017), while W1 keeps measuring the distance.
#pragma once

#include <span>

namespace ganvas {

// `p` and `q` are non-negative values on the same grid; each is normalised to
// sum 1 first, so densities, histograms and counts all work. Throws
// std::invalid_argument for different lengths, an empty grid, a negative or
// non-finite value, or a density that is zero everywhere.
double js_divergence(std::span<const float> p, std::span<const float> q);

}  // namespace ganvas
