// A model with a generator: trained on images alone, sampled from noise.
#pragma once

#include "models/model.h"

namespace ganvas {

class GanModel : public Model {
public:
    virtual int64_t z_dim() const = 0;

    // One reference training step on real images (B, 1, 28, 28); labels are unused.
    virtual StepStats gan_step(const Tensor& real, Rng& rng) = 0;
    StepStats step(const Batch& batch, Rng& rng) override { return gan_step(batch.images, rng); }

    // Generator output in eval mode, no graph: z (N, z_dim) -> (N, 1, 28, 28).
    virtual Tensor sample(const Tensor& z) = 0;

    GanModel* as_gan() override { return this; }

    // `ganvas train` draws the samples of the session's fixed noise, 8 a row.
    std::string progress_image_name() const override { return "samples"; }
    bool write_progress_image(const std::string& path, const ImageDataset& data,
                              const Tensor& fixed_noise) override;
};

}  // namespace ganvas
