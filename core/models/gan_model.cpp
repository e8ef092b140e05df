#include "models/gan_model.h"

#include <algorithm>
#include <stdexcept>

#include "autograd/autograd.h"
#include "io/image_png.h"
#include "ops/ops.h"

namespace ganvas {

Tensor GanModel::sample_classes(const Tensor& z, const Tensor& labels) {
    (void)z, (void)labels;
    throw std::logic_error(name() + " has no classes to sample");
}

Tensor GanModel::sample_grid(const Tensor& fixed_noise) {
    if (num_classes() == 0) return sample(fixed_noise);
    const ClassGrid grid = class_grid(fixed_noise, num_classes());
    return sample_classes(grid.noise, grid.labels);
}

bool GanModel::write_progress_image(const std::string& path, const ImageDataset& data,
                                    const Tensor& fixed_noise) {
    (void)data;
    if (!fixed_noise.defined()) return false;
    // (N, 1, 28, 28), 8 a row
    save_image_grid(path, sample_grid(fixed_noise.to(device())).to(Device::cpu), 8);
    return true;
}

int64_t class_grid_rows(int64_t classes) {
    return std::min(classes, kClassGridMaxRows);
}

ClassGrid class_grid(const Tensor& fixed_noise, int64_t classes) {
    if (fixed_noise.dim() != 2 || fixed_noise.size(0) < kClassGridColumns)
        throw std::invalid_argument("a class grid needs at least " +
                                    std::to_string(kClassGridColumns) + " noise rows, got " +
                                    shape_str(fixed_noise.shape()));
    Tensor columns = narrow(fixed_noise, 0, 0, kClassGridColumns);  // (8, z_dim)
    ClassGrid grid;
    const int64_t rows = class_grid_rows(classes);
    grid.noise = cat(std::vector<Tensor>(rows, columns), 0);  // (rows * 8, z_dim)
    std::vector<int64_t> labels(rows * kClassGridColumns);
    for (size_t i = 0; i < labels.size(); ++i)
        labels[i] = static_cast<int64_t>(i) / kClassGridColumns;
    grid.labels = Tensor::from_vector_i64({rows * kClassGridColumns}, labels, fixed_noise.device());
    return grid;
}

Tensor non_saturating_generator_update(const Tensor& d_on_fakes, Module& G, Optimizer& opt_G) {
    const int64_t n = d_on_fakes.size(0);
    Tensor loss_G =
        binary_cross_entropy_with_logits(d_on_fakes, Tensor::ones({n}, d_on_fakes.device()));
    std::vector<Tensor> params = G.parameters();
    std::vector<Tensor> grads = grad({loss_G}, params);
    opt_G.zero_grad();
    for (size_t i = 0; i < params.size(); ++i) params[i].set_grad(grads[i]);
    opt_G.step();
    return loss_G;
}

StepStats minimax_gan_stats(const DiscriminatorStep& d, const Tensor& loss_G) {
    NoGradGuard no_grad;
    const std::vector<float> v =
        read_scalars({d.loss, loss_G, mean(sigmoid(d.real_logits)), mean(sigmoid(d.fake_logits))});
    return {{"loss_D", v[0]}, {"loss_G", v[1]}, {"D(x)", v[2]}, {"D(G(z))", v[3]}};
}

}  // namespace ganvas
