// Receptive Field tab: the session model's layers as a column of feature-map
// grids, read from the model itself. Hover or click a unit at any layer and its
// field lights up on the input (the image the network sees, padding drawn as
// padding) and on every layer in between; beside it the unit's effective
// receptive field, untrained against trained, and the sqrt(depth) experiment.
#pragma once

#include <string>
#include <vector>

#include "analysis/receptive_field.h"
#include "gl/texture.h"
#include "panels/erf_section.h"
#include "panels/panel.h"

namespace ganvas::gui {

class ReceptiveFieldPanel : public Panel {
public:
    const char* title() const override { return "Receptive Field"; }
    void draw(PanelContext& ctx) override;

private:
    // A feature map drawn as a grid: the input (layer -1) or a layer's output.
    struct Node {
        int layer = -1;
        rf::Pair size{1, 1};
        int margin = 0;  // cells of padding drawn around it
    };
    struct Unit {
        int node = -1;  // index into nodes_; -1: none
        int64_t row = 0, col = 0;
        bool operator==(const Unit& o) const {
            return node == o.node && row == o.row && col == o.col;
        }
    };

    void rebuild(PanelContext& ctx);
    void choose_network(PanelContext& ctx, int index);
    void draw_toolbar(PanelContext& ctx);
    void draw_layers(PanelContext& ctx);
    void draw_node(PanelContext& ctx, size_t index, float width, const Unit& active);
    void draw_selection(PanelContext& ctx, const Unit& active, float width);
    void update_texture(PanelContext& ctx);
    std::string node_label(const Node& n) const;

    std::string model_;  // what nets_ were read from
    std::vector<rf::Network> nets_;
    std::vector<bool> reads_images_;
    std::string error_;
    int net_ = 0;
    std::vector<rf::LayerField> fields_;  // of nets_[net_]
    std::vector<Node> nodes_;
    std::vector<std::string> dense_notes_;  // "D.fc": dense layers, which see everything

    Unit hovered_, pinned_;
    gl::Texture texture_;
    std::string texture_key_;
    int texture_node_ = -1;  // which node the image lies under
    ErfSection erf_;
};

}  // namespace ganvas::gui
