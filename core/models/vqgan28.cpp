#include "models/vqgan28.h"

#include <algorithm>
#include <cmath>
#include <set>
#include <stdexcept>
#include <string>

#include "autograd/autograd.h"
#include "backend/op_profile.h"
#include "backend/update_kernels.h"
#include "io/image_png.h"
#include "io/safetensors.h"
#include "nn/layer_trace.h"
#include "ops/dispatch.h"
#include "ops/ops.h"

namespace ganvas {

// ------------------------------------------------------------ VectorQuantizer

VectorQuantizer::VectorQuantizer(int64_t n_codes, int64_t dim, float beta_, Rng& rng)
    : codebook(n_codes, dim, rng), beta(beta_) {
    register_module("codebook", codebook);
    const float bound = 1.0f / static_cast<float>(n_codes);
    rng.fill_uniform(codebook.weight, -bound, bound);
}

Tensor VectorQuantizer::nearest(const Tensor& z_flat) const {
    NoGradGuard no_grad;
    return argmin(code_distances(z_flat, codebook.weight), 1);  // (M,)
}

Tensor VectorQuantizer::lookup(const Tensor& idx) const {
    Tensor zq = embedding(codebook.weight, idx);  // (N, H, W, D)
    return permute(zq, {0, 3, 1, 2});             // (N, D, H, W)
}

VectorQuantizer::Output VectorQuantizer::forward(const Tensor& z, bool ema) {
    if (z.dim() != 4 || z.size(1) != dim())
        throw std::invalid_argument("VectorQuantizer: expects (N, " + std::to_string(dim()) +
                                    ", H, W), got " + shape_str(z.shape()));
    const int64_t n = z.size(0), h = z.size(2), w = z.size(3);
    Output out;
    out.z_flat = reshape(permute(z.detach(), {0, 2, 3, 1}), {-1, dim()});  // (N*H*W, D)
    out.idx = reshape(nearest(out.z_flat), {n, h, w});                     // (N, H, W)
    Tensor zq = lookup(out.idx);                                           // (N, D, H, W)
    out.codebook_loss = ema ? zeros_on(z, {}) : mse_loss(zq, z.detach());
    out.commitment_loss = mul_scalar(mse_loss(z, zq.detach()), beta);
    out.loss = add(out.codebook_loss, out.commitment_loss);
    out.zq = straight_through(z, zq);
    LayerTrace::record(this, out.zq);
    return out;
}

// ------------------------------------------------------------ VQAutoencoder28

VQAutoencoder28::VQAutoencoder28(Rng& rng, int64_t n_codes, int64_t dim)
    : enc0(1, 64, 4, 2, 1, true, rng),
      enc2(64, 128, 4, 2, 1, true, rng),
      enc4(128, dim, 1, 1, 0, true, rng),
      vq(n_codes, dim, 0.25f, rng),
      dec0(dim, 128, 3, 1, 1, true, rng),
      dec2(128, 64, 4, 2, 1, true, rng),
      dec4(64, 1, 4, 2, 1, true, rng) {
    enc.add("0", enc0);
    enc.add("2", enc2);
    enc.add("4", enc4);
    dec.add("0", dec0);
    dec.add("2", dec2);
    dec.add("4", dec4);
    register_module("enc", enc);
    register_module("vq", vq);
    register_module("dec", dec);
}

Tensor VQAutoencoder28::encode(const Tensor& x) {
    if (x.dim() != 4 || x.size(1) != 1 || x.size(2) != 28 || x.size(3) != 28)
        throw std::invalid_argument("VQAutoencoder28: expects images (N, 1, 28, 28), got " +
                                    shape_str(x.shape()));
    Tensor h = relu(enc0.forward(x));  // (N, 64, 14, 14)
    h = relu(enc2.forward(h));         // (N, 128, 7, 7)
    return enc4.forward(h);            // (N, D, 7, 7)
}

Tensor VQAutoencoder28::decode(const Tensor& zq) {
    Tensor h = relu(dec0.forward(zq));   // (N, 128, 7, 7)
    h = relu(dec2.forward(h));           // (N, 64, 14, 14)
    Tensor out = tanh(dec4.forward(h));  // (N, 1, 28, 28)
    LayerTrace::record(this, out);
    return out;
}

VQAutoencoder28::Output VQAutoencoder28::forward(const Tensor& x, bool ema) {
    Output out;
    out.vq = vq.forward(encode(x), ema);
    out.rec = decode(out.vq.zq);
    return out;
}

Tensor VQAutoencoder28::encode_indices(const Tensor& x) {
    NoGradGuard no_grad;
    const bool was_training = training();
    eval();
    Tensor z = encode(x);  // (N, D, 7, 7)
    train(was_training);
    const int64_t n = z.size(0), h = z.size(2), w = z.size(3);
    return reshape(vq.nearest(reshape(permute(z, {0, 2, 3, 1}), {-1, vq.dim()})), {n, h, w});
}

Tensor VQAutoencoder28::decode_indices(const Tensor& idx) {
    if (idx.dtype() != DType::i64 || idx.dim() != 3)
        throw std::invalid_argument("VQAutoencoder28: codes must be int64 (N, H, W), got " +
                                    std::string(dtype_name(idx.dtype())) + " " +
                                    shape_str(idx.shape()));
    NoGradGuard no_grad;
    const bool was_training = training();
    eval();
    Tensor out = decode(vq.lookup(idx));
    train(was_training);
    return out;
}

// ------------------------------------------------------------ PatchDiscriminator28

PatchDiscriminator28::PatchDiscriminator28(Rng& rng)
    : c0(1, 64, 4, 2, 1, true, rng),
      c2(64, 128, 4, 2, 1, false, rng),
      bn3(128, 2),
      c5(128, 1, 3, 1, 1, true, rng) {
    net.add("0", c0);
    net.add("2", c2);
    net.add("3", bn3);
    net.add("5", c5);
    register_module("net", net);
}

Tensor PatchDiscriminator28::forward(const Tensor& x, Tensor* pre_bn) {
    Tensor h = leaky_relu(c0.forward(x), 0.2f);  // (N, 64, 14, 14)
    h = c2.forward(h);                           // (N, 128, 7, 7)
    if (pre_bn) *pre_bn = h.detach();
    h = leaky_relu(bn3.forward(h), 0.2f);
    Tensor logits = c5.forward(h);  // (N, 1, 7, 7)
    LayerTrace::record(this, logits);
    return logits;
}

// ------------------------------------------------------------ Vqgan28

namespace {

// Checked before any layer is built, so an absurd size costs no allocation.
// Each bound alone still lets 65536 codes of 4096 dimensions through: a 1 GiB
// codebook (and Adam's two more) that takes half a minute to build, so the codebook's
// size is bounded too.
constexpr int64_t kMaxCodebookValues = int64_t(1) << 20;

const Vqgan28Options& checked(const Vqgan28Options& o) {
    if (o.n_codes < 2 || o.n_codes > 65536 || o.dim < 1 || o.dim > 4096)
        throw std::invalid_argument(
            "vqgan28: codebook size must be in [2, 65536] and code "
            "dimension in [1, 4096], not " +
            std::to_string(o.n_codes) + " and " + std::to_string(o.dim));
    if (o.n_codes * o.dim > kMaxCodebookValues)
        throw std::invalid_argument("vqgan28: a codebook of " + std::to_string(o.n_codes) +
                                    " codes of dimension " + std::to_string(o.dim) + " holds " +
                                    std::to_string(o.n_codes * o.dim) + " values, more than the " +
                                    std::to_string(kMaxCodebookValues) +
                                    " Ganvas builds (codes x dim at most 2^20)");
    return o;
}

}  // namespace

Vqgan28::Vqgan28(Rng& rng, Vqgan28Options options)
    : AE(rng, checked(options).n_codes, options.dim),
      D(rng),
      opt_AE(AE.parameters(), 2e-4, 0.5, 0.9),
      opt_D(D.parameters(), 2e-4, 0.5, 0.9),
      last_used_(static_cast<size_t>(options.n_codes), 0),
      usage_(static_cast<size_t>(options.n_codes), 0) {
    dcgan_init(D, rng);  // the reference initialises D only; AE keeps PyTorch's defaults
}

int64_t Vqgan28::dead_codes() const {
    int64_t dead = 0;
    for (int64_t last : last_used_) dead += steps_ - last >= dead_after;
    return dead;
}

void Vqgan28::init_ema() {
    // Counts of one and sums equal to the codes themselves: the first updates then move
    // each code from where it is. (taming starts the counts at zero, which divides an
    // unused code by about 1e-5 and throws it far away.)
    ema_state_.cluster_size = Tensor::ones({AE.vq.n_codes()}, AE.vq.codebook.weight.device());
    ema_state_.embed_sum = AE.vq.codebook.weight.detach().clone();
}

namespace {

// The EMA state moves with the codebook (Module::to after it was made or loaded).
void follow_codebook(CodebookEma& state, const Tensor& codebook) {
    if (!state.cluster_size.defined() || state.cluster_size.device() == codebook.device()) return;
    state.cluster_size.to_(codebook.device());
    state.embed_sum.to_(codebook.device());
}

}  // namespace

void ema_codebook_update(Tensor& codebook, CodebookEma& state, const Tensor& z_flat,
                         const Tensor& idx, float decay) {
    follow_codebook(state, codebook);
    const int64_t K = codebook.size(0), Dm = codebook.size(1), M = idx.numel();
    Backend& be =
        dispatch("codebook_ema", {z_flat, idx, codebook, state.cluster_size, state.embed_sum});
    const UpdateKernels& update = be.update();
    Tensor counts = empty_on(codebook, {K}), sums = empty_on(codebook, {K, Dm});
    update.bin_rows(M, Dm, K, z_flat.storage(), idx.storage(), counts.storage(), sums.storage());
    update.lerp_(K, state.cluster_size.storage(), counts.storage(), decay);
    update.lerp_(K * Dm, state.embed_sum.storage(), sums.storage(), decay);
    update.codebook_from_ema(K, Dm, 1e-5f, state.cluster_size.storage(), state.embed_sum.storage(),
                             codebook.storage());
}

void restart_codes(Tensor& codebook, CodebookEma& state, const Tensor& z_flat,
                   const std::vector<int64_t>& codes, const std::vector<int64_t>& rows) {
    const int64_t n = static_cast<int64_t>(codes.size()), Dm = codebook.size(1);
    if (n == 0) return;
    follow_codebook(state, codebook);
    Backend& be = dispatch("restart_dead_codes", {z_flat, codebook});
    std::vector<int64_t> onto, reset;  // (code, encoder output), (code, 0) pairs
    for (int64_t i = 0; i < n; ++i) {
        onto.insert(onto.end(), {codes[i], rows[i]});
        reset.insert(reset.end(), {codes[i], 0});
    }
    const Tensor pairs = Tensor::from_vector_i64({n, 2}, onto, codebook.device());
    be.update().copy_rows(n, Dm, z_flat.storage(), pairs.storage(), codebook.storage());
    if (!state.cluster_size.defined()) return;
    be.update().copy_rows(n, Dm, z_flat.storage(), pairs.storage(), state.embed_sum.storage());
    const Tensor one = Tensor::ones({1}, codebook.device());
    const Tensor resets = Tensor::from_vector_i64({n, 2}, reset, codebook.device());
    be.update().copy_rows(n, 1, one.storage(), resets.storage(), state.cluster_size.storage());
}

int64_t Vqgan28::restart_dead_codes(const Tensor& z_flat) {
    // Which codes move and where to is decided on the host, from the host's record of
    // use and restart_rng_, so runs on either device draw the same encoder outputs.
    std::vector<int64_t> codes, rows;
    for (int64_t k = 0; k < AE.vq.n_codes(); ++k) {
        if (steps_ - last_used_[k] < dead_after) continue;
        codes.push_back(k);
        rows.push_back(restart_rng_.randint(z_flat.size(0)));  // an encoder output of this batch
        last_used_[k] = steps_;
    }
    restart_codes(AE.vq.codebook.weight, ema_state_, z_flat, codes, rows);
    return static_cast<int64_t>(codes.size());
}

StepStats Vqgan28::train_step(const Tensor& real) {
    AE.train();
    D.train();
    const bool gan_on = steps_ >= disc_start;
    VQAutoencoder28::Output out = AE.forward(real, ema);
    const Tensor& rec = out.rec;                  // (B, 1, 28, 28)
    Tensor rec_loss = mean(abs(sub(rec, real)));  // L1, as the reference
    std::vector<Tensor> params = AE.parameters();
    std::vector<Tensor> grads;
    Tensor g_loss = zeros_on(real, {}), loss;
    Tensor lambda = zeros_on(real, {});  // ()
    Tensor fake_logits, fake_pre_bn;     // D(rec), kept for the discriminator's update
    if (gan_on) {
        fake_logits = D.forward(rec, &fake_pre_bn);  // (B, 1, 7, 7)
        g_loss = hinge_g_loss(fake_logits);
        // The reference takes three backward passes from the loss; they share everything
        // below `rec`, so: each loss's gradient at rec once, then the decoder's last layer
        // for each, then one pass to every parameter with the combined gradient at rec.
        Tensor g_rec = grad({rec_loss}, {rec})[0];  // (B, 1, 28, 28)
        Tensor g_gan = grad({g_loss}, {rec})[0];    // through D, input gradient only
        const Tensor& last = AE.last_layer();
        Tensor gr = grad({rec}, {last}, {g_rec})[0];
        Tensor gg = grad({rec}, {last}, {g_gan})[0];
        // lambda = |grad_last L_rec| / (|grad_last L_GAN| + 1e-4), clamped, no gradient.
        // It stays a tensor, so the step needs no readback before its end.
        lambda = clamp(div(sqrt(sum(mul(gr, gr))), add_scalar(sqrt(sum(mul(gg, gg))), 1e-4f)), 0.0f,
                       1e4f);
        loss = add(add(rec_loss, out.vq.loss), mul(g_loss, lambda));
        grads = grad({rec, out.vq.loss}, params,
                     {add(g_rec, mul(g_gan, lambda)), Tensor::ones({}, real.device())});
    } else {
        loss = add(rec_loss, out.vq.loss);
        grads = grad({loss}, params);
    }
    opt_AE.zero_grad();
    for (size_t i = 0; i < params.size(); ++i)
        if (!(ema && params[i].same(AE.vq.codebook.weight))) params[i].set_grad(grads[i]);
    opt_AE.step();

    Tensor d_loss = zeros_on(real, {});
    if (gan_on) {
        Tensor real_logits = D.forward(real);  // (B, 1, 7, 7)
        // The reference runs D(rec.detach()) here. D's weights and rec have not changed
        // since D(rec) above and batch norm uses the batch's statistics, so those logits
        // are the same numbers: reuse them (asking only for D's gradients keeps the
        // autoencoder out of it) and replay only the running-statistics update of that
        // third forward, after the real one's, as the running averages depend on order.
        {
            NoGradGuard no_grad;
            D.bn3.forward(fake_pre_bn);
        }
        d_loss = hinge_d_loss(real_logits, fake_logits);
        std::vector<Tensor> d_params = D.parameters();
        std::vector<Tensor> d_grads = grad({d_loss}, d_params);
        opt_D.zero_grad();
        for (size_t i = 0; i < d_params.size(); ++i) d_params[i].set_grad(d_grads[i]);
        opt_D.step();
    }

    ++steps_;
    const int64_t K = AE.vq.n_codes();
    std::vector<int64_t> counts(K, 0);
    // The codes chosen, read back once: the metrics and the record of use that
    // decides dead codes are the host's.
    const std::vector<int64_t> chosen = out.vq.idx.to_vector_i64();
    const int64_t* pi = chosen.data();
    const int64_t M = out.vq.idx.numel();
    for (int64_t m = 0; m < M; ++m) {
        ++counts[pi[m]];
        ++usage_[pi[m]];
        last_used_[pi[m]] = steps_;
    }
    double entropy = 0.0;
    int64_t used = 0;
    for (int64_t c : counts) {
        if (!c) continue;
        ++used;
        const double p = static_cast<double>(c) / M;
        entropy -= p * std::log(p);
    }
    {
        NoGradGuard no_grad;
        // The codebook's EMA update and dead-code restarts move parameters, as an optimizer does.
        PhaseScope phase(Phase::optimizer);
        if (ema) {
            if (!ema_state_.cluster_size.defined()) init_ema();
            ema_codebook_update(AE.vq.codebook.weight, ema_state_, out.vq.z_flat, out.vq.idx,
                                ema_decay);
        }
        if (restart_dead) restart_dead_codes(out.vq.z_flat);
    }
    const std::vector<float> m = read_scalars(
        {loss, rec_loss, out.vq.codebook_loss, out.vq.commitment_loss, g_loss, lambda, d_loss});
    return {{"loss", m[0]},
            {"rec", m[1]},
            {"codebook", m[2]},
            {"commitment", m[3]},
            {"gan", m[4]},
            {"lambda", m[5]},
            {"d_loss", m[6]},
            {"perplexity", static_cast<float>(std::exp(entropy))},
            {"used_codes", static_cast<float>(used)},
            {"dead_codes", static_cast<float>(dead_codes())}};
}

std::vector<Setting> Vqgan28::settings() {
    return {
        number_setting("lr_AE", 2e-4, 1e-6, 1e-1,
                       "Autoencoder learning rate (Adam; encoder, codebook, decoder). Reference "
                       "2e-4.")
            .log()
            .bind(opt_AE.lr),
        number_setting("lr_D", 2e-4, 1e-6, 1e-1,
                       "Patch discriminator learning rate (Adam). Reference 2e-4.")
            .log()
            .bind(opt_D.lr),
        number_setting("beta1", 0.5, 0.0, 0.999,
                       "Adam's first-moment decay, both networks (0.5 in the reference).")
            .bind([this] { return opt_AE.beta1; },
                  [this](double v) { opt_AE.beta1 = opt_D.beta1 = v; }),
        number_setting("beta2", 0.9, 0.0, 0.9999,
                       "Adam's second-moment decay, both networks (0.9 in the reference).")
            .bind([this] { return opt_AE.beta2; },
                  [this](double v) { opt_AE.beta2 = opt_D.beta2 = v; }),
        number_setting("commitment", 0.25, 0.0, 10.0,
                       "beta: weight of the commitment loss |z - sg[zq]|^2 that keeps the "
                       "encoder's outputs near their codes (0.25 in VQ-VAE and the reference).")
            .bind(AE.vq.beta),
        count_setting("disc_start", 0, 0, 100000,
                      "Step before which the discriminator is off: no GAN term in the "
                      "autoencoder's loss and no discriminator update. VQGAN waits until "
                      "reconstructions are decent; the reference starts at once (0).")
            .bind(disc_start),
        switch_setting("ema", true,
                       "On: learn the codebook by exponential moving averages of the encoder "
                       "outputs each code is chosen for (VQ-VAE-2), not by the codebook loss. "
                       "Off: by gradient, as the reference, where most codes soon fall out of "
                       "use.")
            .bind([this] { return ema ? 1.0 : 0.0; },
                  [this](double v) {
                      // Start the averages from the codes as they are now.
                      if (v != 0 && !ema) init_ema();
                      ema = v != 0;
                  }),
        number_setting("ema_decay", 0.99, 0.5, 0.99999,
                       "How much of the moving averages each step keeps (0.99).")
            .bind(ema_decay),
        switch_setting("restart_dead", true,
                       "On: a code nobody chose for dead_after steps moves onto a random encoder "
                       "output of the current batch, so the whole codebook stays in use. Off: "
                       "as the reference.")
            .bind(restart_dead),
        count_setting("dead_after", 20, 1, 10000,
                      "Steps without being chosen after which a code counts as dead (and, with "
                      "restart_dead, moves). 20 brings the codebook back into use within about "
                      "60 steps of batch 32.")
            .bind(dead_after),
    };
}

void Vqgan28::trace_forward(const Batch& batch) {
    NoGradGuard no_grad;
    AE.eval();
    D.eval();
    Tensor x = narrow(batch.images, 0, 0, 1);
    AE.forward(x);
    D.forward(x);
    AE.train();
    D.train();
}

NamedTensors Vqgan28::views(const Tensor& examples) {
    NoGradGuard no_grad;
    const bool was_training = AE.training();
    AE.eval();
    const int64_t n = examples.size(0), K = AE.vq.n_codes();
    Tensor z = AE.encode(examples);                                            // (N, D, 7, 7)
    Tensor z_flat = reshape(permute(z, {0, 2, 3, 1}), {-1, AE.vq.dim()});      // (N*49, D)
    Tensor codes = reshape(AE.vq.nearest(z_flat), {n, z.size(2), z.size(3)});  // (N, 7, 7)
    Tensor rec = AE.decode(AE.vq.lookup(codes));                               // (N, 1, 28, 28)
    // One image per code on the code maps: what that code alone decodes to.
    std::vector<int64_t> ids;
    {
        std::vector<bool> seen(K, false);
        for (const int64_t c : codes.to_vector_i64()) seen[c] = true;
        for (int64_t k = 0; k < K; ++k)
            if (seen[k]) ids.push_back(k);
    }
    const int64_t u = static_cast<int64_t>(ids.size());
    std::vector<int64_t> filled(static_cast<size_t>(u * 49));
    for (int64_t i = 0; i < u; ++i)
        std::fill(filled.begin() + i * 49, filled.begin() + (i + 1) * 49, ids[i]);
    const Tensor grids =
        Tensor::from_vector_i64({u, z.size(2), z.size(3)}, filled, z.device());  // (U, 7, 7)
    Tensor code_images = AE.decode(AE.vq.lookup(grids));                         // (U, 1, 28, 28)
    AE.train(was_training);

    Tensor codebook = AE.vq.codebook.weight.detach().clone();  // (K, D), a copy for the window
    Tensor usage = Tensor::empty({K}), unused = Tensor::empty({K});
    for (int64_t k = 0; k < K; ++k) {
        usage.data()[k] = static_cast<float>(usage_[k]);
        unused.data()[k] = static_cast<float>(steps_ - last_used_[k]);
        usage_[k] = 0;
    }
    return {{"originals", examples},
            {"reconstructions", rec},
            {"codes", codes},
            {"code_ids", Tensor::from_vector_i64({u}, ids)},
            {"code_images", code_images},
            {"codebook", codebook},
            {"encoder_outputs", z_flat},
            {"usage", usage},
            {"steps_unused", unused}};
}

bool Vqgan28::write_progress_image(const std::string& path, const ImageDataset& data,
                                   const Tensor& fixed_noise) {
    (void)fixed_noise;
    const int64_t n = std::min<int64_t>(32, data.images.size(0) / 8 * 8);
    if (n == 0) return false;
    Tensor originals = narrow(data.images, 0, 0, n).to(device());  // (n, 1, 28, 28)
    save_image_grid(path, reconstruction_rows(AE, originals, 8).to(Device::cpu), 8);
    return true;
}

NamedTensors Vqgan28::optimizer_state() const {
    NamedTensors out = optimizers_state({{"optim.AE", &opt_AE}, {"optim.D", &opt_D}});
    if (ema_state_.cluster_size.defined()) {
        out.emplace_back("optim.vq_ema.cluster_size", ema_state_.cluster_size);
        out.emplace_back("optim.vq_ema.embed_sum", ema_state_.embed_sum);
    }
    std::vector<int64_t> since(last_used_.size());
    for (size_t k = 0; k < since.size(); ++k) since[k] = steps_ - last_used_[k];
    out.emplace_back("optim.vq.steps_unused",
                     Tensor::from_vector_i64({static_cast<int64_t>(since.size())}, since));
    out.emplace_back("optim.vq.restart_rng", restart_rng_.state_tensor());
    return out;
}

void Vqgan28::load_optimizer_state(const std::map<std::string, Tensor>& state,
                                   const std::string& source) {
    load_optimizers_state({{"optim.AE", &opt_AE}, {"optim.D", &opt_D}}, state, source);
    const int64_t K = AE.vq.n_codes(), Dm = AE.vq.dim();
    auto find = [&](const std::string& key, const Shape& shape, DType dtype) {
        auto it = state.find(key);
        if (it == state.end()) return Tensor();
        if (it->second.shape() != shape || it->second.dtype() != dtype)
            throw std::runtime_error(source + ": " + key + " is " + shape_str(it->second.shape()) +
                                     ", expected " + shape_str(shape));
        return it->second.clone();
    };
    Tensor cs = find("optim.vq_ema.cluster_size", {K}, DType::f32);
    Tensor es = find("optim.vq_ema.embed_sum", {K, Dm}, DType::f32);
    if (cs.defined() && es.defined()) ema_state_ = {cs, es};
    steps_ = opt_AE.steps();
    if (Tensor since = find("optim.vq.steps_unused", {K}, DType::i64); since.defined())
        for (int64_t k = 0; const int64_t s : since.to_vector_i64()) last_used_[k++] = steps_ - s;
    if (auto it = state.find("optim.vq.restart_rng"); it != state.end()) {
        try {
            restart_rng_.load_state_tensor(it->second);
        } catch (const std::exception& e) {
            throw std::runtime_error(source + ": optim.vq.restart_rng: " + e.what());
        }
    }
}

Vqgan28Options parse_vqgan28_options(const std::string& spec) {
    Vqgan28Options o;
    const std::string head = "vqgan28";
    if (spec.rfind(head, 0) != 0)
        throw std::invalid_argument("'" + spec + "' is not a vqgan28 model name");
    std::string rest = spec.substr(head.size());
    if (rest.empty()) return o;
    if (rest[0] != ':')
        throw std::invalid_argument("'" + spec + "': options follow a colon, as vqgan28:codes=512");
    rest = rest.substr(1);
    size_t start = 0;
    std::set<std::string> seen;
    while (start <= rest.size()) {
        const size_t end = std::min(rest.find(',', start), rest.size());
        const std::string item = rest.substr(start, end - start);
        const size_t eq = item.find('=');
        const std::string key = item.substr(0, eq);
        int64_t value = 0;
        try {
            size_t used = 0;
            if (eq == std::string::npos) throw std::invalid_argument("no value");
            value = std::stoll(item.substr(eq + 1), &used);
            if (used != item.size() - eq - 1) throw std::invalid_argument("trailing text");
        } catch (const std::logic_error&) {
            throw std::invalid_argument("'" + spec + "': '" + item +
                                        "' is not key=integer (codes=K or dim=D)");
        }
        if (key != "codes" && key != "dim")
            throw std::invalid_argument("'" + spec + "': unknown option '" + key +
                                        "' (known: codes, dim)");
        if (!seen.insert(key).second)
            throw std::invalid_argument("'" + spec + "': " + key + " is given twice");
        (key == "codes" ? o.n_codes : o.dim) = value;
        start = end + 1;
    }
    return checked(o);  // a name from a checkpoint's metadata is refused before building
}

// ------------------------------------------------------------ loading

std::unique_ptr<VQAutoencoder28> load_vq_autoencoder(const std::string& path) {
    std::map<std::string, Tensor> state = load_safetensors_map(path);
    auto it = state.find("AE.vq.codebook.weight");
    if (it == state.end() || it->second.dim() != 2)
        throw std::runtime_error(path + ": not a vqgan28 checkpoint (no AE.vq.codebook.weight)");
    Rng rng(0);
    auto ae = std::make_unique<VQAutoencoder28>(rng, it->second.size(0), it->second.size(1));
    ae->load_state_dict(state, "AE.", path);
    ae->eval();
    return ae;
}

Tensor reconstruction_rows(VQAutoencoder28& ae, const Tensor& x, int64_t per_row) {
    const int64_t n = x.size(0);
    if (per_row < 1 || n % per_row != 0)
        throw std::invalid_argument("reconstruction_rows: " + std::to_string(n) +
                                    " images do not fill rows of " + std::to_string(per_row));
    Tensor rec = ae.decode_indices(ae.encode_indices(x));  // (N, 1, 28, 28)
    std::vector<Tensor> rows;
    for (int64_t r = 0; r < n / per_row; ++r) {
        rows.push_back(narrow(x, 0, r * per_row, per_row));
        rows.push_back(narrow(rec, 0, r * per_row, per_row));
    }
    return cat(rows, 0);
}

}  // namespace ganvas
