#include "gl/texture.h"

#include <GL/gl.h>

#include <utility>

#include "io/image_png.h"

namespace ganvas::gl {

Texture::~Texture() {
    if (id_) glDeleteTextures(1, &id_);
}

Texture::Texture(Texture&& other) noexcept
    : id_(std::exchange(other.id_, 0)), width_(other.width_), height_(other.height_) {}

Texture& Texture::operator=(Texture&& other) noexcept {
    if (this != &other) {
        if (id_) glDeleteTextures(1, &id_);
        id_ = std::exchange(other.id_, 0);
        width_ = other.width_;
        height_ = other.height_;
    }
    return *this;
}

void Texture::upload(int width, int height, int channels, const uint8_t* pixels) {
    // Gray is expanded to RGBA so the core profile shows it gray, not red.
    std::vector<uint8_t> rgba;
    if (channels != 4) {
        rgba.resize(static_cast<size_t>(width) * height * 4);
        for (size_t i = 0, n = static_cast<size_t>(width) * height; i < n; ++i) {
            for (int c = 0; c < 3; ++c)
                rgba[4 * i + c] = pixels[i * channels + (channels == 1 ? 0 : c)];
            rgba[4 * i + 3] = 255;
        }
        pixels = rgba.data();
    }
    if (!id_) glGenTextures(1, &id_);
    glBindTexture(GL_TEXTURE_2D, id_);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MIN_FILTER, GL_NEAREST);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_MAG_FILTER, GL_NEAREST);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_WRAP_S, GL_CLAMP_TO_EDGE);
    glTexParameteri(GL_TEXTURE_2D, GL_TEXTURE_WRAP_T, GL_CLAMP_TO_EDGE);
    glPixelStorei(GL_UNPACK_ALIGNMENT, 1);
    if (width == width_ && height == height_)
        glTexSubImage2D(GL_TEXTURE_2D, 0, 0, 0, width, height, GL_RGBA, GL_UNSIGNED_BYTE, pixels);
    else
        glTexImage2D(GL_TEXTURE_2D, 0, GL_RGBA, width, height, 0, GL_RGBA, GL_UNSIGNED_BYTE,
                     pixels);
    width_ = width;
    height_ = height;
}

void Texture::upload_image(const Tensor& image) {
    std::vector<uint8_t> bytes = to_interleaved_bytes(image);  // (H, W, C)
    upload(static_cast<int>(image.size(2)), static_cast<int>(image.size(1)),
           static_cast<int>(image.size(0)), bytes.data());
}

}  // namespace ganvas::gl
