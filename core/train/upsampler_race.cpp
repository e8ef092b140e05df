#include "train/upsampler_race.h"

#include <stdexcept>

#include "analysis/image_quality.h"
#include "autograd/autograd.h"
#include "ops/activation.h"
#include "ops/interpolate.h"
#include "ops/loss.h"
#include "ops/shape_ops.h"
#include "optim/optimizer.h"

namespace ganvas {

SuperResolution2x::SuperResolution2x(UpsamplerKind kind_, int64_t c, Rng& rng)
    : kind(kind_), head(1, c, 3, 1, 1, true, rng), tail(c, 1, 3, 1, 1, true, rng) {
    register_module("head", head);
    switch (kind) {
        case UpsamplerKind::transposed:
            transposed = std::make_unique<ConvTranspose2d>(c, c, 3, 2, 1, true, rng);
            transposed->params.output_padding = {1, 1};
            register_module("up", *transposed);
            break;
        case UpsamplerKind::resize_nearest:
        case UpsamplerKind::resize_bilinear:
            resize = std::make_unique<ResizeConv2d>(
                c, c, 2, 3,
                kind == UpsamplerKind::resize_nearest ? InterpMode::nearest : InterpMode::bilinear,
                true, rng);
            register_module("up", *resize);
            break;
        case UpsamplerKind::pixelshuffle:
        case UpsamplerKind::pixelshuffle_icnr:
            subpixel = std::make_unique<SubPixelConv2d>(c, c, 2, 3, true, rng);
            if (kind == UpsamplerKind::pixelshuffle_icnr)
                icnr_(subpixel->conv.weight, &subpixel->conv.bias, 2, rng);
            register_module("up", *subpixel);
            break;
    }
    register_module("tail", tail);
}

Tensor SuperResolution2x::forward(const Tensor& x) const {
    Tensor h = relu(head.forward(x));  // (N, C, h, w)
    if (transposed) h = transposed->forward(h);
    if (resize) h = resize->forward(h);
    if (subpixel) h = subpixel->forward(h);  // (N, C, 2h, 2w)
    return tail.forward(relu(h));            // (N, 1, 2h, 2w)
}

Tensor downsample_2x(const Tensor& x) {
    InterpolateOptions o;
    o.mode = InterpMode::area;
    o.size = {x.size(2) / 2, x.size(3) / 2};
    return interpolate(x, o);
}

UpsamplerRace::UpsamplerRace(std::shared_ptr<const ImageDataset> data, RaceOptions options)
    : data_(std::move(data)), opt_(options), rng_(options.seed), worker_("Learned upsampling") {
    if (!data_ || data_->images.dim() != 4 || data_->images.size(1) != 1 ||
        data_->size() < opt_.validation + opt_.batch || data_->images.size(2) % 2 ||
        data_->images.size(3) % 2)
        throw std::invalid_argument(
            "UpsamplerRace: needs a one-channel dataset with even sides "
            "and more than validation + batch images");
    for (int k = 0; k < kUpsamplerKinds; ++k) {
        nets_.push_back(std::make_unique<SuperResolution2x>(static_cast<UpsamplerKind>(k),
                                                            opt_.channels, rng_));
        optims_.push_back(std::make_unique<Adam>(nets_.back()->parameters(), opt_.lr));
    }
    NoGradGuard no_grad;
    val_high_ = narrow(data_->images, 0, data_->size() - opt_.validation, opt_.validation);
    val_low_ = downsample_2x(val_high_);
    InterpolateOptions bicubic;
    bicubic.mode = InterpMode::bicubic;
    bicubic.scale = {2.0, 2.0};
    history_.bicubic_psnr =
        static_cast<float>(psnr(interpolate(val_low_, bicubic), val_high_, 2.0));
    history_.low = narrow(val_low_, 0, 0, opt_.shown).clone();
    history_.high = narrow(val_high_, 0, 0, opt_.shown).clone();
    evaluate_and_publish(false);
    worker_.start(*this);
}

UpsamplerRace::~UpsamplerRace() {
    worker_.stop();  // joins before the nets it trains are destroyed
}

void UpsamplerRace::step() {
    // One batch for all nets, drawn from the training part (before the validation images).
    const int64_t n = data_->size() - opt_.validation;
    const int64_t plane = data_->images.numel() / data_->size();
    Tensor high = Tensor::empty({opt_.batch, 1, data_->images.size(2), data_->images.size(3)});
    for (int64_t b = 0; b < opt_.batch; ++b) {
        const float* src = data_->images.data() + rng_.randint(n) * plane;
        std::copy(src, src + plane, high.data() + b * plane);
    }
    Tensor low;
    {
        NoGradGuard no_grad;
        low = downsample_2x(high);  // (B, 1, 14, 14)
    }
    for (size_t k = 0; k < nets_.size(); ++k) {
        optims_[k]->zero_grad();
        mse_loss(nets_[k]->forward(low), high).backward();
        optims_[k]->step();
    }
    ++step_;
    // Each step is five networks' worth of work: a progress line per step costs nothing.
    worker_.report(
        {step_, std::min(1.0f, float(step_) / float(std::max<int64_t>(1, opt_.max_steps))),
         phrase("%s nets, batch %s", std::to_string(kUpsamplerKinds), std::to_string(opt_.batch))});
    if (step_ % opt_.eval_every == 0 || step_ >= opt_.max_steps) evaluate_and_publish(running_);
}

void UpsamplerRace::evaluate_and_publish(bool running) {
    NoGradGuard no_grad;
    history_.step = step_;
    history_.steps.push_back(step_);
    for (size_t k = 0; k < nets_.size(); ++k) {
        const Tensor out = nets_[k]->forward(val_low_);  // (V, 1, 28, 28)
        history_.psnr[k].push_back(static_cast<float>(psnr(out, val_high_, 2.0)));
        history_.outputs[k] = narrow(out, 0, 0, opt_.shown).clone();
    }
    publish(running);
}

void UpsamplerRace::publish(bool running) {
    history_.finished = step_ >= opt_.max_steps;
    finished_ = history_.finished;
    history_.running = running && !history_.finished;
    worker_.publish(std::make_shared<const RaceSnapshot>(history_));
}

std::shared_ptr<const RaceSnapshot> UpsamplerRace::snapshot() const {
    return worker_.latest();
}

void UpsamplerRace::run() {
    if (finished_) return;
    running_ = true;
    worker_.post([this] {
        running_ = !finished_;  // a pause's last snapshot may have cleared it meanwhile
        wants_run_ = true;
    });
}

void UpsamplerRace::pause() {
    worker_.post([this] { wants_run_ = false; });
}

// The worker's side: a step of every net per unit of work, until paused or finished.
bool UpsamplerRace::wants_work() const {
    return wants_run_ && step_ < opt_.max_steps;
}

void UpsamplerRace::work() {
    stepping_ = true;
    step();
}

void UpsamplerRace::publish(bool, bool) {
    if (!stepping_ || wants_work()) return;
    // The state where it stopped, marked not running, before running() says so.
    if (history_.steps.back() != step_)
        evaluate_and_publish(false);
    else
        publish(false);
    stepping_ = wants_run_ = false;
    running_ = false;
}

void UpsamplerRace::failed(const std::exception& e) {
    wants_run_ = false;
    worker_.report({step_, -1, phrase("stopped: %s", e.what())});
}

}  // namespace ganvas
