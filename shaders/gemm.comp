// C (M, N) = sum over r < red_count of op(A_r) op(B_r) (+ bias[m], or bias[n] with
// bias_per_column) (+ C), for each batch z.
//
// A 64x64 tile of C per workgroup of 16x16 invocations, each owning a 4x4
// block of it (rows ty + 16i, columns tx + 16j); K is walked 16 at a time
// through shared memory. Elements outside the matrices read as zero, so any
// size works. Offsets are in floats; A_r starts at a_off + z*a_batch + r*a_red.
#version 430

layout(local_size_x = 16, local_size_y = 16) in;

layout(std430, binding = 0) readonly buffer BufA { float a[]; };
layout(std430, binding = 1) readonly buffer BufB { float b[]; };
layout(std430, binding = 2) buffer BufC { float c[]; };
layout(std430, binding = 3) readonly buffer BufBias { float bias[]; };

uniform uint M, N, K;
uniform uint lda, ldb, ldc;              // row lengths of A, B, C as stored
uniform bool trans_a, trans_b;           // A stored (K, M); B stored (N, K)
uniform uint a_batch, b_batch, c_batch;  // per z
uniform uint red_count, a_red, b_red;    // the summed products
uniform uint z_base;                     // batch of workgroup z = 0
uniform uint a_off, b_off, c_off;        // where batch 0 starts in each buffer
uniform bool has_bias, bias_per_column, accumulate;

const uint TILE = 64u, DEPTH = 16u;
shared float As[DEPTH][TILE];  // op(A) tile, k-major
shared float Bs[DEPTH][TILE];  // op(B) tile

float load_a(uint base, uint m, uint k) {
    if (m >= M || k >= K) return 0.0;
    return trans_a ? a[base + k * lda + m] : a[base + m * lda + k];
}

float load_b(uint base, uint k, uint n) {
    if (k >= K || n >= N) return 0.0;
    return trans_b ? b[base + n * ldb + k] : b[base + k * ldb + n];
}

void main() {
    const uint tx = gl_LocalInvocationID.x, ty = gl_LocalInvocationID.y;
    const uint tid = ty * 16u + tx;
    const uint row0 = gl_WorkGroupID.y * TILE, col0 = gl_WorkGroupID.x * TILE;
    const uint z = gl_WorkGroupID.z + z_base;
    float acc[4][4];
    for (int i = 0; i < 4; ++i)
        for (int j = 0; j < 4; ++j) acc[i][j] = 0.0;

    for (uint r = 0u; r < red_count; ++r) {
        const uint abase = a_off + z * a_batch + r * a_red;
        const uint bbase = b_off + z * b_batch + r * b_red;
        for (uint k0 = 0u; k0 < K; k0 += DEPTH) {
            // 1024 elements per tile, four per invocation; neighbours read
            // neighbouring addresses of the stored layout.
            for (uint l = 0u; l < 4u; ++l) {
                const uint e = tid + 256u * l;
                uint kk = trans_a ? e / TILE : e % DEPTH;
                uint mm = trans_a ? e % TILE : e / DEPTH;
                As[kk][mm] = load_a(abase, row0 + mm, k0 + kk);
                kk = trans_b ? e % DEPTH : e / TILE;
                uint nn = trans_b ? e / DEPTH : e % TILE;
                Bs[kk][nn] = load_b(bbase, k0 + kk, col0 + nn);
            }
            barrier();
            for (uint kk = 0u; kk < DEPTH; ++kk) {
                float av[4], bv[4];
                for (uint i = 0u; i < 4u; ++i) av[i] = As[kk][ty + 16u * i];
                for (uint j = 0u; j < 4u; ++j) bv[j] = Bs[kk][tx + 16u * j];
                for (uint i = 0u; i < 4u; ++i)
                    for (uint j = 0u; j < 4u; ++j) acc[i][j] += av[i] * bv[j];
            }
            barrier();
        }
    }

    for (uint i = 0u; i < 4u; ++i) {
        const uint m = row0 + ty + 16u * i;
        if (m >= M) continue;
        const float row_bias = has_bias && !bias_per_column ? bias[m] : 0.0;
        for (uint j = 0u; j < 4u; ++j) {
            const uint n = col0 + tx + 16u * j;
            if (n >= N) continue;
            const uint at = c_off + z * c_batch + m * ldc + n;
            const float add = has_bias && bias_per_column ? bias[n] : row_bias;
            c[at] = acc[i][j] + add + (accumulate ? c[at] : 0.0);
        }
    }
}
