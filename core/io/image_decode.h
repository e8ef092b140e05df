// Decoding image files from untrusted sources (data folders, TFRecord features, the
// command line) into 8-bit pixels, bounded and checked.
//
// Decoders: PNG through libpng and JPEG through libjpeg-turbo, both security-maintained
// by Debian, both verifying what stb_image skips (PNG chunk CRCs and the zlib Adler-32,
// truncation, bogus Huffman tables) and both letting us read the header, and refuse
// the size, before any pixel buffer is allocated. GIF (first frame) and uncompressed BMP
// stay on stb_image, compiled with only those two formats, behind our own checks: the
// declared size is read first and the file must hold every byte the header promises
// (stb zero-fills what is missing). Anything else, TGA included (it has no magic
// number), is refused by name and never reaches a decoder.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "tensor/limits.h"  // kMaxImageSide: the largest image side we decode

namespace ganvas {

// The largest image file we read into memory: an 8192x8192 RGBA BMP, with room to spare.
inline constexpr int64_t kMaxImageFileBytes = int64_t{512} << 20;

struct DecodedImage {
    int width = 0, height = 0, channels = 0;
    std::vector<uint8_t> pixels;  // (H, W, C), rows top to bottom
};

// Decodes a PNG, JPEG, GIF (its first frame) or uncompressed BMP held in memory into
// `channels` (1 gray or 3 RGB) 8-bit channels, converted exactly as stb_image converts
// (alpha dropped; gray = (77 R + 150 G + 29 B) >> 8; 16-bit samples keep their high
// byte). Throws std::runtime_error "WHAT: cannot read image: PROBLEM".
DecodedImage decode_image_pixels(const std::string& bytes, int channels, const std::string& what);

// 1 for a gray (or gray + alpha) image, 3 for colour, from the header alone; throws like
// decode_image_pixels when the header is unreadable, of another format or too large.
int encoded_image_channels(const std::string& bytes, const std::string& what);

// Whether `bytes` start with the magic number of a PNG, JPEG, GIF or BMP file.
bool has_image_magic(const std::string& bytes);

// The whole of an image file, refusing files larger than kMaxImageFileBytes. Throws
// std::runtime_error naming `path`.
std::string read_image_file(const std::string& path);

}  // namespace ganvas
