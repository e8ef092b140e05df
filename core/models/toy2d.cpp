#include "models/toy2d.h"

#include <algorithm>
#include <functional>
#include <sstream>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "autograd/autograd.h"
#include "io/toy_scatter.h"
#include "nn/layer_trace.h"
#include "ops/ops.h"

namespace ganvas {
namespace {

[[noreturn]] void bad(const std::string& spec, const std::string& problem) {
    throw std::invalid_argument("model spec '" + spec + "': " + problem);
}

}  // namespace

const char* objective_name(ToyObjective o) {
    switch (o) {
        case ToyObjective::minimax:
            return "minimax";
        case ToyObjective::non_saturating:
            return "non_saturating";
        case ToyObjective::least_squares:
            return "least_squares";
        case ToyObjective::wgan_clip:
            return "wgan_clip";
        case ToyObjective::wgan_gp:
            return "wgan_gp";
    }
    return "?";
}

std::vector<std::string> objective_names() {
    return {"minimax", "non_saturating", "least_squares", "wgan_clip", "wgan_gp"};
}

ToyObjective parse_objective(const std::string& name) {
    const auto names = objective_names();
    for (size_t i = 0; i < names.size(); ++i)
        if (names[i] == name) return static_cast<ToyObjective>(i);
    throw std::invalid_argument("unknown objective '" + name +
                                "' (known: minimax, non_saturating, least_squares, wgan_clip, "
                                "wgan_gp)");
}

bool is_wasserstein(ToyObjective o) {
    return o == ToyObjective::wgan_clip || o == ToyObjective::wgan_gp;
}

bool is_toy2d_spec(const std::string& model_name) {
    return model_name == "toy2d" || model_name.rfind("toy2d:", 0) == 0;
}

Toy2dConfig parse_toy2d_spec(const std::string& spec) {
    if (!is_toy2d_spec(spec)) bad(spec, "not a toy2d model");
    Toy2dConfig c;
    std::string key, value;  // the item being read; the setters below read them
    auto number = [&](double lo, double hi) {
        double v = 0;
        try {
            size_t used = 0;
            v = std::stod(value, &used);
            if (used != value.size()) throw std::invalid_argument(value);
        } catch (const std::logic_error&) {
            bad(spec, key + "=" + value + " is not a number");
        }
        if (!(v >= lo && v <= hi))
            bad(spec, key + " must be between " + number_str(lo) + " and " + number_str(hi) +
                          ", not " + value);
        return v;
    };
    auto activation = [&] {
        try {
            return parse_activation(value);
        } catch (const std::invalid_argument& e) {
            bad(spec, e.what());
        }
    };
    // Every key, in the order the unknown-key message lists them.
    const std::vector<std::pair<std::string, std::function<void()>>> keys = {
        {"dim", [&] { c.data_dim = static_cast<int>(number(1, 2)); }},
        {"noise_dim", [&] { c.noise_dim = static_cast<int>(number(1, 2)); }},
        {"noise",
         [&] {
             if (value != "gaussian" && value != "uniform")
                 bad(spec, "noise is gaussian or uniform");
             c.gaussian_noise = value == "gaussian";
         }},
        {"layers", [&] { c.g_layers = c.d_layers = static_cast<int>(number(0, 8)); }},
        {"width", [&] { c.g_width = c.d_width = static_cast<int64_t>(number(1, 1024)); }},
        {"activation", [&] { c.g_activation = c.d_activation = activation(); }},
        {"g_layers", [&] { c.g_layers = static_cast<int>(number(0, 8)); }},
        {"d_layers", [&] { c.d_layers = static_cast<int>(number(0, 8)); }},
        {"g_width", [&] { c.g_width = static_cast<int64_t>(number(1, 1024)); }},
        {"d_width", [&] { c.d_width = static_cast<int64_t>(number(1, 1024)); }},
        {"g_activation", [&] { c.g_activation = activation(); }},
        {"d_activation", [&] { c.d_activation = activation(); }},
        {"objective",
         [&] {
             try {
                 c.objective = parse_objective(value);
             } catch (const std::invalid_argument& e) {
                 bad(spec, e.what());
             }
         }},
        {"sn", [&] { c.spectral_norm = number(0, 1) != 0; }},
        {"lr_g", [&] { c.lr_g = number(1e-7, 1); }},
        {"lr_d", [&] { c.lr_d = number(1e-7, 1); }},
        {"d_steps", [&] { c.d_steps = static_cast<int>(number(1, 50)); }},
        {"clip", [&] { c.clip = static_cast<float>(number(1e-5, 10)); }},
        {"lambda", [&] { c.gp_lambda = static_cast<float>(number(0, 1000)); }},
    };
    std::stringstream items(spec.size() > 6 ? spec.substr(6) : "");
    std::string item;
    while (std::getline(items, item, ',')) {
        if (item.empty()) continue;
        const size_t eq = item.find('=');
        if (eq == std::string::npos) bad(spec, "'" + item + "' is not key=value");
        key = item.substr(0, eq);
        value = item.substr(eq + 1);
        const auto it =
            std::find_if(keys.begin(), keys.end(), [&](const auto& k) { return k.first == key; });
        if (it == keys.end()) {
            std::string known;
            for (const auto& k : keys) known += (known.empty() ? "" : ", ") + k.first;
            bad(spec, "unknown key '" + key + "' (known: " + known + ")");
        }
        it->second();
    }
    return c;
}

std::string toy2d_spec_for_data(const std::string& spec, int64_t data_dim) {
    if (!is_toy2d_spec(spec)) return spec;
    std::stringstream items(spec.size() > 6 ? spec.substr(6) : "");
    std::string item;
    while (std::getline(items, item, ','))
        if (item.rfind("dim=", 0) == 0) return spec;  // set by the user: kept, checked at step()
    return spec + (spec == "toy2d" ? ":" : ",") + "dim=" + std::to_string(data_dim);
}

Toy2d::Toy2d(const Toy2dConfig& config, Rng& rng)
    : config_(config), initial_(config), init_rng_(rng.next_u64()) {
    build();
}

namespace {

// The optimiser settings each objective's paper uses (see toy2d.h).
double objective_lr(ToyObjective objective) {
    switch (objective) {
        case ToyObjective::wgan_clip:
            return 5e-5;
        case ToyObjective::wgan_gp:
            return 1e-4;
        default:
            return 1e-3;
    }
}

int objective_d_steps(ToyObjective objective) {
    return is_wasserstein(objective) ? 5 : 1;
}

}  // namespace

double Toy2d::default_lr() const {
    return objective_lr(config_.objective);
}

int Toy2d::effective_d_steps() const {
    if (config_.d_steps > 0) return config_.d_steps;
    return objective_d_steps(config_.objective);
}

void Toy2d::build() {
    const Toy2dConfig& c = config_;
    if (c.data_dim < 1 || c.data_dim > 2 || c.noise_dim < 1 || c.noise_dim > 2)
        throw std::invalid_argument("toy2d: data and noise have 1 or 2 dimensions");
    g_ = std::make_unique<Mlp>(c.noise_dim, c.data_dim, c.g_layers, c.g_width, c.g_activation,
                               false, init_rng_);
    d_ = std::make_unique<Mlp>(c.data_dim, 1, c.d_layers, c.d_width, c.d_activation,
                               c.spectral_norm, init_rng_);
    const double lr_g = c.lr_g > 0 ? c.lr_g : default_lr();
    const double lr_d = c.lr_d > 0 ? c.lr_d : default_lr();
    switch (c.objective) {
        case ToyObjective::wgan_clip:  // Arjovsky et al.: RMSprop, no momentum
            opt_g_ = std::make_unique<RMSprop>(g_->parameters(), lr_g);
            opt_d_ = std::make_unique<RMSprop>(d_->parameters(), lr_d);
            break;
        case ToyObjective::wgan_gp:  // Gulrajani et al.: Adam, betas (0, 0.9)
            opt_g_ = std::make_unique<Adam>(g_->parameters(), lr_g, 0.0, 0.9);
            opt_d_ = std::make_unique<Adam>(d_->parameters(), lr_d, 0.0, 0.9);
            break;
        default:  // Radford et al.'s betas
            opt_g_ = std::make_unique<Adam>(g_->parameters(), lr_g, 0.5, 0.999);
            opt_d_ = std::make_unique<Adam>(d_->parameters(), lr_d, 0.5, 0.999);
    }
    d_updates_ = g_updates_ = 0;
    last_loss_g_ = 0;
}

Tensor Toy2d::noise(int64_t n, Rng& rng) const {
    Tensor z = Tensor::empty({n, config_.noise_dim});  // (n, noise_dim)
    if (config_.gaussian_noise)
        rng.fill_normal(z);
    else
        rng.fill_uniform(z, -1.0f, 1.0f);
    return z;
}

Tensor Toy2d::d_loss(const Tensor& d_real, const Tensor& d_fake) const {
    switch (config_.objective) {
        case ToyObjective::minimax:
        case ToyObjective::non_saturating:  // -E log D(x) - E log(1 - D(G(z)))
            return add(binary_cross_entropy_with_logits(
                           d_real, Tensor::ones(d_real.shape(), d_real.device())),
                       binary_cross_entropy_with_logits(
                           d_fake, Tensor::zeros(d_fake.shape(), DType::f32, d_fake.device())));
        case ToyObjective::least_squares:  // (D(x) - 1)^2 / 2 + D(G(z))^2 / 2
            return mul_scalar(
                add(mse_loss(d_real, Tensor::ones(d_real.shape(), d_real.device())),
                    mse_loss(d_fake, Tensor::zeros(d_fake.shape(), DType::f32, d_fake.device()))),
                0.5f);
        default:  // the critic maximises E f(x) - E f(G(z))
            return sub(mean(d_fake), mean(d_real));
    }
}

Tensor Toy2d::g_loss(const Tensor& d_fake) const {
    switch (config_.objective) {
        case ToyObjective::minimax:  // E log(1 - D(G(z))): flat where D rejects fakes
            return neg(binary_cross_entropy_with_logits(
                d_fake, Tensor::zeros(d_fake.shape(), DType::f32, d_fake.device())));
        case ToyObjective::non_saturating:  // -E log D(G(z))
            return binary_cross_entropy_with_logits(d_fake,
                                                    Tensor::ones(d_fake.shape(), d_fake.device()));
        case ToyObjective::least_squares:
            return mul_scalar(mse_loss(d_fake, Tensor::ones(d_fake.shape(), d_fake.device())),
                              0.5f);
        default:
            return neg(mean(d_fake));
    }
}

StepStats Toy2d::step(const Batch& batch, Rng& rng) {
    const Tensor& x = batch.images;
    if (x.size(0) < 1 || x.numel() / x.size(0) != config_.data_dim)
        throw std::invalid_argument("toy2d is set for " + std::to_string(config_.data_dim) +
                                    "-D points but the data has shape " + shape_str(x.shape()));
    StepStats stats = d_step(reshape(x, {x.size(0), config_.data_dim}), rng);
    if (d_updates_ % effective_d_steps() == 0) g_step(x.size(0), rng);
    stats.insert(stats.begin() + 1, {"loss_G", last_loss_g_});
    return stats;
}

StepStats Toy2d::d_step(const Tensor& real, Rng& rng) {
    const int64_t b = real.size(0);
    g_->train();
    d_->train();
    Tensor fake;
    {
        NoGradGuard no_grad;
        fake = g_->forward(noise(b, rng));  // (B, dim)
    }
    // One forward for both halves: one power iteration per step under spectral norm.
    Tensor scores = d_->forward(cat({real, fake}, 0));  // (2B, 1)
    Tensor d_real = narrow(scores, 0, 0, b), d_fake = narrow(scores, 0, b, b);
    Tensor loss = d_loss(d_real, d_fake);
    Tensor penalty;
    if (config_.objective == ToyObjective::wgan_gp) {
        Tensor alpha = rng.rand({b, 1});  // (B, 1)
        penalty = gradient_penalty(*d_, real, fake, alpha, config_.gp_lambda);
        loss = add(loss, penalty);
    }
    opt_d_->zero_grad();
    loss.backward();
    opt_d_->step();
    if (config_.objective == ToyObjective::wgan_clip) clip_weights_(d_->parameters(), config_.clip);
    ++d_updates_;

    StepStats stats = {{"loss_D", loss.item()}};
    const float mr = mean(d_real).item(), mf = mean(d_fake).item();
    if (is_wasserstein(config_.objective)) {
        stats.push_back({"W_estimate", mr - mf});
        if (penalty.defined()) stats.push_back({"gp", penalty.item()});
    } else if (config_.objective == ToyObjective::least_squares) {
        stats.push_back({"D(x)", mr});
        stats.push_back({"D(G(z))", mf});
    } else {
        stats.push_back({"D(x)", mean(sigmoid(d_real)).item()});
        stats.push_back({"D(G(z))", mean(sigmoid(d_fake)).item()});
    }
    return stats;
}

StepStats Toy2d::g_step(int64_t batch, Rng& rng) {
    g_->train();
    d_->train();
    Tensor fake = g_->forward(noise(batch, rng));  // (B, dim)
    Tensor loss = g_loss(d_->forward(fake));
    opt_g_->zero_grad();
    loss.backward();
    opt_g_->step();
    opt_d_->zero_grad();  // D's gradients from this pass are not D's to use
    ++g_updates_;
    last_loss_g_ = loss.item();
    return {{"loss_G", last_loss_g_}};
}

std::vector<std::pair<std::string, Module*>> Toy2d::networks() {
    return {{"G", g_.get()}, {"D", d_.get()}};
}

NamedTensors Toy2d::optimizer_state() const {
    return optimizers_state({{"optim.G", opt_g_.get()}, {"optim.D", opt_d_.get()}});
}

void Toy2d::load_optimizer_state(const std::map<std::string, Tensor>& state,
                                 const std::string& source) {
    load_optimizers_state({{"optim.G", opt_g_.get()}, {"optim.D", opt_d_.get()}}, state, source);
}

std::vector<Setting> Toy2d::settings() {
    // Defaults are the model's spec ("toy2d:objective=wgan_clip,..."), with the
    // objective's own optimiser settings where the spec leaves them out.
    const Toy2dConfig& d = initial_;
    const char* restart = " Changing it restarts both networks.";
    // A setting of the networks' shape: the new value takes effect by rebuilding them.
    auto rebuilding = [this](auto apply) {
        return [this, apply](double v) {
            apply(config_, v);
            build();
        };
    };
    auto getter = [this](auto read) { return [this, read] { return read(config_); }; };
    return {
        number_setting("lr_G", d.lr_g > 0 ? d.lr_g : objective_lr(d.objective), 1e-6, 1e-1,
                       "Generator learning rate. WGAN-GP's paper: 1e-4; WGAN: 5e-5; GANs here: "
                       "1e-3.")
            .log()
            .bind([this] { return opt_g_->lr; },
                  [this](double v) { config_.lr_g = opt_g_->lr = v; }),
        number_setting("lr_D", d.lr_d > 0 ? d.lr_d : objective_lr(d.objective), 1e-6, 1e-1,
                       "Discriminator/critic learning rate.")
            .log()
            .bind([this] { return opt_d_->lr; },
                  [this](double v) { config_.lr_d = opt_d_->lr = v; }),
        count_setting("d_steps", d.d_steps > 0 ? d.d_steps : objective_d_steps(d.objective), 1, 50,
                      "Discriminator (critic) updates per generator update. WGANs use 5: the "
                      "critic must be near its optimum for its value to estimate the "
                      "Wasserstein distance.")
            .bind([this] { return double(effective_d_steps()); },
                  [this](double v) { config_.d_steps = static_cast<int>(v); }),
        number_setting("clip", d.clip, 1e-4, 1,
                       "WGAN weight clipping: after each critic step every critic weight is "
                       "clamped to [-c, c], a crude way to keep the critic Lipschitz.")
            .log()
            .bind(config_.clip),
        number_setting("gp_lambda", d.gp_lambda, 0, 100,
                       "WGAN-GP penalty weight: lambda * E[(|grad f(x_hat)| - 1)^2] pulls the "
                       "critic's gradient norm to 1 between real and fake points.")
            .bind(config_.gp_lambda),
        count_setting("objective", static_cast<int>(d.objective), 0, 4,
                      std::string("0 minimax (saturating), 1 non-saturating, 2 least squares, 3 "
                                  "WGAN with weight clipping, 4 WGAN-GP.") +
                          restart)
            .bind(
                getter([](const Toy2dConfig& c) { return double(static_cast<int>(c.objective)); }),
                rebuilding([](Toy2dConfig& c, double v) {
                    c.objective = static_cast<ToyObjective>(static_cast<int>(v));
                    c.lr_g = c.lr_d = -1;  // the new objective's own optimiser settings
                    c.d_steps = -1;
                })),
        switch_setting("spectral_norm", d.spectral_norm,
                       std::string("On: divide each discriminator weight by its largest singular "
                                   "value (one power iteration per step), bounding D's Lipschitz "
                                   "constant.") +
                           restart)
            .bind(getter([](const Toy2dConfig& c) { return c.spectral_norm ? 1.0 : 0.0; }),
                  rebuilding([](Toy2dConfig& c, double v) { c.spectral_norm = v != 0; })),
        count_setting("g_layers", d.g_layers, 0, 8,
                      std::string("Hidden layers of the generator.") + restart)
            .bind(getter([](const Toy2dConfig& c) { return double(c.g_layers); }),
                  rebuilding([](Toy2dConfig& c, double v) { c.g_layers = static_cast<int>(v); })),
        count_setting("d_layers", d.d_layers, 0, 8,
                      std::string("Hidden layers of the discriminator.") + restart)
            .bind(getter([](const Toy2dConfig& c) { return double(c.d_layers); }),
                  rebuilding([](Toy2dConfig& c, double v) { c.d_layers = static_cast<int>(v); })),
        count_setting("g_width", d.g_width, 1, 512,
                      std::string("Units per hidden layer of the generator.") + restart)
            .bind(
                getter([](const Toy2dConfig& c) { return double(c.g_width); }),
                rebuilding([](Toy2dConfig& c, double v) { c.g_width = static_cast<int64_t>(v); })),
        count_setting("d_width", d.d_width, 1, 512,
                      std::string("Units per hidden layer of the discriminator.") + restart)
            .bind(
                getter([](const Toy2dConfig& c) { return double(c.d_width); }),
                rebuilding([](Toy2dConfig& c, double v) { c.d_width = static_cast<int64_t>(v); })),
        count_setting("activation", static_cast<int>(d.g_activation), 0, 2,
                      std::string("Hidden activation of both networks: 0 ReLU, 1 leaky ReLU "
                                  "(0.2), 2 tanh.") +
                          restart)
            .bind(getter([](const Toy2dConfig& c) {
                      return double(static_cast<int>(c.g_activation));
                  }),
                  rebuilding([](Toy2dConfig& c, double v) {
                      c.g_activation = c.d_activation =
                          static_cast<Activation>(static_cast<int>(v));
                  })),
        count_setting("noise_dim", d.noise_dim, 1, 2,
                      std::string("Dimensions of the generator's noise z: 1 or 2.") + restart)
            .bind(getter([](const Toy2dConfig& c) { return double(c.noise_dim); }),
                  rebuilding([](Toy2dConfig& c, double v) { c.noise_dim = static_cast<int>(v); })),
        switch_setting("gaussian_noise", d.gaussian_noise,
                       std::string("On: z ~ N(0, I); off: z ~ U[-1, 1].") + restart)
            .bind(getter([](const Toy2dConfig& c) { return c.gaussian_noise ? 1.0 : 0.0; }),
                  rebuilding([](Toy2dConfig& c, double v) { c.gaussian_noise = v != 0; })),
    };
}

bool Toy2d::write_progress_image(const std::string& path, const ImageDataset& data,
                                 const Tensor& fixed_noise) {
    (void)fixed_noise;
    // A scatter of 1000 data points and 1000 generated ones, always the same noise.
    Rng r(0);
    const int64_t dim = data.images.size(1), n = std::min<int64_t>(1000, data.size());
    const float extent = dim == 2 ? 3.0f : 4.0f;
    save_toy_scatter(path, reshape(narrow(data.images, 0, 0, n), {n, dim}),
                     generate(noise(1000, r)), -extent, extent);
    return true;
}

void Toy2d::trace_forward(const Batch& batch) {
    NoGradGuard no_grad;
    Rng rng(0);
    g_->eval();
    d_->eval();
    g_->forward(noise(1, rng));
    d_->forward(reshape(narrow(batch.images, 0, 0, 1), {1, config_.data_dim}));
    g_->train();
    d_->train();
}

Tensor Toy2d::generate(const Tensor& z) {
    NoGradGuard no_grad;
    g_->eval();
    Tensor x = g_->forward(z);
    g_->train();
    return x;
}

Tensor Toy2d::critic_raw(const Tensor& x) {
    NoGradGuard no_grad;
    d_->eval();                 // no power iteration: looking must not change the model
    Tensor s = d_->forward(x);  // (n, 1)
    d_->train();
    return reshape(s, {x.size(0)});
}

Tensor Toy2d::discriminate(const Tensor& x) {
    Tensor s = critic_raw(x);
    if (is_wasserstein(config_.objective) || config_.objective == ToyObjective::least_squares)
        return s;
    NoGradGuard no_grad;
    return sigmoid(s);
}

Tensor Toy2d::critic_input_gradient(const Tensor& x) {
    d_->eval();
    Tensor at = x.detach().clone().requires_grad_(true);
    Tensor g = grad({sum(d_->forward(at))}, {at})[0];  // (n, dim)
    d_->train();
    return g;
}

Tensor Toy2d::generator_push(const Tensor& fake) {
    d_->eval();
    Tensor at = fake.detach().clone().requires_grad_(true);
    // The mean over points in g_loss scales each point's gradient by 1/n: undo it.
    Tensor g = grad({g_loss(d_->forward(at))}, {at})[0];  // (n, dim)
    d_->train();
    NoGradGuard no_grad;
    return mul_scalar(g, -static_cast<float>(fake.size(0)));
}

}  // namespace ganvas
