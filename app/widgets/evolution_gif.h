// The evolution GIF: every saved sample grid of a run as one animation, each
// frame captioned with its training step so a viewer knows when they are.
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "io/image_gif.h"
#include "tensor/tensor.h"
#include "train/live_trainer.h"

namespace ganvas::gui {

// make_grid(images, nrow, padding) as one gray image (1, H' + caption, W') with a
// black strip on top reading "STEP <step>" in a small pixel font. Colour images
// are averaged to gray. Throws std::invalid_argument for images make_grid refuses.
Tensor captioned_grid(const Tensor& images, int64_t step, int nrow, int padding = 2);

// Writes one captioned grid per frame (oldest first) with save_gif; see GifOptions
// for delay, looping, progress and cancelling.
void save_evolution_gif(const std::string& path,
                        const std::vector<std::shared_ptr<const SampleFrame>>& frames, int nrow,
                        const GifOptions& options);

// A run of 400 grids takes about a second to encode: long enough to freeze the
// window, so the Samples tab writes it on a thread of its own and polls this.
class GifExportJob {
public:
    GifExportJob() = default;
    ~GifExportJob();  // cancels a running export and waits for it: nothing is left half-written
    GifExportJob(const GifExportJob&) = delete;
    GifExportJob& operator=(const GifExportJob&) = delete;

    // Starts writing save_evolution_gif(path, ...), creating the folder. Ignored while running.
    void start(const std::string& path, std::vector<std::shared_ptr<const SampleFrame>> frames,
               int nrow, int delay_cs);
    bool running() const { return running_; }
    float progress() const;  // 0..1
    void cancel() { cancel_ = true; }
    // Once per finished export: true, with what to tell the user (in the window's
    // language: call it from the UI thread).
    bool take_result(std::string* message, bool* is_error);

private:
    void join();

    std::thread thread_;
    std::atomic<bool> running_{false}, cancel_{false};
    std::atomic<size_t> done_{0}, total_{0};
    std::mutex mutex_;
    bool has_result_ = false, result_is_error_ = false;
    std::string result_;  // the error, or the file written
    size_t result_frames_ = 0;
};

}  // namespace ganvas::gui
