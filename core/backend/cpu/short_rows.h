// Copies of short rows: a small image's rows (7, 14 or 28 floats),
// which convolutions move by the thousand. Compilers give such a loop a
// vector body and a scalar tail, so a 7-float row is seven scalar moves; a
// masked AVX-512 (or AVX2) load and store moves it at once. Masked lanes are
// neither read nor written, so a row at the end of a buffer is safe.
// (No masked sum: a masked store stalls the load that reads it back, and
// col2im's sums read back what they wrote; measured 3-5% slower there.)
#pragma once

#include <cstdint>

#if defined(__AVX512F__) || defined(__AVX2__)
#include <immintrin.h>
#endif

namespace ganvas::cpu {

#if defined(__AVX512F__)
inline __mmask16 first_lanes(int64_t n) {
    return static_cast<__mmask16>((1u << n) - 1u);
}
#elif defined(__AVX2__)
inline __m256i first_lanes(int64_t n) {
    return _mm256_cmpgt_epi32(_mm256_set1_epi32(static_cast<int>(n)),
                              _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7));
}
#endif

// d[0, n) = s[0, n)
inline void copy_row(float* d, const float* s, int64_t n) {
#if defined(__AVX512F__)
    for (; n >= 16; n -= 16, d += 16, s += 16) _mm512_storeu_ps(d, _mm512_loadu_ps(s));
    if (n > 0) {
        const __mmask16 m = first_lanes(n);
        _mm512_mask_storeu_ps(d, m, _mm512_maskz_loadu_ps(m, s));
    }
#elif defined(__AVX2__)
    for (; n >= 8; n -= 8, d += 8, s += 8) _mm256_storeu_ps(d, _mm256_loadu_ps(s));
    if (n > 0) {
        const __m256i m = first_lanes(n);
        _mm256_maskstore_ps(d, m, _mm256_maskload_ps(s, m));
    }
#else
    for (int64_t i = 0; i < n; ++i) d[i] = s[i];
#endif
}

}  // namespace ganvas::cpu
