// PNG through libpng: chunk CRCs and the zlib stream's Adler-32 are verified, truncated
// files are errors, and the size in IHDR is refused before any row is allocated.
#include <png.h>

#include <csetjmp>
#include <cstring>
#include <stdexcept>

#include "io/image_decode_formats.h"

namespace ganvas::image_formats {

namespace {

// Everything the setjmp frame touches lives here, outside that frame: a longjmp out of
// libpng then skips no destructor.
struct PngJob {
    const std::string* bytes = nullptr;
    size_t position = 0;
    bool header_only = false;
    bool gray_wanted = false;
    int file_channels = 0;
    DecodedImage image;
    std::vector<png_bytep> rows;
    char problem[256] = {};
};

void on_error(png_structp png, png_const_charp message) {
    auto* job = static_cast<PngJob*>(png_get_error_ptr(png));
    std::snprintf(job->problem, sizeof job->problem, "%s", message);
    png_longjmp(png, 1);
}

// Warnings are about ancillary chunks, which are discarded anyway (see read_png).
void on_warning(png_structp, png_const_charp) {}

void read_bytes(png_structp png, png_bytep out, size_t count) {
    auto* job = static_cast<PngJob*>(png_get_io_ptr(png));
    if (count > job->bytes->size() - job->position) png_error(png, "the file is truncated");
    std::memcpy(out, job->bytes->data() + job->position, count);
    job->position += count;
}

uint32_t big_endian_32(const std::string& bytes, size_t at) {
    uint32_t v = 0;
    for (size_t i = 0; i < 4; ++i) v = v << 8 | static_cast<unsigned char>(bytes[at + i]);
    return v;
}

// The size in IHDR (always the first chunk), checked before libpng sees the file so that
// the message can give the size rather than libpng's "exceeds user limit".
void check_declared_size(const std::string& bytes) {
    if (bytes.size() < 24 || bytes.compare(12, 4, "IHDR") != 0) return;  // libpng will say
    check_image_size(big_endian_32(bytes, 16), big_endian_32(bytes, 20));
}

// 16-bit RGB(A) samples to 8-bit gray exactly as stb_image: luma on 16 bits, high byte.
void to_gray_from_16(DecodedImage& image) {
    const size_t n = static_cast<size_t>(image.width) * image.height;
    const int step = image.channels;  // 16-bit samples per pixel
    std::vector<uint16_t> samples(n * step);
    std::memcpy(samples.data(), image.pixels.data(), samples.size() * 2);
    for (size_t i = 0; i < n; ++i) {
        const uint16_t* rgb = samples.data() + i * step;
        const unsigned luma = (rgb[0] * 77u + rgb[1] * 150u + rgb[2] * 29u) >> 8;
        image.pixels[i] = static_cast<uint8_t>((luma & 0xFFFF) >> 8);
    }
    image.channels = 1;
    image.pixels.resize(n);
}

// libpng's setjmp error handling: returns false with job->problem set.
bool read_png(png_structp png, png_infop info, PngJob* job) {
    if (setjmp(png_jmpbuf(png))) return false;
    png_set_read_fn(png, job, &read_bytes);
    png_set_user_limits(png, kMaxImageSide, kMaxImageSide);
    png_set_chunk_malloc_max(png, png_alloc_size_t{8} << 20);
    // Benign errors (a bad zlib checksum at the end of the image data, too much data)
    // become errors: a file that is not exactly right is refused, not half-trusted.
    png_set_benign_errors(png, 0);
    // We use no colour management or text: ignoring those chunks leaves libpng less
    // untrusted input to parse. CRC errors in them are still reported as warnings.
    static const png_byte kIgnored[] = "cHRM\0gAMA\0iCCP\0iTXt\0sBIT\0sRGB\0tEXt\0zTXt\0";
    png_set_keep_unknown_chunks(png, PNG_HANDLE_CHUNK_NEVER, kIgnored, 8);
    png_read_info(png, info);

    const png_byte color_type = png_get_color_type(png, info);
    job->file_channels =
        (color_type & PNG_COLOR_MASK_COLOR ? 3 : 1) + (color_type & PNG_COLOR_MASK_ALPHA ? 1 : 0);
    if (job->header_only) return true;

    // stb_image's conversions: palettes and low bit depths expand to 8 bits, 16-bit
    // samples keep their high byte. tRNS is not turned into alpha: callers drop alpha.
    png_set_palette_to_rgb(png);
    png_set_expand_gray_1_2_4_to_8(png);
    // stb turns 16-bit colour into gray before dropping the low byte; so do we, below.
    const bool gray_from_16 =
        png_get_bit_depth(png, info) == 16 && job->file_channels >= 3 && job->gray_wanted;
    if (gray_from_16)
        png_set_swap(png);  // native-endian 16-bit samples
    else
        png_set_strip_16(png);
    png_set_interlace_handling(png);
    png_read_update_info(png, info);

    DecodedImage& image = job->image;
    image.width = static_cast<int>(png_get_image_width(png, info));
    image.height = static_cast<int>(png_get_image_height(png, info));
    image.channels = png_get_channels(png, info);
    const size_t row_bytes = png_get_rowbytes(png, info);
    if (row_bytes != static_cast<size_t>(image.width) * image.channels * (gray_from_16 ? 2 : 1))
        png_error(png, "unexpected row layout");
    image.pixels.resize(row_bytes * image.height);
    job->rows.resize(image.height);
    for (int y = 0; y < image.height; ++y) job->rows[y] = image.pixels.data() + y * row_bytes;
    png_read_image(png, job->rows.data());
    // Reads the rest of the zlib stream (its Adler-32) and the chunks up to IEND.
    png_read_end(png, nullptr);
    if (gray_from_16) to_gray_from_16(image);
    return true;
}

PngJob run(const std::string& bytes, bool header_only, bool gray_wanted = false) {
    if (bytes.size() < 8 || png_sig_cmp(reinterpret_cast<png_const_bytep>(bytes.data()), 0, 8))
        throw std::runtime_error("not a PNG file");
    check_declared_size(bytes);
    PngJob job;
    job.bytes = &bytes;
    job.header_only = header_only;
    job.gray_wanted = gray_wanted;
    png_structp png = png_create_read_struct(PNG_LIBPNG_VER_STRING, &job, &on_error, &on_warning);
    png_infop info = png ? png_create_info_struct(png) : nullptr;
    if (!info) {
        png_destroy_read_struct(&png, nullptr, nullptr);
        throw std::runtime_error("out of memory starting the PNG decoder");
    }
    const bool ok = read_png(png, info, &job);
    png_destroy_read_struct(&png, &info, nullptr);
    if (!ok) throw std::runtime_error(std::string("invalid PNG: ") + job.problem);
    return job;
}

}  // namespace

DecodedImage decode_png(const std::string& bytes, int wanted_channels) {
    return std::move(run(bytes, /*header_only=*/false, wanted_channels == 1).image);
}

int png_channels(const std::string& bytes) {
    return run(bytes, /*header_only=*/true).file_channels;
}

}  // namespace ganvas::image_formats
