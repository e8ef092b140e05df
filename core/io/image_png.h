// PNG images: sample grids for the GUI, the command line and reports; images as model input.
//
// Pixel convention: model images are float32 in [-1, 1] (the generators end in tanh),
// files hold bytes 0..255. Byte b reads as b / 127.5 - 1, exactly as the PyTorch
// reference scales Fashion-MNIST, and value v writes as round((v + 1) * 127.5),
// clamped, as torchvision's save_image does after normalising to [0, 1].
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "tensor/tensor.h"

namespace ganvas {

// Writes 8-bit pixels, rows top to bottom, channels interleaved (1 gray, 2 gray+alpha,
// 3 RGB, 4 RGBA). Atomic: on failure nothing is left at `path`.
void save_png(const std::string& path, int width, int height, int channels, const uint8_t* pixels);

// Tiles images (N, C, H, W), C = 1 or 3, into one image (C, H', W') laid out like
// torchvision.utils.make_grid: `nrow` images per row, `padding` pixels around and
// between them, filled with `pad_value` (-1, black, by default). Unlike torchvision
// it keeps one channel for gray images and pads a single image too.
//   H' = rows * (H + padding) + padding, rows = ceil(N / min(nrow, N))
//   W' = min(nrow, N) * (W + padding) + padding
Tensor make_grid(const Tensor& images, int nrow, int padding = 2, float pad_value = -1.0f);

// Maps an image (C, H, W) in [-1, 1] to interleaved bytes (H, W, C), clamping outside
// values and NaN (to 0): what a PNG or a GL texture wants.
std::vector<uint8_t> to_interleaved_bytes(const Tensor& image);

// The PNG file's bytes for the same pixels, in memory (for TFRecord images, say).
std::string encode_png(int width, int height, int channels, const uint8_t* pixels);

// make_grid, then to_interleaved_bytes, then save_png.
void save_image_grid(const std::string& path, const Tensor& images, int nrow, int padding = 2);

// Reads a PNG, JPEG, GIF (first frame) or uncompressed BMP as (1, channels, H, W) float32
// in [-1, 1]; `channels` is 1 (gray) or 3 (RGB) and the file is converted to it. Corrupt,
// truncated or oversized files (see io/image_decode.h) throw std::runtime_error naming
// `path` and the problem.
Tensor load_image(const std::string& path, int channels);

// load_image for an encoded file held in memory (a TFRecord's image bytes); errors name
// `what`.
Tensor decode_image(const std::string& encoded, int channels, const std::string& what);

// Whether `bytes` start like a PNG, JPEG, GIF or BMP file (what decode_image should read).
bool looks_like_encoded_image(const std::string& bytes);

// 1 for a gray (or gray + alpha) image file, 3 for colour: what load_image should ask for
// to keep the file's colours. Throws std::runtime_error naming `path` if unreadable.
int image_file_channels(const std::string& path);

}  // namespace ganvas
