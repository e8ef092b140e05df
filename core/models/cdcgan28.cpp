#include "models/cdcgan28.h"

#include <stdexcept>

#include "autograd/autograd.h"
#include "nn/layer_trace.h"
#include "ops/ops.h"

namespace ganvas {

ConditionalGenerator28::ConditionalGenerator28(Rng& rng, int64_t classes)
    : Generator28(rng, kZDim + kClassEmbedDim), embed(classes, kClassEmbedDim, rng) {
    register_module("embed", embed);
}

Tensor ConditionalGenerator28::forward(const Tensor& z, const Tensor& labels) {
    Tensor h = cat({z, embed.forward(labels)}, 1);  // (N, 64 + 16)
    return Generator28::forward(h);                 // (N, 1, 28, 28)
}

ProjectionDiscriminator28::ProjectionDiscriminator28(Rng& rng, int64_t classes)
    : Discriminator28(rng, /*batchnorm=*/true), embed(classes, 128 * 7 * 7, rng) {
    register_module("embed", embed);
}

Tensor ProjectionDiscriminator28::forward(const Tensor& x, const Tensor& labels) {
    Tensor h = leaky_relu(c1.forward(x), 0.2f);                          // (N, 64, 14, 14)
    h = leaky_relu(bn2->forward(c2.forward(h)), 0.2f);                   // (N, 128, 7, 7)
    Tensor features = flatten(h, 1);                                     // (N, 6272): φ(x)
    Tensor unconditional = squeeze(fc.forward(features), 1);             // (N,)
    Tensor projection = sum(mul(embed.forward(labels), features), {1});  // (N,)
    Tensor logits = add(unconditional, projection);
    LayerTrace::record(this, logits);
    return logits;
}

bool is_cdcgan28_spec(const std::string& spec) {
    return spec == "cdcgan28" || spec.rfind("cdcgan28:", 0) == 0;
}

int64_t parse_cdcgan28_classes(const std::string& spec) {
    if (spec == "cdcgan28") return 10;
    const std::string key = "cdcgan28:classes=";
    int64_t classes = 0;
    try {
        if (spec.rfind(key, 0) != 0) throw std::invalid_argument("no classes=");
        size_t used = 0;
        const std::string value = spec.substr(key.size());
        classes = std::stoll(value, &used);
        if (used != value.size()) throw std::invalid_argument("trailing text");
    } catch (const std::logic_error&) {
        throw std::invalid_argument("'" + spec + "': the model's option is classes=K, as " +
                                    "cdcgan28:classes=10");
    }
    if (classes < 1 || classes > kMaxClasses)
        throw std::invalid_argument("'" + spec + "': classes must be between 1 and " +
                                    std::to_string(kMaxClasses));
    return classes;
}

Cdcgan28::Cdcgan28(Rng& rng, int64_t classes)
    : G(rng, classes),
      D(rng, classes),
      opt_G(G.parameters(), 2e-4, 0.5, 0.999),
      opt_D(D.parameters(), 2e-4, 0.5, 0.999),
      classes_(classes) {
    dcgan_init(G, rng);  // leaves G.embed at N(0, 1), the scale of z beside it
    dcgan_init(D, rng);
    // The class term starts on the scale of fc's weights, so neither half of the
    // logit dominates the other at the start.
    rng.fill_normal(D.embed.weight, 0.0f, 0.02f);
}

void Cdcgan28::check_labels(const Tensor& labels, int64_t n, const std::string& what) const {
    if (!labels.defined() || labels.dtype() != DType::i64 || labels.dim() != 1 ||
        labels.size(0) != n)
        throw std::invalid_argument(
            what + " must be " + std::to_string(n) + " int64 class labels, got " +
            (labels.defined() ? shape_str(labels.shape()) + " " + dtype_name(labels.dtype())
                              : std::string("none")));
    const std::vector<int64_t> p = labels.to_vector_i64();  // data or the window's choice
    for (int64_t i = 0; i < n; ++i)
        if (p[i] < 0 || p[i] >= classes_)
            throw std::invalid_argument(
                what + " holds class " + std::to_string(p[i]) + " at index " + std::to_string(i) +
                "; cdcgan28 takes classes 0 to " + std::to_string(classes_ - 1) +
                " (cdcgan28:classes=K sets how many)");
}

void Cdcgan28::check_training_data(const ImageDataset& data, const ImageDataset& heldout) const {
    (void)heldout;
    if (!data.labels.defined())
        throw std::invalid_argument(
            data.name +
            " has no labels, and cdcgan28 learns to draw each class: give labelled data "
            "(fashion-mnist, idx:IMAGES,LABELS, folder:DIR with a folder per class, or "
            "tfrecord:FILE,label=KEY)");
    check_labels(data.labels, data.size(), "the labels of " + data.name);
}

void Cdcgan28::trace_forward(const Batch& batch) {
    NoGradGuard no_grad;
    G.eval();
    D.eval();
    const Device device = batch.images.device();
    const Tensor label = Tensor::zeros({1}, DType::i64, device);
    G.forward(Tensor::zeros({1, kZDim}, DType::f32, device), label);
    D.forward(narrow(batch.images, 0, 0, 1), label);
    G.train();
    D.train();
}

std::function<Tensor(const Tensor&)> Cdcgan28::image_network(const std::string& prefix) {
    if (prefix != "D") return {};
    return [this](const Tensor& x) {
        return D.forward(x, Tensor::zeros({x.size(0)}, DType::i64, x.device()));
    };
}

Tensor Cdcgan28::sample(const Tensor& z) {
    std::vector<int64_t> labels(z.size(0));
    for (size_t i = 0; i < labels.size(); ++i) labels[i] = static_cast<int64_t>(i) % classes_;
    return sample_classes(z, Tensor::from_vector_i64({z.size(0)}, labels, z.device()));  // (N,)
}

Tensor Cdcgan28::sample_classes(const Tensor& z, const Tensor& labels) {
    check_labels(labels, z.size(0), "the classes to sample");
    NoGradGuard no_grad;
    G.eval();
    Tensor out = G.forward(z, labels);  // (N, 1, 28, 28)
    G.train();
    return out;
}

StepStats Cdcgan28::gan_step(const Tensor& real, Rng& rng) {
    (void)real, (void)rng;
    throw std::invalid_argument("cdcgan28 trains on labelled batches: call step(batch, rng)");
}

StepStats Cdcgan28::step(const Batch& batch, Rng& rng) {
    const Tensor& real = batch.images;  // (B, 1, 28, 28)
    check_labels(batch.labels, real.size(0), "the batch's labels");
    for (int i = 1; i < d_steps; ++i) {
        Tensor fake;
        {
            NoGradGuard no_grad;
            G.train();
            fake = G.forward(rng.randn({real.size(0), kZDim}).to(real.device()), batch.labels);
        }
        discriminator_update(real, fake, batch.labels);
    }
    return step_with_noise(real, batch.labels, rng.randn({real.size(0), kZDim}).to(real.device()));
}

// Discriminator: (real, y) -> 1, (G(z, y), y) -> 0.
DiscriminatorStep Cdcgan28::discriminator_update(const Tensor& real, const Tensor& fake,
                                                 const Tensor& labels) {
    D.train();
    const int64_t n = real.size(0);
    DiscriminatorStep d;
    d.real_logits = D.forward(real, labels);
    d.fake_logits = D.forward(fake, labels);
    d.loss = add(
        binary_cross_entropy_with_logits(d.real_logits, Tensor::ones({n}, d.real_logits.device())),
        binary_cross_entropy_with_logits(d.fake_logits,
                                         Tensor::zeros({n}, DType::f32, d.fake_logits.device())));
    opt_D.zero_grad();
    d.loss.backward();
    opt_D.step();
    return d;
}

StepStats Cdcgan28::step_with_noise(const Tensor& real, const Tensor& labels, const Tensor& z) {
    G.train();
    Tensor fake = G.forward(z, labels);  // (B, 1, 28, 28)
    DiscriminatorStep d = discriminator_update(real, fake.detach(), labels);

    // Generator, non-saturating, G's gradients only (as dcgan28).
    Tensor loss_G = non_saturating_generator_update(D.forward(fake, labels), G, opt_G);
    return minimax_gan_stats(d, loss_G);
}

std::vector<Setting> Cdcgan28::settings() {
    return {
        number_setting("lr_G", 2e-4, 1e-6, 1e-1, "Generator learning rate (Adam), as dcgan28.")
            .log()
            .bind(opt_G.lr),
        number_setting("lr_D", 2e-4, 1e-6, 1e-1,
                       "Discriminator learning rate (Adam). The class projection learns with it.")
            .log()
            .bind(opt_D.lr),
        number_setting("beta1", 0.5, 0.0, 0.999,
                       "Adam's first-moment decay, both networks (0.5, as DCGAN).")
            .bind([this] { return opt_G.beta1; },
                  [this](double v) { opt_G.beta1 = opt_D.beta1 = v; }),
        number_setting("beta2", 0.999, 0.0, 0.9999,
                       "Adam's second-moment decay, both networks (0.999).")
            .bind([this] { return opt_G.beta2; },
                  [this](double v) { opt_G.beta2 = opt_D.beta2 = v; }),
        count_setting("d_steps", 1, 1, 10, "Discriminator updates per generator update.")
            .bind(d_steps),
    };
}

NamedTensors Cdcgan28::optimizer_state() const {
    return optimizers_state({{"optim.G", &opt_G}, {"optim.D", &opt_D}});
}

void Cdcgan28::load_optimizer_state(const std::map<std::string, Tensor>& state,
                                    const std::string& source) {
    load_optimizers_state({{"optim.G", &opt_G}, {"optim.D", &opt_D}}, state, source);
}

}  // namespace ganvas
