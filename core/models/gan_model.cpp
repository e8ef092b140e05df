#include "models/gan_model.h"

#include "io/image_png.h"

namespace ganvas {

bool GanModel::write_progress_image(const std::string& path, const ImageDataset& data,
                                    const Tensor& fixed_noise) {
    (void)data;
    if (!fixed_noise.defined()) return false;
    save_image_grid(path, sample(fixed_noise), 8);  // (N, 1, 28, 28)
    return true;
}

}  // namespace ganvas
