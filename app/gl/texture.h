// Texture: one OpenGL 2-D texture, owned (RAII), for showing images in ImGui.
#pragma once

#include <cstdint>
#include <vector>

#include "tensor/tensor.h"

namespace ganvas::gl {

class Texture {
public:
    Texture() = default;
    ~Texture();
    Texture(Texture&& other) noexcept;
    Texture& operator=(Texture&& other) noexcept;
    Texture(const Texture&) = delete;
    Texture& operator=(const Texture&) = delete;

    // 8-bit pixels, rows top to bottom; channels 1 (shown as gray), 3 or 4.
    // Nearest filtering: a zoomed 28x28 image shows its pixels, not a blur.
    void upload(int width, int height, int channels, const uint8_t* pixels);
    // An image (C, H, W), C = 1 or 3, in [-1, 1].
    void upload_image(const Tensor& image);

    bool valid() const { return id_ != 0; }
    int width() const { return width_; }
    int height() const { return height_; }
    void* imgui_id() const { return reinterpret_cast<void*>(static_cast<intptr_t>(id_)); }

private:
    unsigned id_ = 0;
    int width_ = 0, height_ = 0;
};

}  // namespace ganvas::gl
