#include "io/image_png.h"

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <memory>
#include <ostream>
#include <stdexcept>

#include "io/atomic_file.h"
#include "io/image_decode.h"

// The one place stb_image_write is compiled (Debian's header-only use; see the design
// notes): it only ever encodes our own pixels. Reading goes through io/image_decode.h.
// Its code is not ours to tidy, so its warnings are silenced here.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wmissing-field-initializers"
#pragma GCC diagnostic ignored "-Wsign-compare"
#pragma GCC diagnostic ignored "-Wunused-function"
#define STB_IMAGE_WRITE_IMPLEMENTATION
#include <stb_image_write.h>
#pragma GCC diagnostic pop

namespace ganvas {

namespace {

// Why images cannot be tiled, or "" if they can; shared by make_grid and save_image_grid
// so that the latter can name its file in the error.
std::string grid_problem(const Tensor& images, int nrow, int padding) {
    if (!images.defined()) return "the images tensor is undefined";
    if (images.dtype() != DType::f32 || images.device() != Device::cpu)
        return "images must be float32 on the CPU";
    if (images.dim() != 4 || (images.size(1) != 1 && images.size(1) != 3) || images.size(0) < 1)
        return "expected images (N, C, H, W) with N >= 1 and C = 1 or 3, got " +
               shape_str(images.shape());
    if (nrow < 1 || padding < 0) return "nrow must be >= 1 and padding >= 0";
    return "";
}

uint8_t to_byte(float v) {
    if (!(v == v)) return 0;  // NaN: clamp cannot order it
    const float scaled = (v + 1.0f) * 127.5f + 0.5f;
    return static_cast<uint8_t>(std::clamp(scaled, 0.0f, 255.0f));
}

}  // namespace

void save_png(const std::string& path, int width, int height, int channels, const uint8_t* pixels) {
    if (width < 1 || height < 1 || channels < 1 || channels > 4 || !pixels)
        throw std::runtime_error(path + ": cannot save a PNG of " + std::to_string(width) + "x" +
                                 std::to_string(height) + " pixels with " +
                                 std::to_string(channels) + " channels");
    const std::string png = encode_png(width, height, channels, pixels);
    write_file_atomic(path, [&](std::ostream& out) {
        out.write(png.data(), static_cast<std::streamsize>(png.size()));
    });
}

Tensor make_grid(const Tensor& images, int nrow, int padding, float pad_value) {
    const std::string problem = grid_problem(images, nrow, padding);
    if (!problem.empty()) throw std::invalid_argument("make_grid: " + problem);

    const int64_t n = images.size(0), c = images.size(1), h = images.size(2), w = images.size(3);
    const int64_t cols = std::min<int64_t>(nrow, n);
    const int64_t rows = (n + cols - 1) / cols;
    const int64_t grid_h = rows * (h + padding) + padding;
    const int64_t grid_w = cols * (w + padding) + padding;
    Tensor grid = Tensor::full({c, grid_h, grid_w}, pad_value);  // (C, H', W')

    const float* src = images.data();  // (N, C, H, W)
    float* dst = grid.data();
    for (int64_t k = 0; k < n; ++k) {
        const int64_t top = (k / cols) * (h + padding) + padding;
        const int64_t left = (k % cols) * (w + padding) + padding;
        for (int64_t ch = 0; ch < c; ++ch)
            for (int64_t y = 0; y < h; ++y)
                std::copy_n(src + ((k * c + ch) * h + y) * w, w,
                            dst + (ch * grid_h + top + y) * grid_w + left);
    }
    return grid;
}

std::vector<uint8_t> to_interleaved_bytes(const Tensor& image) {
    if (!image.defined() || image.dtype() != DType::f32 || image.dim() != 3)
        throw std::invalid_argument("to_interleaved_bytes: expected a float32 image (C, H, W)");
    const int64_t c = image.size(0), h = image.size(1), w = image.size(2);
    const float* src = image.data();                           // (C, H, W)
    std::vector<uint8_t> out(static_cast<size_t>(c * h * w));  // (H, W, C)
    for (int64_t ch = 0; ch < c; ++ch)
        for (int64_t i = 0; i < h * w; ++i) out[i * c + ch] = to_byte(src[ch * h * w + i]);
    return out;
}

void save_image_grid(const std::string& path, const Tensor& images, int nrow, int padding) {
    const std::string problem = grid_problem(images, nrow, padding);
    if (!problem.empty()) throw std::runtime_error(path + ": cannot save image grid: " + problem);
    const Tensor grid = make_grid(images, nrow, padding);  // (C, H', W')
    const std::vector<uint8_t> pixels = to_interleaved_bytes(grid);
    save_png(path, static_cast<int>(grid.size(2)), static_cast<int>(grid.size(1)),
             static_cast<int>(grid.size(0)), pixels.data());
}

int image_file_channels(const std::string& path) {
    return encoded_image_channels(read_image_file(path), path);
}

namespace {

// 8-bit pixels (H, W, C) as (1, C, H, W) in [-1, 1].
Tensor image_from_pixels(const DecodedImage& decoded) {
    const int channels = decoded.channels;
    Tensor image = Tensor::empty({1, channels, decoded.height, decoded.width});  // (1, C, H, W)
    float* dst = image.data();
    const uint8_t* src = decoded.pixels.data();  // (H, W, C)
    const int64_t plane = static_cast<int64_t>(decoded.height) * decoded.width;
    for (int ch = 0; ch < channels; ++ch)
        for (int64_t i = 0; i < plane; ++i)
            dst[ch * plane + i] = static_cast<float>(src[i * channels + ch]) / 127.5f - 1.0f;
    return image;
}

}  // namespace

Tensor load_image(const std::string& path, int channels) {
    return image_from_pixels(decode_image_pixels(read_image_file(path), channels, path));
}

Tensor decode_image(const std::string& encoded, int channels, const std::string& what) {
    return image_from_pixels(decode_image_pixels(encoded, channels, what));
}

bool looks_like_encoded_image(const std::string& bytes) {
    // By magic number only: stb_image would also take raw pixels for a headerless TGA.
    return has_image_magic(bytes);
}

std::string encode_png(int width, int height, int channels, const uint8_t* pixels) {
    std::string out;
    auto append = [](void* context, void* data, int size) {
        static_cast<std::string*>(context)->append(static_cast<const char*>(data), size);
    };
    if (width < 1 || height < 1 || channels < 1 || channels > 4 || !pixels ||
        !stbi_write_png_to_func(append, &out, width, height, channels, pixels, width * channels))
        throw std::runtime_error("cannot encode a PNG of " + std::to_string(width) + "x" +
                                 std::to_string(height) + " pixels with " +
                                 std::to_string(channels) + " channels");
    return out;
}

}  // namespace ganvas
