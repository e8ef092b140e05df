// Animated GIFs: how a run's sample grids become one file that plays anywhere.
//
// Frames are gray images (1, H, W) or (H, W), float32 in [-1, 1], turned into
// bytes exactly as PNGs are (to_interleaved_bytes in image_png.h) and written
// with a 256-level gray palette, so a GIF frame and the PNG of the same image
// hold the same pixel values.
#pragma once

#include <cstddef>
#include <functional>
#include <string>
#include <vector>

#include "tensor/tensor.h"

namespace ganvas {

struct GifOptions {
    int delay_cs = 10;  // time each frame stays, in hundredths of a second (0..65535)
    bool loop = true;   // play forever (NETSCAPE2.0 extension) rather than once
    // Called after each encoded frame; returning false stops the export, which then
    // throws and leaves nothing at the path. Lets a UI show progress and cancel.
    std::function<bool(size_t done, size_t total)> progress;
};

// Writes `frames` as an animated GIF. Atomic: the file is encoded in memory first,
// so on any failure nothing is left at `path`. Throws std::invalid_argument for bad
// frames (none, not gray, of different sizes) and std::runtime_error when the file
// cannot be written; both messages name `path`.
void save_gif(const std::string& path, const std::vector<Tensor>& frames, int delay_cs,
              bool loop = true);

// The same, with frames made one at a time by `frame_at(i)`, i < count, so a long
// animation never needs all its frames in memory at once.
void save_gif(const std::string& path, size_t count, const std::function<Tensor(size_t)>& frame_at,
              const GifOptions& options);

}  // namespace ganvas
