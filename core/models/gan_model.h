// A model with a generator: trained on images alone, sampled from noise.
#pragma once

#include "models/model.h"
#include "optim/optimizer.h"

namespace ganvas {

class GanModel : public Model {
public:
    virtual int64_t z_dim() const = 0;

    // One reference training step on real images (B, 1, 28, 28); labels are unused.
    virtual StepStats gan_step(const Tensor& real, Rng& rng) = 0;
    StepStats step(const Batch& batch, Rng& rng) override { return gan_step(batch.images, rng); }

    // Generator output in eval mode, no graph: z (N, z_dim) -> (N, 1, 28, 28).
    virtual Tensor sample(const Tensor& z) = 0;

    // A conditional generator's number of classes; 0 for one that reads noise alone.
    virtual int64_t num_classes() const { return 0; }
    // sample() for the classes `labels` (N,) int64; throws std::logic_error for a
    // generator without classes.
    virtual Tensor sample_classes(const Tensor& z, const Tensor& labels);
    // The grid shown of the session's fixed noise (window, `ganvas train`): sample() of
    // it, or for a conditional generator one row per class (class_grid below).
    Tensor sample_grid(const Tensor& fixed_noise);

    GanModel* as_gan() override { return this; }

    // `ganvas train` draws the samples of the session's fixed noise, 8 a row.
    std::string progress_image_name() const override { return "samples"; }
    bool write_progress_image(const std::string& path, const ImageDataset& data,
                              const Tensor& fixed_noise) override;
};

// A conditional generator's sample grid: one row per class, kClassGridColumns a row; column
// j is fixed noise row j in every class, so the noise (style) stays down a column and the
// class changes down it.
constexpr int64_t kClassGridColumns = 8;
struct ClassGrid {
    Tensor noise;   // (rows * 8, z_dim), rows = class_grid_rows(classes)
    Tensor labels;  // (rows * 8,) int64: row c is class c
};
// The grid's rows: one per class, the first kClassGridMaxRows of many.
constexpr int64_t kClassGridMaxRows = 32;
int64_t class_grid_rows(int64_t classes);
// Needs at least kClassGridColumns rows of `fixed_noise` (N, z_dim).
ClassGrid class_grid(const Tensor& fixed_noise, int64_t classes);

// What a minimax GAN's discriminator step leaves for the report.
struct DiscriminatorStep {
    Tensor loss, real_logits, fake_logits;  // (), (B,), (B,)
};

// The generator's non-saturating update from D's logits on its fakes (B,): make D
// call them real. Only G's gradients are computed: the reference's D gradients here
// are discarded at the next zero_grad, so skipping them changes no number. Returns loss_G.
Tensor non_saturating_generator_update(const Tensor& d_on_fakes, Module& G, Optimizer& opt_G);

// loss_D, loss_G, D(x), D(G(z)): what dcgan28 and cdcgan28 report each step.
StepStats minimax_gan_stats(const DiscriminatorStep& d, const Tensor& loss_G);

}  // namespace ganvas
