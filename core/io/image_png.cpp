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

// The one place the stb implementations are compiled (Debian's header-only use; see the
// design notes). Their code is not ours to tidy, so its warnings are silenced here.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wmissing-field-initializers"
#pragma GCC diagnostic ignored "-Wsign-compare"
#pragma GCC diagnostic ignored "-Wunused-function"
#define STB_IMAGE_WRITE_IMPLEMENTATION
#include <stb_image_write.h>
#define STB_IMAGE_IMPLEMENTATION
#include <stb_image.h>
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
    std::unique_ptr<FILE, int (*)(FILE*)> file(std::fopen(path.c_str(), "rb"), &std::fclose);
    if (!file) throw std::runtime_error(path + ": cannot open: " + std::strerror(errno));
    int w = 0, h = 0, channels = 0;
    if (!stbi_info_from_file(file.get(), &w, &h, &channels))
        throw std::runtime_error(path + ": cannot read image (" + stbi_failure_reason() + ")");
    return channels <= 2 ? 1 : 3;
}

namespace {

void check_channels(const std::string& what, int channels) {
    if (channels != 1 && channels != 3)
        throw std::runtime_error(what + ": cannot load an image as " + std::to_string(channels) +
                                 " channels (use 1 or 3)");
}

// stb's pixels (H, W, C) as (1, C, H, W) in [-1, 1]; throws naming `what` when stb failed.
Tensor image_from_stb(stbi_uc* decoded, int w, int h, int channels, const std::string& what) {
    std::unique_ptr<stbi_uc, void (*)(void*)> pixels(decoded, &stbi_image_free);
    if (!pixels)
        throw std::runtime_error(what + ": cannot read image (" + stbi_failure_reason() + ")");
    Tensor image = Tensor::empty({1, channels, h, w});  // (1, C, H, W)
    float* dst = image.data();
    const stbi_uc* src = pixels.get();  // (H, W, C)
    const int64_t plane = static_cast<int64_t>(h) * w;
    for (int ch = 0; ch < channels; ++ch)
        for (int64_t i = 0; i < plane; ++i)
            dst[ch * plane + i] = static_cast<float>(src[i * channels + ch]) / 127.5f - 1.0f;
    return image;
}

}  // namespace

Tensor load_image(const std::string& path, int channels) {
    check_channels(path, channels);
    // Open the file ourselves so a missing file reports errno rather than stb's terse text.
    std::unique_ptr<FILE, int (*)(FILE*)> file(std::fopen(path.c_str(), "rb"), &std::fclose);
    if (!file) throw std::runtime_error(path + ": cannot open: " + std::strerror(errno));
    int w = 0, h = 0, channels_in_file = 0;
    stbi_uc* pixels = stbi_load_from_file(file.get(), &w, &h, &channels_in_file, channels);
    return image_from_stb(pixels, w, h, channels, path);
}

Tensor decode_image(const std::string& encoded, int channels, const std::string& what) {
    check_channels(what, channels);
    int w = 0, h = 0, channels_in_file = 0;
    const auto* bytes = reinterpret_cast<const stbi_uc*>(encoded.data());
    stbi_uc* pixels = stbi_load_from_memory(bytes, static_cast<int>(encoded.size()), &w, &h,
                                            &channels_in_file, channels);
    return image_from_stb(pixels, w, h, channels, what);
}

bool looks_like_encoded_image(const std::string& bytes) {
    // By magic number only: stb_image would also take raw pixels for a headerless TGA.
    for (const char* magic : {"\x89PNG\r\n\x1a\n", "\xFF\xD8\xFF", "GIF87a", "GIF89a", "BM"})
        if (bytes.rfind(magic, 0) == 0) return true;
    return false;
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
