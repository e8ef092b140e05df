// Image files made in memory for decoder tests: PNG through libpng (any colour type,
// depth and interlacing), JPEG through libjpeg, BMP by hand, and PNG chunk surgery.
#pragma once

#include <csetjmp>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <random>
#include <stdexcept>
#include <string>
#include <vector>

// jpeglib.h needs size_t and FILE declared first.
#include <jpeglib.h>
#include <png.h>
#include <zlib.h>

namespace ganvas::testing {

struct PngSpec {
    int width = 13, height = 7;
    int color_type = PNG_COLOR_TYPE_RGB;
    int bit_depth = 8;
    bool interlaced = false;
    bool transparency = false;  // a tRNS chunk (palette images)
    bool noise = true;          // random samples; false: all zero (compresses to little)
    unsigned seed = 1;
};

namespace image_bytes_detail {

inline void append(png_structp png, png_bytep data, size_t n) {
    static_cast<std::string*>(png_get_io_ptr(png))->append(reinterpret_cast<char*>(data), n);
}

// Kept free of locals with destructors: libpng's errors longjmp out of it.
inline bool write_png(png_structp png, png_infop info, const PngSpec& spec,
                      std::vector<png_bytep>* rows, std::string* out) {
    if (setjmp(png_jmpbuf(png))) return false;
    png_set_write_fn(png, out, &append, nullptr);
    png_set_IHDR(png, info, spec.width, spec.height, spec.bit_depth, spec.color_type,
                 spec.interlaced ? PNG_INTERLACE_ADAM7 : PNG_INTERLACE_NONE,
                 PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
    if (spec.color_type == PNG_COLOR_TYPE_PALETTE) {
        png_color palette[256];
        for (int i = 0; i < 256; ++i)
            palette[i] = {static_cast<png_byte>(i * 7), static_cast<png_byte>(255 - i),
                          static_cast<png_byte>(i * 3 + 1)};
        png_set_PLTE(png, info, palette, 1 << spec.bit_depth);
        if (spec.transparency) {
            png_byte alpha[4] = {0, 64, 128, 200};
            png_set_tRNS(png, info, alpha, 4, nullptr);
        }
    }
    png_write_info(png, info);
    png_write_image(png, rows->data());
    png_write_end(png, nullptr);
    return true;
}

}  // namespace image_bytes_detail

// A PNG of random samples (every byte pattern is a valid sample, palette indices too).
inline std::string make_png(const PngSpec& spec) {
    const int channels = spec.color_type == PNG_COLOR_TYPE_RGB          ? 3
                         : spec.color_type == PNG_COLOR_TYPE_RGB_ALPHA  ? 4
                         : spec.color_type == PNG_COLOR_TYPE_GRAY_ALPHA ? 2
                                                                        : 1;
    const size_t row_bytes = (static_cast<size_t>(spec.width) * channels * spec.bit_depth + 7) / 8;
    std::vector<png_byte> samples(row_bytes * spec.height);
    std::mt19937 rng(spec.seed);
    if (spec.noise)
        for (auto& b : samples) b = static_cast<png_byte>(rng());
    std::vector<png_bytep> rows(spec.height);
    for (int y = 0; y < spec.height; ++y) rows[y] = samples.data() + y * row_bytes;

    std::string out;
    png_structp png = png_create_write_struct(PNG_LIBPNG_VER_STRING, nullptr, nullptr, nullptr);
    png_infop info = png_create_info_struct(png);
    const bool ok = image_bytes_detail::write_png(png, info, spec, &rows, &out);
    png_destroy_write_struct(&png, &info);
    if (!ok) throw std::runtime_error("make_png failed");
    return out;
}

// Offset of the first chunk of `type` (its length field), or npos.
inline size_t find_chunk(const std::string& png, const std::string& type) {
    size_t at = 8;
    while (at + 8 <= png.size()) {
        const uint32_t length = (uint32_t(uint8_t(png[at])) << 24) |
                                (uint32_t(uint8_t(png[at + 1])) << 16) |
                                (uint32_t(uint8_t(png[at + 2])) << 8) | uint8_t(png[at + 3]);
        if (png.compare(at + 4, 4, type) == 0) return at;
        at += 12 + length;
    }
    return std::string::npos;
}

inline uint32_t chunk_length(const std::string& png, size_t at) {
    return (uint32_t(uint8_t(png[at])) << 24) | (uint32_t(uint8_t(png[at + 1])) << 16) |
           (uint32_t(uint8_t(png[at + 2])) << 8) | uint8_t(png[at + 3]);
}

// Recomputes the CRC of the chunk at `at` after its data was edited.
inline void fix_chunk_crc(std::string& png, size_t at) {
    const uint32_t length = chunk_length(png, at);
    const uint32_t crc = static_cast<uint32_t>(
        crc32(0, reinterpret_cast<const Bytef*>(png.data() + at + 4), length + 4));
    for (int i = 0; i < 4; ++i) png[at + 8 + length + i] = static_cast<char>(crc >> (24 - 8 * i));
}

// A chunk with a correct CRC.
inline std::string make_chunk(const std::string& type, const std::string& data) {
    std::string chunk(4, '\0');
    for (int i = 0; i < 4; ++i) chunk[i] = static_cast<char>(data.size() >> (24 - 8 * i));
    chunk += type + data + std::string(4, '\0');
    fix_chunk_crc(chunk, 0);  // offsets are relative to the chunk here
    return chunk;
}

// A valid progressive scan script of 3 * 63 * 3 + 1 = 568 scans for a colour image:
// the DC, then each AC coefficient of each component alone, in three bit planes.
inline std::vector<jpeg_scan_info> many_scans() {
    std::vector<jpeg_scan_info> scans;
    scans.push_back({3, {0, 1, 2, 0}, 0, 0, 0, 0});
    for (int bits : {2, 1, 0})
        for (int c = 0; c < 3; ++c)
            for (int k = 1; k < 64; ++k)
                scans.push_back({1, {c, 0, 0, 0}, k, k, bits == 2 ? 0 : bits + 1, bits});
    return scans;
}

// A JPEG of a smooth pattern (JPEG's lossy coding keeps it close to the source).
inline std::string make_jpeg(int width, int height, int components, bool progressive = false,
                             const std::vector<jpeg_scan_info>* scans = nullptr) {
    std::vector<uint8_t> pixels(static_cast<size_t>(width) * height * components);
    for (int y = 0; y < height; ++y)
        for (int x = 0; x < width; ++x)
            for (int c = 0; c < components; ++c)
                pixels[(static_cast<size_t>(y) * width + x) * components + c] =
                    static_cast<uint8_t>((x * 5 + y * 3 + c * 60) % 256);
    jpeg_compress_struct info{};
    jpeg_error_mgr errors{};
    info.err = jpeg_std_error(&errors);  // the test's own valid input: exit on error is fine
    jpeg_create_compress(&info);
    unsigned char* buffer = nullptr;
    unsigned long size = 0;
    jpeg_mem_dest(&info, &buffer, &size);
    info.image_width = width;
    info.image_height = height;
    info.input_components = components;
    info.in_color_space = components == 1 ? JCS_GRAYSCALE : JCS_RGB;
    jpeg_set_defaults(&info);
    jpeg_set_quality(&info, 90, TRUE);
    if (progressive) jpeg_simple_progression(&info);
    if (scans) {
        info.scan_info = scans->data();
        info.num_scans = static_cast<int>(scans->size());
    }
    jpeg_start_compress(&info, TRUE);
    while (info.next_scanline < info.image_height) {
        JSAMPROW row = pixels.data() + static_cast<size_t>(info.next_scanline) * width * components;
        jpeg_write_scanlines(&info, &row, 1);
    }
    jpeg_finish_compress(&info);
    jpeg_destroy_compress(&info);
    std::string out(reinterpret_cast<char*>(buffer), size);
    std::free(buffer);
    return out;
}

inline void put_le(std::string& s, size_t at, uint32_t v, int bytes) {
    for (int i = 0; i < bytes; ++i) s[at + i] = static_cast<char>(v >> (8 * i));
}

// An uncompressed 24-bit BMP of random pixels (rows bottom-up, padded to 4 bytes).
inline std::string make_bmp(int width, int height, unsigned seed = 3) {
    const size_t row_bytes = (static_cast<size_t>(width) * 3 + 3) / 4 * 4;
    std::string bmp(54, '\0');
    bmp[0] = 'B';
    bmp[1] = 'M';
    put_le(bmp, 2, static_cast<uint32_t>(54 + row_bytes * height), 4);
    put_le(bmp, 10, 54, 4);  // pixel data offset
    put_le(bmp, 14, 40, 4);  // BITMAPINFOHEADER
    put_le(bmp, 18, width, 4);
    put_le(bmp, 22, height, 4);
    put_le(bmp, 26, 1, 2);   // planes
    put_le(bmp, 28, 24, 2);  // bits per pixel
    std::mt19937 rng(seed);
    for (size_t i = 0; i < row_bytes * height; ++i) bmp.push_back(static_cast<char>(rng()));
    return bmp;
}

}  // namespace ganvas::testing
