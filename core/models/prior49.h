// prior49: a GPT over the 7x7 grid of VQGAN codes, read in raster order, as
// CodePrior + Prior.step of shared/reference/torch_reference.py.
//
// Position t predicts code t from the codes before it; position 0 sees only the
// start token (index n_codes of the token embedding). Code grids travel through
// datasets and batches as whole floats (N, 1, 7, 7), so the ordinary Batcher,
// Session and LiveTrainer carry them unchanged; the model turns them into int64.
#pragma once

#include <memory>
#include <vector>

#include "models/model.h"
#include "nn/layer_norm.h"
#include "nn/layers.h"
#include "optim/optimizer.h"

namespace ganvas {

constexpr int64_t kPriorCodes = 256;  // codebook size of vqgan28
constexpr int64_t kPriorGrid = 7;     // codes per side
constexpr int64_t kPriorSeq = kPriorGrid * kPriorGrid;

// One transformer block: pre-norm causal self-attention, then a 4x MLP with GELU.
class PriorBlock : public Module {
public:
    PriorBlock(int64_t d, int64_t heads, Rng& rng);
    // x (B, T, d) -> (B, T, d). `attention`, if given, receives (B, heads, T, T).
    Tensor forward(const Tensor& x, Tensor* attention = nullptr) const;
    std::string type_name() const override { return "Block"; }
    LayerNorm ln1, ln2;
    Linear qkv, proj;   // d -> 3d, d -> d
    Linear mlp0, mlp2;  // d -> 4d, 4d -> d (nn.Sequential indices 0 and 2; 1 is the GELU)
    int64_t heads;
};

class CodePrior : public Module {
public:
    explicit CodePrior(Rng& rng, int64_t n_codes = kPriorCodes, int64_t seq = kPriorSeq,
                       int64_t d = 128, int64_t heads = 4, int64_t layers = 2);
    // codes (B, T) int64 in [0, n_codes), T <= seq -> logits (B, T, n_codes); logits[:, t]
    // is the distribution of code t given codes [0, t). Codes out of range throw.
    Tensor forward(const Tensor& codes) const;
    std::string type_name() const override { return "CodePrior"; }
    int64_t n_codes() const { return n_codes_; }
    int64_t seq() const { return seq_; }

    Embedding tok;  // (n_codes + 1, d): the last row is the start token
    Tensor pos;     // (1, seq, d), zero at start, as the reference
    std::vector<std::unique_ptr<PriorBlock>> blocks;
    LayerNorm ln;
    Linear head;  // d -> n_codes, no bias

private:
    int64_t n_codes_, seq_;
};

// Held-out quality of a prior on code grids.
struct PriorEvaluation {
    double bits_per_code = 0;  // mean negative log2-likelihood of each code given those before
    double accuracy = 0;       // share of codes that are the most probable next code
    int64_t codes = 0;         // how many codes were scored
};

class Prior49 : public Model {
public:
    explicit Prior49(Rng& rng);
    std::string name() const override { return "prior49"; }
    // One AdamW update on batch.images (B, 1, 7, 7) holding codes as whole floats.
    // Stats: loss (nats per code), bits_per_code, accuracy (next-code, this batch).
    StepStats step(const Batch& batch, Rng& rng) override;
    // The same step on int64 codes (B, 49) or (B, 7, 7).
    StepStats step_codes(const Tensor& codes);
    std::vector<std::pair<std::string, Module*>> networks() override { return {{"P", &net}}; }
    NamedTensors optimizer_state() const override { return opt->state("optim.P"); }
    void load_optimizer_state(const std::map<std::string, Tensor>& state,
                              const std::string& source) override {
        opt->load_state(state, "optim.P", source);
    }
    std::vector<Setting> settings() override;
    void trace_forward(const Batch& batch) override;
    Shape example_shape(int64_t) const override { return {1, 1, 7, 7}; }  // one code grid

    // Trains on code grids only, every code in range; the window's sidebar cannot
    // give it those (the VQ Stage 2 panel trains it).
    void check_training_data(const ImageDataset& data, const ImageDataset& heldout) const override;
    std::vector<std::string> heldout_metric_names() const override {
        return {"heldout_bits_per_code", "heldout_accuracy"};
    }
    StepStats evaluate_heldout(const ImageDataset& heldout) override;
    std::string final_report(const std::string& data_spec, const ImageDataset& heldout) override;
    bool trains_in_window() const override { return false; }
    const CodePrior* code_prior() const override { return &net; }

    // Eval mode, no graph, in chunks: codes as batch images (N, 1, 7, 7) floats or int64
    // (N, 49) / (N, 7, 7).
    PriorEvaluation evaluate(const Tensor& codes, int64_t chunk = 256) const;

    CodePrior net;
    std::unique_ptr<Adam> opt;  // AdamW 3e-4, betas (0.9, 0.95), weight decay 0.01
};

// A prior49 from a checkpoint (Ganvas's training checkpoint or weights file, or
// torch_reference.py's): the tensors "P.tok.weight", ... Throws std::runtime_error
// naming `path` when they are missing or misshapen.
std::unique_ptr<Prior49> load_prior(const std::string& path);
// Whether a checkpoint's tensors are a prior49's (it has "P.tok.weight").
bool is_prior_checkpoint(const std::string& path);

// Code grids as int64 (N, 49): from int64 (N, 49) / (N, 7, 7) / (N, 1, 7, 7) or from the
// float form batches carry. Values outside [0, n_codes) or not whole throw
// std::invalid_argument naming the first bad value and `what`.
Tensor code_rows(const Tensor& codes, int64_t n_codes, const std::string& what);
// The float form (N, 1, 7, 7) that datasets and batches carry.
Tensor codes_as_images(const Tensor& codes);

}  // namespace ganvas
