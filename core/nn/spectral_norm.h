// Spectral normalization (Miyato et al. 2018) exactly as torch.nn.utils.spectral_norm:
// the weight is viewed as a matrix (out, -1), its largest singular value sigma
// estimated by power iteration on persistent vectors u (out) and v (in), and the
// layer uses W / sigma.
//
// As torch: u and v start as normalized N(0, 1) draws; each training forward runs
// `iterations` steps v = normalize(W^T u), u = normalize(W v) without a graph;
// sigma = u . (W v) keeps W in the graph, so gradients flow through sigma too;
// eval forwards reuse the stored u, v. normalize(x) = x / max(|x|, eps), eps 1e-12.
#pragma once

#include "nn/module.h"
#include "tensor/rng.h"

namespace ganvas {

struct SpectralNormVectors {
    Tensor u;  // (out,)
    Tensor v;  // (in,) with in = numel / out
};

// Draws u and v as torch does: normal, then normalized (u first, then v).
SpectralNormVectors init_spectral_norm_vectors(const Tensor& weight, Rng& rng, float eps = 1e-12f);

// One forward's normalized weight: power iteration updates u and v in place when
// `power_iteration` is set; returns weight / sigma with the shape of `weight`.
// `sigma_out`, when given, receives sigma.
Tensor spectral_normalized_weight(const Tensor& weight, SpectralNormVectors& vectors,
                                  bool power_iteration, int iterations = 1, float eps = 1e-12f,
                                  float* sigma_out = nullptr);

// A Linear layer under spectral_norm, with torch's state_dict names:
// bias, weight_orig, weight_u, weight_v.
class SpectralNormLinear : public Module {
public:
    SpectralNormLinear(int64_t in, int64_t out, Rng& rng);  // Linear's init, then u, v
    Tensor forward(const Tensor& x);  // (..., in) -> (..., out); power iteration when training
    std::string type_name() const override { return "Linear (spectral norm)"; }
    float sigma() const;  // of the latest forward, read back from the weight's device

    Tensor bias;                  // (out,)
    Tensor weight_orig;           // (out, in), the trained parameter
    SpectralNormVectors vectors;  // registered as the buffers weight_u, weight_v

private:
    Tensor sigma_;  // () detached, where the weight lives
};

}  // namespace ganvas
