#include "io/image_decode.h"

#include <sys/stat.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <memory>
#include <stdexcept>

#include "io/image_decode_formats.h"
#include "io/regular_file.h"

// stb_image for GIF and BMP only: its PNG, JPEG, TGA and other readers are not compiled
// at all, so no input can reach them (its JPEG Huffman code reads out of bounds on a
// 23-byte file; TGA has no magic number and takes any bytes). The copy is static so it
// cannot clash with Debian's libstb, which libimgui.a brings into the app. Its code is
// not ours to tidy, so its warnings are silenced here.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wmissing-field-initializers"
#pragma GCC diagnostic ignored "-Wsign-compare"
#pragma GCC diagnostic ignored "-Wunused-function"
#ifndef __clang__  // a GCC-only warning, unknown to clang
#pragma GCC diagnostic ignored "-Wstringop-overflow"
#endif
#define STB_IMAGE_STATIC
#define STBI_ONLY_BMP
#define STBI_ONLY_GIF
#define STBI_NO_STDIO
#define STBI_NO_LINEAR
#define STBI_NO_HDR
#define STBI_MAX_DIMENSIONS ganvas::kMaxImageSide
#define STB_IMAGE_IMPLEMENTATION
#include <stb_image.h>
#pragma GCC diagnostic pop

namespace ganvas {

namespace image_formats {

void check_image_size(int64_t width, int64_t height) {
    if (width < 1 || height < 1)
        throw std::runtime_error("the header gives a size of " + std::to_string(width) + "x" +
                                 std::to_string(height) + " pixels");
    if (width > kMaxImageSide || height > kMaxImageSide)
        throw std::runtime_error("the image is " + std::to_string(width) + "x" +
                                 std::to_string(height) + " pixels, more than the " +
                                 std::to_string(kMaxImageSide) + "x" +
                                 std::to_string(kMaxImageSide) + " an image may be");
}

}  // namespace image_formats

namespace {

using image_formats::check_image_size;

enum class Format { png, jpeg, gif, bmp, unknown };

Format format_of(const std::string& bytes) {
    if (bytes.rfind("\x89PNG\r\n\x1a\n", 0) == 0) return Format::png;
    if (bytes.rfind("\xFF\xD8\xFF", 0) == 0) return Format::jpeg;
    if (bytes.rfind("GIF87a", 0) == 0 || bytes.rfind("GIF89a", 0) == 0) return Format::gif;
    if (bytes.rfind("BM", 0) == 0) return Format::bmp;
    return Format::unknown;
}

uint32_t little_endian(const std::string& bytes, size_t at, int count) {
    uint32_t v = 0;
    for (int i = count - 1; i >= 0; --i) v = v << 8 | static_cast<unsigned char>(bytes[at + i]);
    return v;
}

// stb_image zero-fills the pixels a BMP lacks, and only reads uncompressed (and
// bit-field) BMPs: the file must hold every row its header declares.
void check_bmp(const std::string& bytes) {
    if (bytes.size() < 30) throw std::runtime_error("the BMP file is truncated");
    const uint32_t pixel_offset = little_endian(bytes, 10, 4);
    const uint32_t header_size = little_endian(bytes, 14, 4);
    int64_t width = 0, height = 0;
    uint32_t bits = 0, compression = 0;
    if (header_size == 12) {
        width = little_endian(bytes, 18, 2);
        height = little_endian(bytes, 20, 2);
        bits = little_endian(bytes, 24, 2);
    } else if (header_size == 40 || header_size == 56 || header_size == 108 || header_size == 124) {
        if (bytes.size() < 34) throw std::runtime_error("the BMP file is truncated");
        width = static_cast<int32_t>(little_endian(bytes, 18, 4));
        height = static_cast<int32_t>(little_endian(bytes, 22, 4));
        bits = little_endian(bytes, 28, 2);
        compression = little_endian(bytes, 30, 4);
    } else {
        throw std::runtime_error("unknown BMP header size " + std::to_string(header_size));
    }
    if (compression != 0 && compression != 3)
        throw std::runtime_error("compressed BMP files are not supported (compression " +
                                 std::to_string(compression) + ")");
    if (bits != 1 && bits != 4 && bits != 8 && bits != 16 && bits != 24 && bits != 32)
        throw std::runtime_error("unsupported BMP depth of " + std::to_string(bits) + " bits");
    if (height < 0) height = -height;  // top-down rows
    check_image_size(width, height);
    const int64_t row_bytes = (width * bits + 31) / 32 * 4;
    const int64_t needed = int64_t{pixel_offset} + row_bytes * height;
    if (pixel_offset < 14 + header_size || static_cast<int64_t>(bytes.size()) < needed)
        throw std::runtime_error("the BMP file is truncated: its header needs " +
                                 std::to_string(needed) + " bytes, the file has " +
                                 std::to_string(bytes.size()));
}

// stb_image ends a GIF's image data at the end of the file as if it were complete, and
// allocates 9 bytes a pixel of the logical screen whatever the frame covers. The first
// image's data blocks must all be there, up to their terminator; the frame must cover
// the screen; and its data must be long enough to fill it at LZW's best (a 12-bit code
// stands for at most 4096 pixels), so that a small file cannot ask for a large canvas.
void check_gif(const std::string& bytes) {
    const size_t size = bytes.size();
    if (size < 13) throw std::runtime_error("the GIF file is truncated");
    const uint32_t screen_width = little_endian(bytes, 6, 2);
    const uint32_t screen_height = little_endian(bytes, 8, 2);
    check_image_size(screen_width, screen_height);
    auto color_table = [](unsigned flags) -> size_t {
        return flags & 0x80 ? 3 * (size_t{2} << (flags & 7)) : 0;
    };
    size_t at = 13 + color_table(static_cast<unsigned char>(bytes[10]));
    auto skip_blocks = [&] {  // returns the bytes of data they hold
        for (size_t data = 0;;) {
            if (at >= size) throw std::runtime_error("the GIF file is truncated");
            const size_t length = static_cast<unsigned char>(bytes[at++]);
            if (length == 0) return data;
            at += length;
            data += length;
        }
    };
    for (;;) {
        if (at >= size) throw std::runtime_error("the GIF file is truncated");
        const auto kind = static_cast<unsigned char>(bytes[at]);
        if (kind == 0x21) {  // extension: label, then data blocks
            at += 2;
            skip_blocks();
        } else if (kind == 0x2C) {  // image descriptor, colour table, LZW code size, data
            if (at + 10 > size) throw std::runtime_error("the GIF file is truncated");
            const uint32_t left = little_endian(bytes, at + 1, 2);
            const uint32_t top = little_endian(bytes, at + 3, 2);
            const uint32_t width = little_endian(bytes, at + 5, 2);
            const uint32_t height = little_endian(bytes, at + 7, 2);
            if (left != 0 || top != 0 || width != screen_width || height != screen_height)
                throw std::runtime_error("the GIF's first frame (" + std::to_string(width) + "x" +
                                         std::to_string(height) + " at " + std::to_string(left) +
                                         "," + std::to_string(top) + ") does not cover its " +
                                         std::to_string(screen_width) + "x" +
                                         std::to_string(screen_height) + " screen");
            at += 10 + color_table(static_cast<unsigned char>(bytes[at + 9])) + 1;
            const size_t data = skip_blocks();
            if (uint64_t{width} * height > uint64_t{data} * 4096)
                throw std::runtime_error("the GIF's image data (" + std::to_string(data) +
                                         " bytes) is too short for " + std::to_string(width) + "x" +
                                         std::to_string(height) + " pixels");
            return;
        } else if (kind == 0x3B) {
            throw std::runtime_error("the GIF file holds no image");
        } else {
            throw std::runtime_error("the GIF file is corrupt (unknown block " +
                                     std::to_string(kind) + ")");
        }
    }
}

// Only after check_bmp or check_gif, which read the declared size.
DecodedImage decode_with_stb(const std::string& bytes) {
    const auto* data = reinterpret_cast<const stbi_uc*>(bytes.data());
    const int size = static_cast<int>(bytes.size());  // <= kMaxImageFileBytes
    DecodedImage image;
    std::unique_ptr<stbi_uc, void (*)(void*)> pixels(
        stbi_load_from_memory(data, size, &image.width, &image.height, &image.channels, 0),
        &stbi_image_free);
    if (!pixels) throw std::runtime_error(stbi_failure_reason());
    image.pixels.assign(pixels.get(), pixels.get() + static_cast<size_t>(image.width) *
                                                         image.height * image.channels);
    return image;
}

// The file's pixels with its own channel count (but see decode_png), checked as the
// format requires.
DecodedImage decode_native(const std::string& bytes, int wanted_channels) {
    switch (format_of(bytes)) {
        case Format::png:
            return image_formats::decode_png(bytes, wanted_channels);
        case Format::jpeg:
            return image_formats::decode_jpeg(bytes, wanted_channels);
        case Format::gif:
            check_gif(bytes);
            return decode_with_stb(bytes);
        case Format::bmp:
            check_bmp(bytes);
            return decode_with_stb(bytes);
        case Format::unknown:
            break;
    }
    throw std::runtime_error("not a PNG, JPEG, GIF or BMP file");
}

uint8_t luma(const uint8_t* rgb) {  // stb_image's stbi__compute_y
    return static_cast<uint8_t>((rgb[0] * 77 + rgb[1] * 150 + rgb[2] * 29) >> 8);
}

// 1 to 4 channels (gray, gray + alpha, RGB, RGBA) to 1 or 3, as stb_image converts.
DecodedImage convert_channels(DecodedImage in, int channels) {
    if (in.channels == channels) return in;
    DecodedImage out;
    out.width = in.width;
    out.height = in.height;
    out.channels = channels;
    const size_t n = static_cast<size_t>(in.width) * in.height;
    out.pixels.resize(n * channels);
    const bool color = in.channels >= 3;
    for (size_t i = 0; i < n; ++i) {
        const uint8_t* src = in.pixels.data() + i * in.channels;
        uint8_t* dst = out.pixels.data() + i * channels;
        if (channels == 1) {
            dst[0] = color ? luma(src) : src[0];
        } else {
            for (int c = 0; c < 3; ++c) dst[c] = color ? src[c] : src[0];
        }
    }
    return out;
}

std::string with_name(const std::string& what, const std::string& problem) {
    return what + ": cannot read image: " + problem;
}

}  // namespace

bool has_image_magic(const std::string& bytes) {
    return format_of(bytes) != Format::unknown;
}

DecodedImage decode_image_pixels(const std::string& bytes, int channels, const std::string& what) {
    if (channels != 1 && channels != 3)
        throw std::runtime_error(what + ": cannot load an image as " + std::to_string(channels) +
                                 " channels (use 1 or 3)");
    try {
        return convert_channels(decode_native(bytes, channels), channels);
    } catch (const std::runtime_error& e) {
        throw std::runtime_error(with_name(what, e.what()));
    }
}

int encoded_image_channels(const std::string& bytes, const std::string& what) {
    try {
        int channels = 0;
        switch (format_of(bytes)) {
            case Format::png:
                channels = image_formats::png_channels(bytes);
                break;
            case Format::jpeg:
                channels = image_formats::jpeg_channels(bytes);
                break;
            case Format::gif:
            case Format::bmp: {
                if (format_of(bytes) == Format::gif)
                    check_gif(bytes);
                else
                    check_bmp(bytes);
                int width = 0, height = 0;
                if (!stbi_info_from_memory(reinterpret_cast<const stbi_uc*>(bytes.data()),
                                           static_cast<int>(bytes.size()), &width, &height,
                                           &channels))
                    throw std::runtime_error(stbi_failure_reason());
                break;
            }
            case Format::unknown:
                throw std::runtime_error("not a PNG, JPEG, GIF or BMP file");
        }
        return channels <= 2 ? 1 : 3;
    } catch (const std::runtime_error& e) {
        throw std::runtime_error(with_name(what, e.what()));
    }
}

std::string read_image_file(const std::string& path) {
    std::unique_ptr<FILE, int (*)(FILE*)> file(open_regular_stream(path), &std::fclose);
    struct stat st {};
    if (fstat(fileno(file.get()), &st) != 0)
        throw std::runtime_error(path + ": cannot read: " + std::strerror(errno));
    if (st.st_size > kMaxImageFileBytes)
        throw std::runtime_error(path + ": cannot read image: the file is " +
                                 std::to_string(st.st_size >> 20) + " MiB, more than the " +
                                 std::to_string(kMaxImageFileBytes >> 20) +
                                 " MiB an image file may be");
    std::string bytes(static_cast<size_t>(st.st_size), '\0');
    const size_t got = std::fread(bytes.data(), 1, bytes.size(), file.get());
    if (std::ferror(file.get()))
        throw std::runtime_error(path + ": cannot read: " + std::strerror(errno));
    if (got != bytes.size())
        throw std::runtime_error(path + ": cannot read: the file shrank while being read");
    return bytes;
}

}  // namespace ganvas
