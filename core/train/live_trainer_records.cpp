// What LiveTrainer::Worker records of its session (train/live_trainer_worker.h):
// sample grids, the model's views, parameter and gradient norms, FFD, and the
// TensorBoard log of all of it.
#include "train/live_trainer_worker.h"

#include <algorithm>
#include <cmath>
#include <ctime>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "ops/shape_ops.h"

namespace ganvas {
namespace {

double l2_norm(const Tensor& t) {
    if (!t.defined()) return std::nan("");
    const std::vector<float> v = t.to_vector();  // read back from a device
    double s = 0;
    for (float x : v) s += double(x) * x;
    return std::sqrt(s);
}

}  // namespace

// A session's own run folder, so a reset or a new model starts a new curve.
void LiveTrainer::Worker::start_tensorboard_run() {
    tensorboard.reset();
    if (tensorboard_dir.empty() || !session) return;
    char stamp[32];
    const std::time_t now = std::time(nullptr);
    std::strftime(stamp, sizeof stamp, "%Y%m%d-%H%M%S", std::localtime(&now));
    const std::string run =
        (std::filesystem::path(tensorboard_dir) / (config.model + "-" + stamp)).string();
    try {
        tensorboard = std::make_unique<TensorBoardRunLog>(run);
        tensorboard->settings(session->steps_done(), config, session->model());
        say(phrase("Logging to TensorBoard in %s", run));
    } catch (const std::exception& e) {
        tensorboard_dir.clear();
        say(phrase("Not logging to TensorBoard: %s", e.what()), true);
    }
}

void LiveTrainer::Worker::log_to_tensorboard(const std::function<void(TensorBoardRunLog&)>& write) {
    if (!tensorboard) return;
    write(*tensorboard);
    if (const std::string error = tensorboard->take_error(); !error.empty()) say_verbatim(error);
}

void LiveTrainer::Worker::record_samples() {
    record_views();
    if (!session->gan()) return;
    auto frame = std::make_shared<SampleFrame>();
    frame->step = session->steps_done();
    frame->images = session->fixed_samples();
    if (!samples.empty() && samples.back()->step == frame->step) samples.pop_back();
    samples.push_back(frame);
    // TensorBoard gets the grids of the sample interval, as `ganvas train` logs them,
    // not the extra ones a pause or a single step shows.
    if (frame->step % opt.sample_every == 0)
        log_to_tensorboard(
            [&](TensorBoardRunLog& log) { log.sample_grid(frame->step, frame->images); });
    if (static_cast<int>(samples.size()) > opt.max_frames) {
        // Keep the first and the newest; thin the middle so the whole evolution stays.
        std::vector<std::shared_ptr<const SampleFrame>> kept;
        for (size_t i = 0; i + 1 < samples.size(); i += 2) kept.push_back(samples[i]);
        kept.push_back(samples.back());
        samples = std::move(kept);
    }
}

void LiveTrainer::Worker::record_views() {
    const Tensor& images = session->dataset().images;
    const int64_t n = std::min<int64_t>(opt.view_examples, images.size(0));
    NamedTensors tensors =
        session->model().views(narrow(images, 0, 0, n).to(session->config().device));
    if (tensors.empty()) return views.reset();
    for (auto& [name, t] : tensors) t = t.to(Device::cpu);
    auto v = std::make_shared<ModelViews>();
    v->step = session->steps_done();
    v->tensors = std::move(tensors);
    views = v;
}

void LiveTrainer::Worker::record_norms() {
    const int64_t n = session->steps_done();
    if (!param_norms->steps.empty() && param_norms->steps.back() == n) return;
    StepStats params, grads;
    for (auto& [prefix, net] : session->model().networks())
        for (auto& [name, t] : net->named_parameters(prefix + ".")) {
            params.emplace_back(name, static_cast<float>(l2_norm(t)));
            grads.emplace_back(name, static_cast<float>(l2_norm(t.grad())));
        }
    param_norms->add(n, params);
    grad_norms->add(n, grads);
}

void LiveTrainer::Worker::measure_ffd() {
    try {
        if (!ffd_probe) {
            ffd_probe = std::make_unique<SampleQuality>(load_classifier(default_classifier_path()),
                                                        load_dataset("fashion-mnist:test").images);
            ffd_noise = Rng(0xFFD).randn({opt.ffd_samples, session->gan()->z_dim()});
        }
        const Tensor samples =
            session->gan()->sample(ffd_noise.to(session->config().device)).to(Device::cpu);
        const auto ffd = static_cast<float>(ffd_probe->ffd(samples));
        metrics->set_last("ffd", ffd);
        log_to_tensorboard([&](TensorBoardRunLog& log) {
            log.step(session->steps_done(), {{"ffd", ffd}});
        });
    } catch (const std::exception& e) {
        opt.ffd_every = 0;
        say(phrase("FFD switched off: %s", e.what()), true);
    }
}

}  // namespace ganvas
