// FeatureLayer::dense_batch: the dense layer as a tensor op, so gradients reach the
// embedding tables. Apart from the rest of the layer so the readers that only need
// values (and the fuzz targets built from them) do not pull in the ops.
#include "data/feature_column_reading.h"
#include "data/feature_column_transform.h"
#include "ops/indexing.h"
#include "ops/matmul.h"
#include "ops/shape_ops.h"

namespace ganvas {

Tensor FeatureLayer::dense_batch(const std::vector<Example>& examples, size_t first_index) const {
    const auto n = static_cast<int64_t>(examples.size());
    std::vector<Tensor> parts;
    for (const ColumnSpec* c : dense_) {
        if (c->kind != ColumnKind::embedding) {
            std::vector<float> values;
            for (int64_t i = 0; i < n; ++i) {
                const auto part = dense_output(*c, examples[i], first_index + i);
                values.insert(values.end(), part.begin(), part.end());
            }
            parts.push_back(Tensor::from_vector({n, column_width(*c)}, values));  // (N, width)
            continue;
        }
        // Every looked-up row once per (record, id): coefficients (N, K) x rows (K, D).
        std::vector<int64_t> rows;
        std::vector<std::pair<int64_t, float>> placed;  // (record, coefficient) per row
        for (int64_t i = 0; i < n; ++i)
            for (const auto& [id, w] :
                 combiner_terms(*c, reader_->ids(c->children[0], examples[i], first_index + i))) {
                rows.push_back(id);
                placed.push_back({i, w});
            }
        if (rows.empty()) {
            parts.push_back(Tensor::zeros({n, c->dimension}));
            continue;
        }
        const auto k = static_cast<int64_t>(rows.size());
        std::vector<float> coefficients(static_cast<size_t>(n * k), 0.0f);
        for (int64_t j = 0; j < k; ++j) coefficients[placed[j].first * k + j] = placed[j].second;
        const Tensor looked_up =
            embedding(tables_.at(column_name(*c)), Tensor::from_vector_i64({k}, rows));  // (K, D)
        parts.push_back(matmul(Tensor::from_vector({n, k}, coefficients), looked_up));   // (N, D)
    }
    if (parts.empty()) return Tensor::zeros({n, 0});
    return cat(parts, 1);  // (N, width)
}

}  // namespace ganvas
