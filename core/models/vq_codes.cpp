#include "models/vq_codes.h"

#include <algorithm>
#include <stdexcept>

#include "models/prior49.h"
#include "ops/shape_ops.h"

namespace ganvas {

Tensor encode_to_codes(VQAutoencoder28& vq, const Tensor& images, const EncodeProgress& progress,
                       int64_t chunk) {
    if (images.dim() != 4 || images.size(1) != 1 || images.size(2) != 28 || images.size(3) != 28)
        throw std::invalid_argument("the VQGAN encodes (N, 1, 28, 28) images, not " +
                                    shape_str(images.shape()));
    const int64_t n = images.size(0);
    Tensor codes = Tensor::empty({n, kPriorGrid, kPriorGrid}, DType::i64);  // (N, 7, 7)
    for (int64_t s = 0; s < n; s += chunk) {
        const int64_t m = std::min(chunk, n - s);
        Tensor part = vq.encode_indices(narrow(images, 0, s, m));  // (m, 7, 7)
        const std::vector<int64_t> chunk_codes = part.to_vector_i64();
        std::copy(chunk_codes.begin(), chunk_codes.end(), codes.data_i64() + s * kPriorSeq);
        if (progress) progress(s + m, n);
    }
    return codes;
}

ImageDataset encode_dataset(VQAutoencoder28& vq, const ImageDataset& images,
                            const std::string& vq_path, const EncodeProgress& progress) {
    ImageDataset out;
    out.images = codes_as_images(encode_to_codes(vq, images.images, progress));
    out.labels = images.labels;
    out.class_names = images.class_names;
    out.name = images.name + " coded by " + vq_path;
    return out;
}

std::unique_ptr<VQAutoencoder28> load_vq_for_prior(const std::string& path) {
    auto vq = load_vq_autoencoder(path);
    if (vq->vq.n_codes() != kPriorCodes)
        throw std::runtime_error(path + ": the VQGAN has " + std::to_string(vq->vq.n_codes()) +
                                 " codes, but prior49 predicts " + std::to_string(kPriorCodes));
    return vq;
}

}  // namespace ganvas
