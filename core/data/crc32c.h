// CRC-32C (Castagnoli), the checksum TFRecord files carry, and TFRecord's masking of it.
//
// Polynomial 0x1EDC6F41 (reflected 0x82F63B78), initial value and final XOR 0xFFFFFFFF,
// as in RFC 3720 (iSCSI), Appendix B.4. TFRecord stores not the CRC itself but
// ((crc >> 15) | (crc << 17)) + 0xa282ead8, so that a CRC of data that itself holds
// CRCs does not degenerate.
#pragma once

#include <cstddef>
#include <cstdint>

namespace ganvas {

uint32_t crc32c(const void* data, size_t size);

uint32_t mask_crc32c(uint32_t crc);

}  // namespace ganvas
