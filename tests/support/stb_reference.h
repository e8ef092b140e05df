// stb_image 2.27, the decoder Ganvas used before libpng and libjpeg-turbo: the reference
// that valid files must still decode to, and proof that broken files used to pass.
// Include from one test file per executable (it holds stb's implementation).
#pragma once

#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wmissing-field-initializers"
#pragma GCC diagnostic ignored "-Wsign-compare"
#pragma GCC diagnostic ignored "-Wunused-function"
#ifndef __clang__  // a GCC-only warning, unknown to clang
#pragma GCC diagnostic ignored "-Wstringop-overflow"
#endif
#define STB_IMAGE_STATIC
#define STB_IMAGE_IMPLEMENTATION
#include <stb_image.h>
#pragma GCC diagnostic pop

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace ganvas::testing {

// stb's pixels (H, W, channels), or empty when stb refuses the file.
inline std::vector<uint8_t> stb_pixels(const std::string& bytes, int channels) {
    int w = 0, h = 0, n = 0;
    std::unique_ptr<stbi_uc, void (*)(void*)> p(
        stbi_load_from_memory(reinterpret_cast<const stbi_uc*>(bytes.data()),
                              static_cast<int>(bytes.size()), &w, &h, &n, channels),
        &stbi_image_free);
    if (!p) return {};
    return std::vector<uint8_t>(p.get(), p.get() + static_cast<size_t>(w) * h * channels);
}

}  // namespace ganvas::testing
