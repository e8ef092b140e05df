#include "widgets/evolution_gif.h"

#include <algorithm>
#include <array>
#include <filesystem>
#include <stdexcept>

#include "i18n/tr.h"
#include "io/image_png.h"
#include "widgets/format_numbers.h"

namespace ganvas::gui {

namespace {

// 3x5 pixel glyphs, one row a string: just what "STEP 0123456789" needs, so a GIF
// frame can carry its step without a font library.
const std::array<const char*, 5>* glyph(char c) {
    static const std::array<const char*, 5> digits[10] = {
        {"###", "#.#", "#.#", "#.#", "###"}, {".#.", "##.", ".#.", ".#.", "###"},
        {"###", "..#", "###", "#..", "###"}, {"###", "..#", "###", "..#", "###"},
        {"#.#", "#.#", "###", "..#", "..#"}, {"###", "#..", "###", "..#", "###"},
        {"###", "#..", "###", "#.#", "###"}, {"###", "..#", "..#", "..#", "..#"},
        {"###", "#.#", "###", "#.#", "###"}, {"###", "#.#", "###", "..#", "###"}};
    static const std::array<const char*, 5> s = {".##", "#..", "###", "..#", "##."};
    static const std::array<const char*, 5> t = {"###", ".#.", ".#.", ".#.", ".#."};
    static const std::array<const char*, 5> e = {"###", "#..", "###", "#..", "###"};
    static const std::array<const char*, 5> p = {"###", "#.#", "###", "#..", "#.."};
    if (c >= '0' && c <= '9') return &digits[c - '0'];
    if (c == 'S') return &s;
    if (c == 'T') return &t;
    if (c == 'E') return &e;
    if (c == 'P') return &p;
    return nullptr;  // a space
}

// Writes `text` in white into image (1, H, W) at (left, top), each font pixel
// `scale` x `scale`; what does not fit is cut off.
void draw_text(Tensor& image, const std::string& text, int64_t left, int64_t top, int64_t scale) {
    const int64_t h = image.size(1), w = image.size(2);
    float* px = image.data();
    int64_t x0 = left;
    for (char c : text) {
        if (const auto* g = glyph(c))
            for (int64_t gy = 0; gy < 5 * scale; ++gy)
                for (int64_t gx = 0; gx < 3 * scale; ++gx) {
                    const int64_t y = top + gy, x = x0 + gx;
                    if (y < h && x < w && (*g)[gy / scale][gx / scale] == '#') px[y * w + x] = 1.0f;
                }
        x0 += 4 * scale;  // glyph and one column of space
    }
}

}  // namespace

Tensor captioned_grid(const Tensor& images, int64_t step, int nrow, int padding) {
    const Tensor grid = make_grid(images, nrow, padding);  // (C, H, W)
    const int64_t c = grid.size(0), h = grid.size(1), w = grid.size(2);
    // Font pixels grow with the grid, so the caption stays readable in a 242-wide GIF
    // and does not swamp a tiny one.
    const int64_t scale = std::max<int64_t>(1, w / 120);
    const int64_t margin = std::max<int64_t>(padding, scale);
    const int64_t caption = 5 * scale + 2 * margin;
    Tensor out = Tensor::full({1, caption + h, w}, -1.0f);  // (1, caption + H, W)
    const float* src = grid.data();
    float* dst = out.data() + caption * w;
    for (int64_t i = 0; i < h * w; ++i) {
        float sum = 0;
        for (int64_t ch = 0; ch < c; ++ch) sum += src[ch * h * w + i];
        dst[i] = sum / static_cast<float>(c);
    }
    draw_text(out, "STEP " + std::to_string(std::max<int64_t>(step, 0)), margin, margin, scale);
    return out;
}

void save_evolution_gif(const std::string& path,
                        const std::vector<std::shared_ptr<const SampleFrame>>& frames, int nrow,
                        const GifOptions& options) {
    for (const auto& f : frames)
        if (!f) throw std::invalid_argument(path + ": a sample frame is missing");
    save_gif(
        path, frames.size(),
        [&](size_t i) { return captioned_grid(frames[i]->images, frames[i]->step, nrow); },
        options);
}

GifExportJob::~GifExportJob() {
    cancel_ = true;
    join();
}

void GifExportJob::join() {
    if (thread_.joinable()) thread_.join();
}

void GifExportJob::start(const std::string& path,
                         std::vector<std::shared_ptr<const SampleFrame>> frames, int nrow,
                         int delay_cs) {
    if (running_) return;
    join();  // the previous, finished thread
    cancel_ = false;
    done_ = 0;
    total_ = frames.size();
    running_ = true;
    // Frames are immutable and shared, so the thread may read them while training goes on.
    thread_ = std::thread([this, path, frames = std::move(frames), nrow, delay_cs] {
        std::string message;
        bool error = false;
        try {
            namespace fs = std::filesystem;
            if (const fs::path dir = fs::path(path).parent_path(); !dir.empty())
                fs::create_directories(dir);
            GifOptions options;
            options.delay_cs = delay_cs;
            options.progress = [this](size_t done, size_t) {
                done_ = done;
                return !cancel_;
            };
            save_evolution_gif(path, frames, nrow, options);
            // The sentence is made in take_result: tr() belongs to the UI thread.
            message = fs::absolute(path).string();
        } catch (const std::exception& e) {
            message = e.what();
            error = true;
        }
        {
            std::lock_guard<std::mutex> lock(mutex_);
            result_ = std::move(message);
            result_is_error_ = error;
            result_frames_ = frames.size();
            has_result_ = true;
            running_ = false;  // under the lock: whoever sees the result sees it finished
        }
    });
}

float GifExportJob::progress() const {
    const size_t total = total_;
    return total ? static_cast<float>(done_) / static_cast<float>(total) : 0.0f;
}

bool GifExportJob::take_result(std::string* message, bool* is_error) {
    std::lock_guard<std::mutex> lock(mutex_);
    if (!has_result_) return false;
    has_result_ = false;
    *message = result_is_error_
                   ? result_
                   : format_text(tr("Wrote %s (%zu frames)"), result_.c_str(), result_frames_);
    *is_error = result_is_error_;
    return true;
}

}  // namespace ganvas::gui
