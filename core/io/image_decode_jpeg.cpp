// JPEG through libjpeg-turbo. Its errors, and its warnings (corrupt data, a premature
// end of file: libjpeg would fill in grey and carry on), end the decode through a
// longjmp, never the process. The size in the frame header is refused before
// jpeg_start_decompress allocates anything, and the memory libjpeg may take is capped.
#include <csetjmp>
#include <cstdio>
#include <stdexcept>

// jpeglib.h needs size_t and FILE declared first.
#include <jpeglib.h>

#include "io/image_decode_formats.h"

namespace ganvas::image_formats {

namespace {

// Progressive files can repeat scans without end, each one a full pass over the image;
// libjpeg-turbo's own TurboJPEG API stops at 500 for the same reason.
constexpr int kMaxScans = 500;
// Enough for a progressive 8192x8192 colour file's coefficients (about 400 MB).
constexpr long kMaxDecoderMemory = 768L << 20;

// As in PngJob: what the setjmp frame touches lives outside it.
struct JpegJob {
    jpeg_decompress_struct info{};
    jpeg_error_mgr errors{};
    jpeg_progress_mgr progress{};
    std::jmp_buf jump{};
    bool header_only = false;
    bool gray_wanted = false;
    int file_channels = 0;
    DecodedImage image;
    char problem[JMSG_LENGTH_MAX] = {};
};

JpegJob* job_of(j_common_ptr info) {
    return static_cast<JpegJob*>(info->client_data);
}

[[noreturn]] void fail(j_common_ptr info) {
    JpegJob* job = job_of(info);
    info->err->format_message(info, job->problem);
    std::longjmp(job->jump, 1);
}

// Level -1 is a warning about the data (libjpeg would go on with made-up pixels); higher
// levels are trace messages.
void on_message(j_common_ptr info, int level) {
    if (level < 0) fail(info);
}

void on_progress(j_common_ptr info) {
    auto* decompress = reinterpret_cast<j_decompress_ptr>(info);
    if (decompress->input_scan_number > kMaxScans) {
        std::snprintf(job_of(info)->problem, sizeof job_of(info)->problem, "more than %d scans",
                      kMaxScans);
        std::longjmp(job_of(info)->jump, 1);
    }
}

// stb_image's CMYK conversion (x * k / 255, rounded the same way) for Adobe files,
// which libjpeg hands over inverted, as stb sees them.
uint8_t blinn(unsigned x, unsigned k) {
    const unsigned t = x * k + 128;
    return static_cast<uint8_t>((t + (t >> 8)) >> 8);
}

bool read_jpeg(JpegJob* job, const std::string& bytes) {
    jpeg_decompress_struct& info = job->info;
    if (setjmp(job->jump)) return false;
    jpeg_create_decompress(&info);
    info.mem->max_memory_to_use = kMaxDecoderMemory;
    job->progress.progress_monitor = &on_progress;
    info.progress = &job->progress;
    jpeg_mem_src(&info, reinterpret_cast<const unsigned char*>(bytes.data()),
                 static_cast<unsigned long>(bytes.size()));
    jpeg_read_header(&info, TRUE);
    job->file_channels = info.num_components >= 3 ? 3 : 1;
    if (job->header_only) return true;
    check_image_size(info.image_width, info.image_height);  // throws: no longjmp needed

    const bool cmyk = info.jpeg_color_space == JCS_CMYK || info.jpeg_color_space == JCS_YCCK;
    // Gray from a YCbCr file is its Y plane, as stb_image gives it; other colour files
    // decode to RGB (or CMYK), which the caller turns into gray as stb does.
    const bool gray =
        info.num_components < 3 || (job->gray_wanted && info.jpeg_color_space == JCS_YCbCr);
    info.out_color_space = cmyk ? JCS_CMYK : gray ? JCS_GRAYSCALE : JCS_RGB;
    jpeg_start_decompress(&info);

    DecodedImage& image = job->image;
    image.width = static_cast<int>(info.output_width);
    image.height = static_cast<int>(info.output_height);
    image.channels = cmyk ? 4 : info.output_components;
    const size_t row_bytes = static_cast<size_t>(image.width) * image.channels;
    image.pixels.resize(row_bytes * image.height);
    while (info.output_scanline < info.output_height) {
        JSAMPROW row = image.pixels.data() + info.output_scanline * row_bytes;
        jpeg_read_scanlines(&info, &row, 1);
    }
    // Reads up to EOI: a file cut after its last scanline is still an error.
    jpeg_finish_decompress(&info);
    if (cmyk) {
        // CMYK (4 channels) to RGB in place, then drop the fourth byte.
        uint8_t* p = image.pixels.data();
        const size_t n = static_cast<size_t>(image.width) * image.height;
        for (size_t i = 0; i < n; ++i) {
            const unsigned k = p[4 * i + 3];
            for (int c = 0; c < 3; ++c) p[3 * i + c] = blinn(p[4 * i + c], k);
        }
        image.channels = 3;
        image.pixels.resize(n * 3);
    }
    return true;
}

// Decodes into `job` (the header only if job.header_only); libjpeg's structs point into
// the job, so it stays where the caller put it.
void run(const std::string& bytes, JpegJob& job) {
    if (bytes.size() < 3 || bytes.compare(0, 3, "\xFF\xD8\xFF") != 0)
        throw std::runtime_error("not a JPEG file");
    job.info.err = jpeg_std_error(&job.errors);
    job.errors.error_exit = &fail;
    job.errors.emit_message = &on_message;
    job.info.client_data = &job;
    bool ok = false;
    try {
        ok = read_jpeg(&job, bytes);
    } catch (...) {
        jpeg_destroy_decompress(&job.info);  // safe on a struct never created
        throw;
    }
    jpeg_destroy_decompress(&job.info);
    if (!ok) throw std::runtime_error(std::string("invalid JPEG: ") + job.problem);
}

}  // namespace

DecodedImage decode_jpeg(const std::string& bytes, int wanted_channels) {
    JpegJob job;
    job.gray_wanted = wanted_channels == 1;
    run(bytes, job);
    return std::move(job.image);
}

int jpeg_channels(const std::string& bytes) {
    JpegJob job;
    job.header_only = true;
    run(bytes, job);
    return job.file_channels;
}

}  // namespace ganvas::image_formats
