// Encoded images (PNG, JPEG, BMP, GIF, ... through stb_image), as TFRecord image
// features and image folders hand them to the decoder, as gray and as colour.
#include "fuzz/harness.h"
#include "io/image_png.h"

namespace ganvas::fuzz {

void fuzz_image(std::string_view bytes) {
    std::string encoded(bytes);
    looks_like_encoded_image(encoded);
    decode_image(encoded, 1, "fuzz");
    decode_image(encoded, 3, "fuzz");
}

}  // namespace ganvas::fuzz
