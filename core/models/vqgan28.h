// VQGAN-28: VQAutoencoder28 + VectorQuantizer + PatchDiscriminator28 + VQGAN.step of
// shared/reference/torch_reference.py, with options the reference lacks: a step before
// which the discriminator is off (0, the reference's, by default), and EMA codebook
// updates and restarting dead codes from recent encoder outputs (both on by default:
// without them most of the codebook falls out of use within a few dozen steps; turn
// both off for the reference's behaviour).
//
// Parameter names are the reference's state_dict keys: the autoencoder's are
// "enc.0.weight", ..., "vq.codebook.weight", "dec.4.bias"; a checkpoint of the whole
// model prefixes them with the network, "AE." and "D.", as torch_reference.py golden.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "models/model.h"
#include "nn/layers.h"
#include "optim/optimizer.h"

namespace ganvas {

constexpr int64_t kVqCodes = 256;  // codebook size K of the reference
constexpr int64_t kVqDim = 64;     // code dimension D of the reference
constexpr int64_t kVqGrid = 7;     // 28x28 images become 7x7 code grids

// Running state of EMA codebook updates (VQ-VAE-2 / taming's EMAVectorQuantizer).
struct CodebookEma {
    Tensor cluster_size;  // (K,) decayed count of vectors assigned to each code
    Tensor embed_sum;     // (K, D) decayed sum of those vectors
};

// One EMA step of a codebook (K, D): each code's count and sum decay towards those of
// the encoder outputs z_flat (M, D) assigned to it by idx (int64 (M,)), and the code
// becomes their smoothed mean. Runs on the codebook's device; `state` moves there.
void ema_codebook_update(Tensor& codebook, CodebookEma& state, const Tensor& z_flat,
                         const Tensor& idx, float decay);
// Moves code codes[i] onto encoder output rows[i] of z_flat (M, D); where `state` is
// defined, its sum there too, with a count of one.
void restart_codes(Tensor& codebook, CodebookEma& state, const Tensor& z_flat,
                   const std::vector<int64_t>& codes, const std::vector<int64_t>& rows);

class VectorQuantizer : public Module {
public:
    VectorQuantizer(int64_t n_codes, int64_t dim, float beta, Rng& rng);

    struct Output {
        Tensor zq;               // (N, D, H, W) codes with the straight-through gradient to z
        Tensor loss;             // codebook + commitment, what the reference adds to the loss
        Tensor codebook_loss;    // mse(zq, sg[z]): moves codes towards encoder outputs
        Tensor commitment_loss;  // beta * mse(z, sg[zq]): keeps the encoder near its codes
        Tensor idx;              // int64 (N, H, W)
        Tensor z_flat;           // (N*H*W, D) encoder outputs, detached, in code order
    };
    // With `ema` the codebook is not learned by gradient: the codebook term is left out.
    Output forward(const Tensor& z, bool ema = false);  // z (N, D, H, W)
    Tensor nearest(const Tensor& z_flat) const;         // (M, D) -> int64 (M,), no graph
    Tensor lookup(const Tensor& idx) const;             // int64 (N, H, W) -> (N, D, H, W)
    std::string type_name() const override { return "VectorQuantizer"; }

    int64_t n_codes() const { return codebook.weight.size(0); }
    int64_t dim() const { return codebook.weight.size(1); }
    Embedding codebook;  // weight (K, D), uniform in +-1/K
    float beta;
};

// A Module whose children are named "0", "2", ... as an nn.Sequential's
// (the activations between them have no parameters and no entry).
class VqSequential : public Module {
public:
    void add(const std::string& name, Module& m) { register_module(name, m); }
    std::string type_name() const override { return "Sequential"; }
};

class VQAutoencoder28 : public Module {
public:
    VQAutoencoder28(Rng& rng, int64_t n_codes = kVqCodes, int64_t dim = kVqDim);

    Tensor encode(const Tensor& x);   // (N, 1, 28, 28) -> z (N, D, 7, 7)
    Tensor decode(const Tensor& zq);  // (N, D, 7, 7) -> (N, 1, 28, 28) in [-1, 1]
    struct Output {
        Tensor rec;  // (N, 1, 28, 28), tanh applied
        VectorQuantizer::Output vq;
    };
    Output forward(const Tensor& x, bool ema = false);

    // Eval mode, no graph: images (N, 1, 28, 28) -> codes int64 (N, 7, 7).
    Tensor encode_indices(const Tensor& x);
    // Eval mode, no graph: codes int64 (N, 7, 7) -> images (N, 1, 28, 28), tanh applied.
    Tensor decode_indices(const Tensor& idx);

    const Tensor& last_layer() const { return dec4.weight; }  // where lambda is measured
    std::string type_name() const override { return "VQAutoencoder28"; }

    VqSequential enc;
    Conv2d enc0, enc2, enc4;  // 1 -> 64 (28 -> 14), 64 -> 128 (-> 7), 128 -> D (1x1)
    VectorQuantizer vq;
    VqSequential dec;
    Conv2d dec0;                 // D -> 128, 3x3
    ConvTranspose2d dec2, dec4;  // 128 -> 64 (7 -> 14), 64 -> 1 (-> 28)
};

class PatchDiscriminator28 : public Module {
public:
    explicit PatchDiscriminator28(Rng& rng);
    // (N, 1, 28, 28) -> (N, 1, 7, 7) patch logits; `pre_bn` receives bn3's input, detached.
    Tensor forward(const Tensor& x, Tensor* pre_bn = nullptr);
    std::string type_name() const override { return "PatchDiscriminator28"; }
    VqSequential net;
    Conv2d c0;      // 1 -> 64, 28 -> 14
    Conv2d c2;      // 64 -> 128, 14 -> 7, no bias
    BatchNorm bn3;  // BatchNorm2d(128)
    Conv2d c5;      // 128 -> 1, 3x3
};

struct Vqgan28Options {
    int64_t n_codes = kVqCodes;
    int64_t dim = kVqDim;
};

// "vqgan28" gives the reference's sizes; "vqgan28:codes=512,dim=32" others. The spec is
// the model name a Session and its checkpoints carry, so a resumed run rebuilds the same
// shapes. Throws std::invalid_argument naming a bad key or value.
Vqgan28Options parse_vqgan28_options(const std::string& spec);

class Vqgan28 : public Model {
public:
    explicit Vqgan28(Rng& rng, Vqgan28Options options = {});
    std::string name() const override { return "vqgan28"; }
    StepStats step(const Batch& batch, Rng& rng) override { return train_step(batch.images); }
    // One VQGAN.step on real images (B, 1, 28, 28): the autoencoder, then the discriminator.
    StepStats train_step(const Tensor& real);
    std::vector<std::pair<std::string, Module*>> networks() override {
        return {{"AE", &AE}, {"D", &D}};
    }
    // Both read images: the autoencoder (through the quantizer's straight-through
    // estimator) and the patch discriminator.
    std::function<Tensor(const Tensor&)> image_network(const std::string& prefix) override {
        if (prefix == "AE") return [this](const Tensor& x) { return AE.forward(x).rec; };
        if (prefix == "D") return [this](const Tensor& x) { return D.forward(x); };
        return {};
    }
    NamedTensors optimizer_state() const override;
    void load_optimizer_state(const std::map<std::string, Tensor>& state,
                              const std::string& source) override;
    std::vector<Setting> settings() override;
    void trace_forward(const Batch& batch) override;
    // For the stage-1 panel, from examples (N, 1, 28, 28):
    //   originals, reconstructions (N, 1, 28, 28); codes int64 (N, 7, 7);
    //   code_ids int64 (U,) the distinct codes in `codes`, code_images (U, 1, 28, 28)
    //   each decoded from a grid filled with that one code;
    //   codebook (K, D) and encoder_outputs (N*49, D), for a scatter of both;
    //   usage (K,) times each code was chosen since the previous call;
    //   steps_unused (K,) steps since each code was last chosen.
    NamedTensors views(const Tensor& examples) override;
    // `ganvas train` draws the first 32 images of the data above their reconstructions.
    std::string progress_image_name() const override { return "reconstructions"; }
    bool write_progress_image(const std::string& path, const ImageDataset& data,
                              const Tensor& fixed_noise) override;

    VQAutoencoder28 AE;
    PatchDiscriminator28 D;
    Adam opt_AE, opt_D;  // Adam 2e-4, betas (0.5, 0.9)

    // Options, declared with their defaults in settings(); with ema and restart_dead
    // off the step is the reference's.
    int64_t disc_start = 0;  // steps before this: no GAN term, no discriminator update
    bool ema = true;         // codebook by EMA of assigned encoder outputs, not by gradient
    float ema_decay = 0.99f;
    bool restart_dead = true;  // move codes unused for dead_after steps onto encoder outputs
    int64_t dead_after = 20;

    int64_t steps_done() const { return steps_; }
    // Steps since each code was last chosen (K,), for the dead-code count.
    const std::vector<int64_t>& last_used() const { return last_used_; }
    int64_t dead_codes() const;

private:
    int64_t restart_dead_codes(const Tensor& z_flat);
    void init_ema();

    CodebookEma ema_state_;
    std::vector<int64_t> last_used_;  // step at which each code was last chosen
    std::vector<int64_t> usage_;      // choices of each code since the last views()
    Rng restart_rng_{0x5eed};
    int64_t steps_ = 0;
};

// The autoencoder of a vqgan28 checkpoint (Ganvas's or torch_reference.py's): tensors
// "AE.enc.0.weight", ..., "AE.vq.codebook.weight" (the "AE." prefix; "D." entries are
// ignored). The codebook size and dimension come from the file. Eval mode.
// Throws std::runtime_error naming `path` when tensors are missing or misshapen.
std::unique_ptr<VQAutoencoder28> load_vq_autoencoder(const std::string& path);

// Originals and their reconstructions for a grid of `per_row` columns: a row of
// originals, the row of their reconstructions below it, and so on.
// x (N, 1, 28, 28), N a multiple of per_row -> (2N, 1, 28, 28).
Tensor reconstruction_rows(VQAutoencoder28& ae, const Tensor& x, int64_t per_row);

}  // namespace ganvas
