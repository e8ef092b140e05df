#include "models/prior49.h"

#include <cmath>
#include <cstdio>
#include <stdexcept>
#include <string>
#include <vector>

#include "autograd/autograd.h"
#include "io/safetensors.h"
#include "nn/layer_trace.h"
#include "ops/ops.h"

namespace ganvas {

PriorBlock::PriorBlock(int64_t d, int64_t heads_, Rng& rng)
    : ln1(d),
      ln2(d),
      qkv(d, 3 * d, true, rng),
      proj(d, d, true, rng),
      mlp0(d, 4 * d, true, rng),
      mlp2(4 * d, d, true, rng),
      heads(heads_) {
    register_module("ln1", ln1);
    register_module("ln2", ln2);
    register_module("qkv", qkv);
    register_module("proj", proj);
    register_module("mlp.0", mlp0);
    register_module("mlp.2", mlp2);
}

Tensor PriorBlock::forward(const Tensor& x, Tensor* attention) const {
    Tensor y = causal_self_attention(qkv.forward(ln1.forward(x)), heads, attention);  // (B, T, d)
    Tensor h = add(x, proj.forward(y));
    return add(h, mlp2.forward(gelu(mlp0.forward(ln2.forward(h)))));
}

CodePrior::CodePrior(Rng& rng, int64_t n_codes, int64_t seq, int64_t d, int64_t heads,
                     int64_t layers)
    : tok(n_codes + 1, d, rng), ln(d), head(d, n_codes, false, rng), n_codes_(n_codes), seq_(seq) {
    register_module("tok", tok);
    pos = register_parameter("pos", Tensor::zeros({1, seq, d}));
    for (int64_t i = 0; i < layers; ++i) {
        blocks.push_back(std::make_unique<PriorBlock>(d, heads, rng));
        register_module("blocks." + std::to_string(i), *blocks.back());
    }
    register_module("ln", ln);
    register_module("head", head);
}

Tensor CodePrior::forward(const Tensor& codes) const {
    if (codes.dtype() != DType::i64 || codes.dim() != 2 || codes.size(1) < 1 ||
        codes.size(1) > seq_)
        throw std::invalid_argument(
            "CodePrior: codes must be int64 (B, T) with 1 <= T <= " + std::to_string(seq_) +
            ", got " + shape_str(codes.shape()) + " " + dtype_name(codes.dtype()));
    const int64_t B = codes.size(0), T = codes.size(1);
    // Shift right by one behind the start token: x = [start, codes[:, :-1]]  (B, T)
    // The codes are checked on the host anyway, so the shift is made there too.
    const std::vector<int64_t> in = codes.to_vector_i64();
    std::vector<int64_t> shifted(in.size());
    for (int64_t b = 0; b < B; ++b) {
        const int64_t* src = in.data() + b * T;
        int64_t* dst = shifted.data() + b * T;
        dst[0] = n_codes_;
        for (int64_t t = 1; t < T; ++t) {
            if (src[t - 1] < 0 || src[t - 1] >= n_codes_)
                throw std::invalid_argument("CodePrior: code " + std::to_string(src[t - 1]) +
                                            " is outside [0, " + std::to_string(n_codes_) + ")");
            dst[t] = src[t - 1];
        }
    }
    const Tensor x = Tensor::from_vector_i64({B, T}, shifted, codes.device());  // (B, T)
    Tensor h = add(tok.forward(x), narrow(pos, 1, 0, T));                       // (B, T, d)
    for (const auto& block : blocks) h = block->forward(h);
    Tensor logits = head.forward(ln.forward(h));  // (B, T, n_codes)
    LayerTrace::record(this, logits);
    return logits;
}

Tensor code_rows(const Tensor& codes, int64_t n_codes, const std::string& what) {
    if (!codes.defined() || codes.dim() < 2 || codes.numel() % kPriorSeq != 0 ||
        codes.size(0) * kPriorSeq != codes.numel())
        throw std::invalid_argument(what + ": code grids must be (N, 7, 7) or (N, 49), got " +
                                    (codes.defined() ? shape_str(codes.shape()) : "nothing"));
    const int64_t n = codes.size(0);
    // Codes come from data files or a sampler: checked on the host, then put where
    // the codes were.
    std::vector<int64_t> dst(static_cast<size_t>(n * kPriorSeq));
    const std::vector<int64_t> ints =
        codes.dtype() == DType::i64 ? codes.to_vector_i64() : std::vector<int64_t>();
    const std::vector<float> floats =
        codes.dtype() == DType::f32 ? codes.to_vector() : std::vector<float>();
    for (size_t i = 0; i < dst.size(); ++i) {
        int64_t v;
        if (codes.dtype() == DType::i64) {
            v = ints[i];
        } else {
            const float f = floats[i];
            if (!(f == std::floor(f)) || std::fabs(f) > 1e9f)
                throw std::invalid_argument(what + ": code " + std::to_string(f) +
                                            " is not a whole number");
            v = static_cast<int64_t>(f);
        }
        if (v < 0 || v >= n_codes)
            throw std::invalid_argument(what + ": code " + std::to_string(v) + " is outside [0, " +
                                        std::to_string(n_codes) + ")");
        dst[i] = v;
    }
    return Tensor::from_vector_i64({n, kPriorSeq}, dst, codes.device());  // (N, 49)
}

Tensor codes_as_images(const Tensor& codes) {
    Tensor rows = code_rows(codes, INT64_MAX, "codes");
    Tensor out = Tensor::empty({rows.size(0), 1, kPriorGrid, kPriorGrid});  // (N, 1, 7, 7)
    for (int64_t i = 0; i < rows.numel(); ++i)
        out.data()[i] = static_cast<float>(rows.data_i64()[i]);
    return out;
}

Prior49::Prior49(Rng& rng) : net(rng), opt(make_adamw(net.parameters(), 3e-4, 0.9, 0.95, 0.01)) {}

std::vector<Setting> Prior49::settings() {
    return {number_setting("lr", 3e-4, 1e-6, 1e-1, "AdamW learning rate (3e-4 in the reference).")
                .log()
                .bind(opt->lr),
            number_setting("beta1", 0.9, 0.0, 0.999, "AdamW's first-moment decay (0.9).")
                .bind(opt->beta1),
            number_setting("beta2", 0.95, 0.0, 0.9999, "AdamW's second-moment decay (0.95).")
                .bind(opt->beta2),
            number_setting("weight_decay", 0.01, 0.0, 1.0,
                           "Decoupled weight decay: each step shrinks weights by lr * wd (0.01).")
                .bind(opt->weight_decay)};
}

void Prior49::check_training_data(const ImageDataset& data, const ImageDataset& heldout) const {
    if (data.images.dim() != 4 || data.images.size(2) != kPriorGrid)
        throw std::invalid_argument(
            "prior49 trains on VQ code grids: give --vq VQ.safetensors (a vqgan28 "
            "checkpoint) or --data codes:FILE.npy");
    code_rows(data.images, kPriorCodes, data.name);  // every code in range, before any step
    if (heldout.size() > 0) code_rows(heldout.images, kPriorCodes, heldout.name);
}

StepStats Prior49::evaluate_heldout(const ImageDataset& heldout) {
    PriorEvaluation e = evaluate(heldout.images);
    return {{"heldout_bits_per_code", static_cast<float>(e.bits_per_code)},
            {"heldout_accuracy", static_cast<float>(e.accuracy)}};
}

std::string Prior49::final_report(const std::string& data_spec, const ImageDataset& heldout) {
    (void)data_spec;
    if (heldout.size() == 0) return "";
    PriorEvaluation e = evaluate(heldout.images);
    char line[256];
    std::snprintf(line, sizeof line,
                  "held-out: %.4f bits per code, next-code accuracy %.4f, on %lld codes of ",
                  e.bits_per_code, e.accuracy, static_cast<long long>(e.codes));
    return line + heldout.name;
}

void Prior49::trace_forward(const Batch& batch) {
    NoGradGuard no_grad;
    net.eval();
    net.forward(code_rows(narrow(batch.images, 0, 0, 1), net.n_codes(), "prior49 batch"));
    net.train();
}

StepStats Prior49::step(const Batch& batch, Rng&) {
    if (batch.images.dim() == 4 && batch.images.size(2) != kPriorGrid)
        throw std::invalid_argument(
            "prior49 trains on VQ code grids (--vq VQ.safetensors or --data codes:FILE.npy), "
            "not on images " +
            shape_str(batch.images.shape()));
    return step_codes(batch.images);
}

StepStats Prior49::step_codes(const Tensor& codes_in) {
    Tensor codes = code_rows(codes_in, net.n_codes(), "prior49 batch");  // (B, 49)
    net.train();
    Tensor logits = net.forward(codes);                  // (B, 49, V)
    Tensor flat = reshape(logits, {-1, net.n_codes()});  // (B*49, V)
    Tensor target = reshape(codes, {-1});                // (B*49)
    Tensor loss = cross_entropy(flat, target);
    opt->zero_grad();
    loss.backward();
    opt->step();
    // The metrics, read back: the predictions and the loss.
    const std::vector<int64_t> predicted = argmax(flat.detach(), 1).to_vector_i64(),
                               wanted = target.to_vector_i64();
    int64_t correct = 0;
    for (size_t i = 0; i < predicted.size(); ++i) correct += predicted[i] == wanted[i];
    const float nats = loss.item();
    return {{"loss", nats},
            {"bits_per_code", nats / static_cast<float>(std::log(2.0))},
            {"accuracy", static_cast<float>(correct) / static_cast<float>(predicted.size())}};
}

PriorEvaluation Prior49::evaluate(const Tensor& codes_in, int64_t chunk) const {
    // (N, 49), on the prior's device
    Tensor codes = code_rows(codes_in, net.n_codes(), "held-out codes").to(net.pos.device());
    // No layer of the prior behaves differently in eval mode (no dropout, no batch
    // norm), so evaluating needs no mode switch and can stay const.
    NoGradGuard no_grad;
    const int64_t n = codes.size(0);
    double nats = 0;
    int64_t correct = 0;
    for (int64_t s = 0; s < n; s += chunk) {
        const int64_t m = std::min(chunk, n - s);
        Tensor part = narrow(codes, 0, s, m);              // (m, 49)
        Tensor logp = log_softmax(net.forward(part), -1);  // (m, 49, V)
        const int64_t V = net.n_codes();
        const std::vector<float> all_logp = logp.to_vector();  // read back per chunk
        const std::vector<int64_t> targets = part.to_vector_i64();
        for (int64_t i = 0; i < m * kPriorSeq; ++i) {
            const float* row = all_logp.data() + i * V;
            const int64_t target = targets[i];
            nats -= row[target];
            int64_t best = 0;
            for (int64_t v = 1; v < V; ++v)
                if (row[v] > row[best]) best = v;
            correct += best == target;
        }
    }
    PriorEvaluation e;
    e.codes = n * kPriorSeq;
    if (e.codes > 0) {
        e.bits_per_code = nats / static_cast<double>(e.codes) / std::log(2.0);
        e.accuracy = static_cast<double>(correct) / static_cast<double>(e.codes);
    }
    return e;
}

std::unique_ptr<Prior49> load_prior(const std::string& path) {
    Rng rng(0);
    auto model = std::make_unique<Prior49>(rng);
    model->load_state_dict(load_safetensors_map(path), path);
    return model;
}

bool is_prior_checkpoint(const std::string& path) {
    return load_safetensors_map(path).count("P.tok.weight") > 0;
}

}  // namespace ganvas
