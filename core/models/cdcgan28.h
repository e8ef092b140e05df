// cdcgan28: dcgan28 told which class to draw. The generator reads a learned class
// embedding concatenated to z; the discriminator is a projection discriminator
// (Miyato & Koyama 2018): D(x, y) = fc(φ(x)) + <embed(y), φ(x)>.
//
// Why projection and not a label concatenated to D's input: a concatenated one-hot
// is one more input among 784 pixels, and D can reach a low loss while all but
// ignoring it, so G is never pushed towards the right class. The projection's inner
// product makes the class a factor of the logit itself (the log-ratio of the
// conditional densities has exactly this form when p(y|x) is a softmax of φ), and it
// is what modern class-conditional GANs (SNGAN, BigGAN) use.
#pragma once

#include "models/dcgan28.h"

namespace ganvas {

constexpr int64_t kClassEmbedDim = 16;
constexpr int64_t kMaxClasses = 1000;  // D's class table is classes x 6272 floats

class ConditionalGenerator28 : public Generator28 {
public:
    ConditionalGenerator28(Rng& rng, int64_t classes);
    // z (N, 64), labels (N,) int64 -> (N, 1, 28, 28) in [-1, 1]
    Tensor forward(const Tensor& z, const Tensor& labels);
    std::string type_name() const override { return "ConditionalGenerator28"; }
    Embedding embed;  // (classes, 16), N(0, 1) like the noise it is concatenated to
};

class ProjectionDiscriminator28 : public Discriminator28 {
public:
    ProjectionDiscriminator28(Rng& rng, int64_t classes);
    // x (N, 1, 28, 28), labels (N,) int64 -> (N,) logits
    Tensor forward(const Tensor& x, const Tensor& labels);
    std::string type_name() const override { return "ProjectionDiscriminator28"; }
    Embedding embed;  // (classes, 6272): one projection vector per class
};

// Model names: "cdcgan28" (ten classes, or as many as the data has when a Session
// builds it) and "cdcgan28:classes=K".
bool is_cdcgan28_spec(const std::string& spec);
int64_t parse_cdcgan28_classes(const std::string& spec);  // throws std::invalid_argument

class Cdcgan28 : public GanModel {
public:
    Cdcgan28(Rng& rng, int64_t classes = 10);
    std::string name() const override { return "cdcgan28"; }
    int64_t z_dim() const override { return kZDim; }
    int64_t num_classes() const override { return classes_; }

    // The batch's labels are the classes of both the real images and the fakes, so
    // the fakes' classes follow the data and no extra random number is drawn: with
    // one seed, cdcgan28 sees the noise and the batches dcgan28 sees.
    StepStats step(const Batch& batch, Rng& rng) override;
    StepStats gan_step(const Tensor& real, Rng& rng) override;  // throws: labels are needed
    // (B, 1, 28, 28), (B,) int64, (B, 64)
    StepStats step_with_noise(const Tensor& real, const Tensor& labels, const Tensor& z);

    // Classes in turn, 0, 1, ..., K-1, 0, ...: as many of each as the noise allows.
    Tensor sample(const Tensor& z) override;
    Tensor sample_classes(const Tensor& z, const Tensor& labels) override;

    std::vector<std::pair<std::string, Module*>> networks() override {
        return {{"G", &G}, {"D", &D}};
    }
    void trace_forward(const Batch& batch) override;
    // D as a function of images alone, every image taken as class 0: enough for the
    // receptive field, which asks where D looks, not what it decides.
    std::function<Tensor(const Tensor&)> image_network(const std::string& prefix) override;
    NamedTensors optimizer_state() const override;
    void load_optimizer_state(const std::map<std::string, Tensor>& state,
                              const std::string& source) override;
    std::vector<Setting> settings() override;
    // Labels are required, each below the number of classes.
    void check_training_data(const ImageDataset& data, const ImageDataset& heldout) const override;

    // `labels` (N,) int64, each in [0, classes); throws std::invalid_argument naming `what`.
    void check_labels(const Tensor& labels, int64_t n, const std::string& what) const;

    ConditionalGenerator28 G;
    ProjectionDiscriminator28 D;
    Adam opt_G, opt_D;  // Adam 2e-4, betas (0.5, 0.999), as dcgan28
    int d_steps = 1;    // discriminator updates per generator update

private:
    DiscriminatorStep discriminator_update(const Tensor& real, const Tensor& fake,
                                           const Tensor& labels);
    int64_t classes_;
};

}  // namespace ganvas
