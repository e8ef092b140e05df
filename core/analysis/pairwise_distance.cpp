#include "analysis/pairwise_distance.h"

#include <algorithm>
#include <vector>

#include "backend/cpu/gemm.h"
#include "backend/cpu/thread_pool.h"

namespace ganvas::analysis_detail {
namespace {

// A block holds at most this many floats (32 MiB): 838 query rows against a
// pool of 10000, instead of the 400 MB that all 10000 x 10000 pairs would take.
constexpr int64_t kBlockFloats = int64_t(1) << 23;

// Squared norm of each row of x (rows, d), summed in double: the norms are
// the large terms of the expansion, so their own rounding should not add to it.
std::vector<float> row_norms(const float* x, int64_t rows, int64_t d) {
    std::vector<float> out(static_cast<size_t>(rows));  // (rows,)
    cpu::parallel_for(rows, 256, [&](int64_t r0, int64_t r1) {
        for (int64_t i = r0; i < r1; ++i) {
            double s = 0.0;
            for (int64_t k = 0; k < d; ++k) s += double(x[i * d + k]) * x[i * d + k];
            out[size_t(i)] = float(s);
        }
    });
    return out;
}

// x (rows, d) minus the given column means (d,), as a new buffer.
std::vector<float> centred(const float* x, int64_t rows, int64_t d,
                           const std::vector<double>& mean) {
    std::vector<float> out(static_cast<size_t>(rows * d));  // (rows, d)
    for (int64_t i = 0; i < rows; ++i)
        for (int64_t k = 0; k < d; ++k)
            out[size_t(i * d + k)] = float(double(x[i * d + k]) - mean[size_t(k)]);
    return out;
}

std::vector<double> column_mean(const float* x, int64_t rows, int64_t d) {
    std::vector<double> mean(static_cast<size_t>(d), 0.0);  // (d,)
    for (int64_t i = 0; i < rows; ++i)
        for (int64_t k = 0; k < d; ++k) mean[size_t(k)] += x[i * d + k];
    for (double& v : mean) v /= double(rows);
    return mean;
}

}  // namespace

void for_each_distance_row(const float* queries, int64_t m, const float* pool, int64_t n, int64_t d,
                           const std::function<void(int64_t, float*)>& visit) {
    if (m <= 0 || n <= 0) return;
    // Distances do not change when both sets move together. With the pool's
    // mean at the origin, |q|^2 and |p|^2 stay near the size of the distances
    // instead of growing with a large common offset (post-ReLU features have
    // one), so the expansion loses few digits to cancellation.
    const std::vector<double> mean = column_mean(pool, n, d);     // (D,)
    const std::vector<float> q = centred(queries, m, d, mean);    // (M, D)
    const std::vector<float> p = centred(pool, n, d, mean);       // (N, D)
    const std::vector<float> q_norm = row_norms(q.data(), m, d);  // (M,)
    const std::vector<float> p_norm = row_norms(p.data(), n, d);  // (N,)
    const int64_t block_rows = std::clamp<int64_t>(kBlockFloats / n, 1, m);
    std::vector<float> block(size_t(block_rows * n));  // (block_rows, N)
    for (int64_t r0 = 0; r0 < m; r0 += block_rows) {
        const int64_t rows = std::min(block_rows, m - r0);
        // block = -2 Q_blk P^T, then |q|^2 + |p|^2 is added row by row below.
        cpu::gemm(false, true, rows, n, d, -2.0f, q.data() + r0 * d, d, p.data(), d, 0.0f,
                  block.data(), n);
        cpu::parallel_for(rows, 8, [&](int64_t b0, int64_t b1) {
            for (int64_t b = b0; b < b1; ++b) {
                float* row = block.data() + b * n;  // (N,)
                const float qn = q_norm[size_t(r0 + b)];
                // Cancellation can leave a tiny negative number for (near-)equal rows.
                for (int64_t j = 0; j < n; ++j)
                    row[j] = std::max(0.0f, row[j] + qn + p_norm[size_t(j)]);
                visit(r0 + b, row);
            }
        });
    }
}

}  // namespace ganvas::analysis_detail
