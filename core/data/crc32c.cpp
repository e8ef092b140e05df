#include "data/crc32c.h"

#include <array>

namespace ganvas {
namespace {

// One table lookup per byte: fast enough for files of a few hundred megabytes.
const std::array<uint32_t, 256>& crc_table() {
    static const std::array<uint32_t, 256> table = [] {
        std::array<uint32_t, 256> t{};
        for (uint32_t b = 0; b < 256; ++b) {
            uint32_t crc = b;
            for (int bit = 0; bit < 8; ++bit) crc = (crc >> 1) ^ (crc & 1 ? 0x82F63B78u : 0u);
            t[b] = crc;
        }
        return t;
    }();
    return table;
}

}  // namespace

uint32_t crc32c(const void* data, size_t size) {
    const auto& table = crc_table();
    const auto* p = static_cast<const uint8_t*>(data);
    uint32_t crc = 0xFFFFFFFFu;
    for (size_t i = 0; i < size; ++i) crc = (crc >> 8) ^ table[(crc ^ p[i]) & 0xFF];
    return crc ^ 0xFFFFFFFFu;
}

uint32_t mask_crc32c(uint32_t crc) {
    return ((crc >> 15) | (crc << 17)) + 0xa282ead8u;
}

}  // namespace ganvas
