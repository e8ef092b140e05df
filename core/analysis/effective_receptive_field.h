// The effective receptive field (Luo et al., "Understanding the Effective
// Receptive Field in Deep Convolutional Neural Networks", 2016): how strongly
// each input pixel moves one unit, |d unit / d input| by autograd, averaged
// over a batch. It fills only the middle of the theoretical field, and for a
// stack of N 3x3 convolutions its width grows like sqrt(N), not like N.
#pragma once

#include <array>
#include <functional>
#include <string>
#include <vector>

#include "models/model.h"
#include "tensor/tensor.h"

namespace ganvas::rf {

using FeatureFn = std::function<Tensor(const Tensor&)>;  // (B, C, H, W) -> (B, K, Ho, Wo)

struct Erf {
    Tensor map;                      // (H, W): mean over the batch of |grad| summed over channels
    std::array<double, 2> centre{};  // mass-weighted mean row and column
    std::array<double, 2> spread{};  // mass-weighted standard deviation along rows and columns
    double mass = 0;                 // sum of the map
};

// The ERF of unit (row, col) of `features(images)`, its K channels summed.
// Throws std::invalid_argument when the unit lies outside the feature map.
Erf effective_receptive_field(const FeatureFn& features, const Tensor& images, int64_t row,
                              int64_t col);

// Centre, spread and mass of a non-negative (H, W) map.
Erf describe_map(Tensor map);

// Share of the map's mass inside rows [r0, r1] and columns [c0, c1] (inclusive,
// clipped to the map); 0 for an empty map.
double mass_share(const Tensor& map, int64_t r0, int64_t r1, int64_t c0, int64_t c1);

// The output of layer `layer` ("c2") of model network `prefix` ("D") as a function
// of images, in eval mode; empty when the network does not read images.
FeatureFn layer_features(Model& model, const std::string& prefix, const std::string& layer);

// The sqrt(N) experiment: N 3x3 convolutions (padding 1, `channels` wide),
// the ERF of the centre unit on a (2N + 9)-pixel square input.
struct StackOptions {
    int channels = 4;
    int batch = 4;
    bool relu = true;      // ReLU between the convolutions
    bool uniform = false;  // every weight 1 (the ERF is then exactly N box filters convolved)
    uint64_t seed = 1;
};
Erf conv_stack_erf(int depth, const StackOptions& options);

// What the spread of N uniform 3x3 layers is: each adds the variance 2/3 of a
// uniform 3-tap box, so sqrt(2N/3).
double uniform_stack_spread(int depth);

}  // namespace ganvas::rf
