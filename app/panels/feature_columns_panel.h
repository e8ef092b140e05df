// Feature columns tab: a TFRecord file of tf.Example records (the shipped demo table
// of products by default) run through a column file, one column at a time: each
// record's raw feature beside its bucket index or ids, its one-hot vector or its
// embedding row; the strings that share a hash bucket; and the dense input rows the
// columns assemble, as a heat map with each column's place in it.
#pragma once

#include <string>

#include "panels/feature_columns_model.h"
#include "panels/panel.h"

namespace ganvas::gui {

class FeatureColumnsPanel : public Panel {
public:
    const char* title() const override { return "Feature columns"; }
    void draw(PanelContext& ctx) override;

private:
    void load_settings(Settings& settings);
    void set_paths(const std::string& records, const std::string& columns);
    // Reads the files on a worker; the model shown stays until the new one is ready.
    void start_loading();
    void poll_loading(PanelContext& ctx);
    const FeatureColumnsModel* model() const { return loader_.model().get(); }

    void draw_files(PanelContext& ctx);
    void draw_status(PanelContext& ctx);
    void draw_column_list(PanelContext& ctx);
    void draw_column(PanelContext& ctx, const ColumnView& column);
    void draw_collisions(const ColumnView& column);
    void draw_records_table(PanelContext& ctx, const ColumnView& column);
    void draw_raw_records(PanelContext& ctx);
    void draw_dense(PanelContext& ctx);

    bool settings_loaded_ = false;
    char records_path_[1024] = "";
    char columns_path_[1024] = "";
    int shown_records_ = 12;
    int selected_ = 0;         // index into the model's columns
    int hovered_record_ = -1;  // the records table's row under the mouse

    FeatureColumnsLoader loader_;
    const FeatureColumnsModel* shown_model_ = nullptr;  // the one whose glyphs were noted
};

}  // namespace ganvas::gui
