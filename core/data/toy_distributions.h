// Toy distributions for the GAN lab: 1-D Gaussian mixtures and 2-D shapes
// (ring of 8 Gaussians, 5x5 grid, spiral, two moons, line, square) plus a
// "custom" one built from points a user drew. Seeded: the same Rng state gives
// the same samples.
#pragma once

#include <array>
#include <string>
#include <vector>

#include "tensor/rng.h"
#include "tensor/tensor.h"

namespace ganvas {

using Point2 = std::array<float, 2>;

struct ToyDistribution {
    std::string name;
    int dim = 2;  // 1 or 2
    // Mixture components where the shape has them (ring8, grid25, mixtures):
    // `centres` (K points, first `dim` coordinates used) with one `stddev`.
    // Mode counting in tests and the lab looks at these.
    std::vector<Point2> centres;
    std::vector<float> weights;  // mixture weights of `centres`, summing to 1; empty: equal
    float stddev = 0;
    // custom: the drawn points, sampled uniformly with `stddev` Gaussian jitter.
    std::vector<Point2> points;

    // n samples (n, dim), drawing only from `rng`.
    Tensor sample(int64_t n, Rng& rng) const;
    // Exact density for 1-D mixtures (for the lab's p_data curve); 0 for other kinds.
    double density_1d(double x) const;
};

// "gauss1d", "bimodal1d", "trimodal1d", "ring8", "grid25", "spiral", "moons",
// "line", "square". (The custom kind is made with custom_distribution.)
std::vector<std::string> toy_distribution_names();
// Throws std::invalid_argument naming `name` and listing the known ones.
ToyDistribution make_toy_distribution(const std::string& name);
// Draws from the user's `points` with `jitter` (Gaussian stddev) around each.
// Throws std::invalid_argument when `points` is empty or jitter is negative/NaN.
ToyDistribution custom_distribution(const std::vector<Point2>& points, float jitter = 0.03f);

// Index of the nearest centre of `d` to each row of `x` (n, dim).
std::vector<int> nearest_centres(const ToyDistribution& d, const Tensor& x);

struct ModeCoverage {
    int modes = 0;            // centres
    int covered = 0;          // centres holding at least `min_share` of the samples
    double near_share = 0;    // share of samples within `near_radius` of their nearest centre
    std::vector<int> counts;  // near samples per centre
};
// Counts the samples within `near_radius` of their nearest centre, per centre;
// a mode is covered when it holds at least min_share * n / K of them (n samples,
// K centres): a quarter of its fair share by default.
ModeCoverage mode_coverage(const ToyDistribution& d, const Tensor& x, double min_share = 0.25,
                           double near_radius = 0.3);

}  // namespace ganvas
