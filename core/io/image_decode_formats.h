// The per-format decoders behind image_decode.h. Each throws std::runtime_error with the
// bare problem ("CRC error in IDAT"); decode_image_pixels adds the file's name.
#pragma once

#include <string>

#include "io/image_decode.h"

namespace ganvas::image_formats {

// Pixels with the file's own channel count (1 to 4), 8 bits each, except where
// stb_image made gray (`wanted_channels` 1) another way than from 8-bit RGB: from 16-bit
// PNG samples, and from a JPEG's Y plane. There these give gray already.
DecodedImage decode_png(const std::string& bytes, int wanted_channels);
DecodedImage decode_jpeg(const std::string& bytes, int wanted_channels);

// The file's channel count (1 to 4) from its header.
int png_channels(const std::string& bytes);
int jpeg_channels(const std::string& bytes);

// Throws unless 1 <= width, height <= kMaxImageSide.
void check_image_size(int64_t width, int64_t height);

}  // namespace ganvas::image_formats
