// The Feature columns panel's drawings: one record's output as a row of small cells
// (a one-hot vector, an embedding row as a heat strip, or a number), and the dense
// input as a heat map with each column's group of values marked and named.
#pragma once

#include <string>
#include <vector>

#include "panels/feature_columns_model.h"

namespace ganvas::gui {

// `output` of one record of `column`, on the current line.
void draw_output_cells(const std::vector<float>& output, const ColumnView& column, float ui_scale);

// An embedding column's table, one row per bucket, with the rows of `lit_ids` (the
// ids of the record under the mouse) outlined.
void draw_embedding_table(const ColumnView& column, const std::vector<int64_t>& lit_ids,
                          float ui_scale);

// The dense rows of `model` filling the rest of the window's content region; the group
// called `highlight` (the selected column) is outlined.
void draw_dense_heatmap(const FeatureColumnsModel& model, const std::string& highlight,
                        float ui_scale);

}  // namespace ganvas::gui
