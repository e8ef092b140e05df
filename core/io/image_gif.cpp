#include "io/image_gif.h"

#include <gif_lib.h>

#include <memory>
#include <ostream>
#include <stdexcept>

#include "io/atomic_file.h"
#include "io/image_png.h"

namespace ganvas {

namespace {

constexpr int kMaxSide = 65535;  // the GIF format stores sizes in 16 bits

// Why `frame` cannot be a GIF frame, or "" if it can.
std::string frame_problem(const Tensor& frame) {
    if (!frame.defined()) return "is undefined";
    if (frame.dtype() != DType::f32 || frame.device() != Device::cpu)
        return "must be float32 on the CPU";
    const bool gray = frame.dim() == 2 || (frame.dim() == 3 && frame.size(0) == 1);
    if (!gray) return "must be a gray image (1, H, W) or (H, W), got " + shape_str(frame.shape());
    const int64_t h = frame.size(-2), w = frame.size(-1);
    if (h < 1 || w < 1 || h > kMaxSide || w > kMaxSide)
        return "has a size GIF cannot hold: " + shape_str(frame.shape());
    return "";
}

// giflib hands encoded bytes to this; the GIF is kept in memory until complete.
int append_to_string(GifFileType* gif, const GifByteType* data, int size) {
    static_cast<std::string*>(gif->UserData)->append(reinterpret_cast<const char*>(data), size);
    return size;
}

struct GifCloser {
    void operator()(GifFileType* gif) const { EGifCloseFile(gif, nullptr); }
};
struct ColorMapFreer {
    void operator()(ColorMapObject* map) const { GifFreeMapObject(map); }
};

// Encodes into a string; throws std::runtime_error naming `path` if giflib fails.
class GifEncoder {
public:
    GifEncoder(const std::string& path, int width, int height, bool loop) : path_(path) {
        int error = 0;
        gif_.reset(EGifOpen(&bytes_, append_to_string, &error));
        if (!gif_) fail(error);
        EGifSetGifVersion(gif_.get(), true);  // graphics control blocks need GIF89a

        std::unique_ptr<ColorMapObject, ColorMapFreer> gray(GifMakeMapObject(256, nullptr));
        if (!gray) throw std::runtime_error(path_ + ": cannot write GIF: out of memory");
        for (int i = 0; i < 256; ++i) {
            const auto level = static_cast<GifByteType>(i);
            gray->Colors[i] = GifColorType{level, level, level};
        }
        check(EGifPutScreenDesc(gif_.get(), width, height, 8, 0, gray.get()));
        if (loop) {
            // NETSCAPE2.0 sub-block: id 1, then the loop count (0: forever), little-endian.
            static const GifByteType kAppName[] = "NETSCAPE2.0";
            GifByteType loop_forever[3] = {1, 0, 0};
            check(EGifPutExtensionLeader(gif_.get(), APPLICATION_EXT_FUNC_CODE));
            check(EGifPutExtensionBlock(gif_.get(), 11, kAppName));
            check(EGifPutExtensionBlock(gif_.get(), 3, loop_forever));
            check(EGifPutExtensionTrailer(gif_.get()));
        }
    }

    // `pixels` (H, W) bytes; the palette index of a byte is the byte itself.
    void add_frame(std::vector<uint8_t>& pixels, int width, int height, int delay_cs) {
        GraphicsControlBlock control{};
        control.DisposalMode = DISPOSE_DO_NOT;
        control.UserInputFlag = false;
        control.DelayTime = delay_cs;
        control.TransparentColor = NO_TRANSPARENT_COLOR;
        GifByteType extension[4];
        const size_t length = EGifGCBToExtension(&control, extension);
        check(EGifPutExtension(gif_.get(), GRAPHICS_EXT_FUNC_CODE, static_cast<int>(length),
                               extension));
        check(EGifPutImageDesc(gif_.get(), 0, 0, width, height, false, nullptr));
        for (int y = 0; y < height; ++y)
            check(EGifPutLine(gif_.get(), pixels.data() + static_cast<size_t>(y) * width, width));
    }

    std::string finish() {
        int error = 0;
        // EGifCloseFile writes the trailer and frees the handle whether or not it succeeds.
        const int ok = EGifCloseFile(gif_.release(), &error);
        if (ok != GIF_OK) fail(error);
        return std::move(bytes_);
    }

private:
    void check(int status) {
        if (status != GIF_OK) fail(gif_ ? gif_->Error : 0);
    }
    [[noreturn]] void fail(int error) {
        const char* why = GifErrorString(error);
        throw std::runtime_error(
            path_ + ": cannot write GIF: " + (why ? why : "giflib error " + std::to_string(error)));
    }

    std::string path_;
    std::string bytes_;  // declared before gif_, which writes into it: destroyed after it
    std::unique_ptr<GifFileType, GifCloser> gif_;
};

}  // namespace

void save_gif(const std::string& path, size_t count, const std::function<Tensor(size_t)>& frame_at,
              const GifOptions& options) {
    if (count == 0) throw std::invalid_argument(path + ": cannot save a GIF with no frames");
    if (options.delay_cs < 0 || options.delay_cs > 65535)
        throw std::invalid_argument(path +
                                    ": GIF frame delay must be 0..65535 hundredths of a "
                                    "second, got " +
                                    std::to_string(options.delay_cs));
    std::unique_ptr<GifEncoder> encoder;
    int64_t width = 0, height = 0;
    for (size_t i = 0; i < count; ++i) {
        const Tensor frame = frame_at(i);
        const std::string problem = frame_problem(frame);
        if (!problem.empty())
            throw std::invalid_argument(path + ": GIF frame " + std::to_string(i) + " " + problem);
        const int64_t h = frame.size(-2), w = frame.size(-1);
        if (!encoder) {
            width = w;
            height = h;
            encoder = std::make_unique<GifEncoder>(path, static_cast<int>(w), static_cast<int>(h),
                                                   options.loop);
        } else if (h != height || w != width) {
            throw std::invalid_argument(path + ": GIF frames must all have one size: frame 0 is " +
                                        std::to_string(height) + "x" + std::to_string(width) +
                                        ", frame " + std::to_string(i) + " is " +
                                        std::to_string(h) + "x" + std::to_string(w));
        }
        std::vector<uint8_t> pixels = to_interleaved_bytes(make_view(frame, {1, h, w}));  // (H, W)
        encoder->add_frame(pixels, static_cast<int>(w), static_cast<int>(h), options.delay_cs);
        if (options.progress && !options.progress(i + 1, count))
            throw std::runtime_error(path + ": GIF export cancelled");
    }
    const std::string bytes = encoder->finish();
    write_file_atomic(path, [&](std::ostream& out) {
        out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    });
}

void save_gif(const std::string& path, const std::vector<Tensor>& frames, int delay_cs, bool loop) {
    GifOptions options;
    options.delay_cs = delay_cs;
    options.loop = loop;
    save_gif(
        path, frames.size(), [&](size_t i) { return frames[i]; }, options);
}

}  // namespace ganvas
