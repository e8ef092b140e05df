#include "models/classifier28.h"

#include <cstdio>
#include <stdexcept>
#include <vector>

#include "autograd/autograd.h"
#include "data/dataset.h"
#include "nn/layer_trace.h"
#include "ops/ops.h"
#include "ops/softmax.h"

namespace ganvas {
namespace {

// How many of two int64 tensors' values agree, read back from wherever they live.
int64_t matches(const Tensor& a, const Tensor& b) {
    const std::vector<int64_t> x = a.to_vector_i64(), y = b.to_vector_i64();
    int64_t same = 0;
    for (size_t i = 0; i < x.size(); ++i) same += x[i] == y[i];
    return same;
}

}  // namespace

Classifier28Net::Classifier28Net(Rng& rng)
    : c1(1, 32, 3, 1, 1, true, rng),
      c2(32, 64, 4, 2, 1, true, rng),
      c3(64, 128, 4, 2, 1, true, rng),
      fc1(128 * 7 * 7, kClassifierFeatures, true, rng),
      fc2(kClassifierFeatures, 10, true, rng) {
    register_module("c1", c1);
    register_module("c2", c2);
    register_module("c3", c3);
    register_module("fc1", fc1);
    register_module("fc2", fc2);
}

Tensor Classifier28Net::features(const Tensor& x) {
    Tensor h = relu(c1.forward(x));           // (N, 32, 28, 28)
    h = relu(c2.forward(h));                  // (N, 64, 14, 14)
    h = relu(c3.forward(h));                  // (N, 128, 7, 7)
    return relu(fc1.forward(flatten(h, 1)));  // (N, 128)
}

Tensor Classifier28Net::forward(const Tensor& x) {
    Tensor logits = fc2.forward(features(x));  // (N, 10)
    LayerTrace::record(this, logits);
    return logits;
}

Classifier28::Classifier28(Rng& rng) : net(rng), opt(net.parameters(), 1e-3) {}

std::vector<Setting> Classifier28::settings() {
    return {
        number_setting("lr", 1e-3, 1e-6, 1e-1,
                       "Adam learning rate (1e-3 made the shipped weights).")
            .log()
            .bind(opt.lr),
        number_setting("beta1", 0.9, 0.0, 0.999, "Adam's first-moment decay.").bind(opt.beta1),
        number_setting("beta2", 0.999, 0.0, 0.9999, "Adam's second-moment decay.").bind(opt.beta2)};
}

std::string Classifier28::final_report(const std::string& data_spec, const ImageDataset& heldout) {
    (void)heldout;
    ImageDataset test =
        load_dataset(data_spec == "fashion-mnist" ? "fashion-mnist:test" : data_spec);
    char line[128];
    std::snprintf(line, sizeof line, "test accuracy: %.4f on %lld images of ",
                  accuracy(test.images, test.labels), static_cast<long long>(test.images.size(0)));
    return line + test.name;
}

void Classifier28::trace_forward(const Batch& batch) {
    NoGradGuard no_grad;
    net.eval();
    net.forward(narrow(batch.images, 0, 0, 1));
    net.train();
}

StepStats Classifier28::step(const Batch& batch, Rng&) {
    if (!batch.labels.defined())
        throw std::invalid_argument(
            "classifier28 trains on labelled data; this data set has no labels");
    net.train();
    Tensor logits = net.forward(batch.images);  // (B, 10)
    Tensor loss = cross_entropy(logits, batch.labels);
    opt.zero_grad();
    loss.backward();
    opt.step();
    Tensor predicted = argmax(logits.detach(), 1);
    const int64_t correct = matches(predicted, batch.labels);
    return {{"loss", loss.item()},
            {"accuracy", static_cast<float>(correct) / static_cast<float>(predicted.numel())}};
}

Classifier28::Outputs Classifier28::evaluate(const Tensor& images, int64_t chunk) {
    NoGradGuard no_grad;
    net.eval();
    const int64_t n = images.size(0), per = images.numel() / std::max<int64_t>(n, 1);
    Outputs out{Tensor::empty({n, kClassifierFeatures}), Tensor::empty({n, 10})};
    for (int64_t s = 0; s < n; s += chunk) {
        const int64_t m = std::min(chunk, n - s);
        // Host images, a chunk at a time, to the classifier's device.
        Tensor x = Tensor::from_vector(
                       {m, 1, 28, 28},
                       std::vector<float>(images.data() + s * per, images.data() + (s + m) * per))
                       .to(net.fc2.weight.device());
        Tensor f = net.features(x);
        Tensor p = softmax(net.fc2.forward(f), 1);
        const std::vector<float> features = f.to_vector(), probabilities = p.to_vector();
        std::copy(features.begin(), features.end(), out.features.data() + s * kClassifierFeatures);
        std::copy(probabilities.begin(), probabilities.end(), out.probabilities.data() + s * 10);
    }
    net.train();
    return out;
}

double Classifier28::accuracy(const Tensor& images, const Tensor& labels) {
    Tensor predicted = argmax(evaluate(images).probabilities, 1);
    const int64_t correct = matches(predicted, labels);
    return static_cast<double>(correct) /
           static_cast<double>(std::max<int64_t>(predicted.numel(), 1));
}

}  // namespace ganvas
