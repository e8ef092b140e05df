// The bridge between stage 1 and stage 2: a trained vqgan28 turns images into
// the 7x7 code grids prior49 learns, and code grids back into images.
#pragma once

#include <functional>
#include <string>

#include "data/dataset.h"
#include "models/vqgan28.h"

namespace ganvas {

// Called with (images done, images in all) while encoding; may be empty.
using EncodeProgress = std::function<void(int64_t done, int64_t total)>;

// images (N, 1, 28, 28) -> codes int64 (N, 7, 7), in chunks of `chunk` images.
Tensor encode_to_codes(VQAutoencoder28& vq, const Tensor& images,
                       const EncodeProgress& progress = {}, int64_t chunk = 1000);

// A dataset of code grids (prior49's form: whole floats (N, 1, 7, 7)) from `images`
// encoded by `vq`; the name says where the codes came from.
ImageDataset encode_dataset(VQAutoencoder28& vq, const ImageDataset& images,
                            const std::string& vq_path, const EncodeProgress& progress = {});

// The autoencoder of a vqgan28 checkpoint, checked to have the 256 codes prior49
// predicts; throws std::runtime_error naming `path` otherwise.
std::unique_ptr<VQAutoencoder28> load_vq_for_prior(const std::string& path);

}  // namespace ganvas
