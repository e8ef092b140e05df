// Model tab: every network's layers as a tree table (type, output shape,
// parameters and their share) with each layer's parameter and gradient norms
// over training, and larger charts of the selected layer's tensors.
#pragma once

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "panels/panel.h"
#include "widgets/table_layer_norms.h"

namespace ganvas::gui {

class ModelPanel : public Panel {
public:
    const char* title() const override { return "Model"; }
    void draw(PanelContext& ctx) override;

private:
    // A layer's norms (its tensors and its children's taken together), kept
    // until a new snapshot brings new histories.
    struct LayerNorms {
        std::vector<float> param, grad, ratio;  // one per history row
        SparkSeries param_plot, grad_plot;
    };

    void refresh(const TrainerSnapshot& s, bool log_scale);
    void draw_summary(PanelContext& ctx, const std::vector<LayerRow>& layers);
    void draw_table(PanelContext& ctx, const std::vector<LayerRow>& layers, float height);
    size_t draw_subtree(const std::vector<LayerRow>& layers, size_t i, int64_t total);
    std::string row_label(const LayerRow& row) const;
    float name_column_width(const std::vector<LayerRow>& layers) const;
    void draw_cells(const LayerRow& row, size_t i, int64_t total);
    void draw_details(PanelContext& ctx, const std::vector<LayerRow>& layers);
    void draw_tensor_charts(const std::string& label, const std::vector<float>& param,
                            const std::vector<float>& grad, float height);

    // What the cache was built from; held so the pointers cannot be reused.
    std::shared_ptr<const std::vector<LayerRow>> layers_;
    std::shared_ptr<const MetricHistory> params_, grads_;
    bool log_scale_ = false;
    std::vector<LayerNorms> norms_;  // parallel to *layers_

    std::string model_name_;                     // names D "critic" for a WGAN
    std::map<std::string, std::string> fields_;  // receptive field by row name
    std::string selected_;                       // a LayerRow name; "" for none
    bool selection_loaded_ = false;
};

}  // namespace ganvas::gui
