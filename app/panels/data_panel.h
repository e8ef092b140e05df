// Data tab: the training set as pages of an image grid, filtered by class,
// with each image's index and label on hover, a click to enlarge, and the
// class histogram of the whole dataset.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include <imgui.h>

#include "gl/texture.h"
#include "panels/panel.h"

namespace ganvas::gui {

class DataPanel : public Panel {
public:
    const char* title() const override { return "Data"; }
    void draw(PanelContext& ctx) override;

private:
    void load_settings(Settings& settings);
    void adopt(const std::shared_ptr<const ImageDataset>& dataset);
    void set_filter(Settings& settings, int64_t label);
    void set_page(Settings& settings, int64_t page);
    void select(Settings& settings, int64_t index);
    std::string class_name(int64_t label) const;
    std::string describe(int64_t index) const;  // "#12,345 · 3 Dress"

    void draw_header(PanelContext& ctx);
    void draw_controls(PanelContext& ctx);
    void draw_grid(PanelContext& ctx, float side);
    // Screen position of a page slot's top-left corner, for a grid drawn at `origin`, `scale`x.
    ImVec2 cell_origin(ImVec2 origin, float scale, int64_t slot) const;
    void draw_captions(ImVec2 origin, float scale, int64_t count);
    void draw_selected(PanelContext& ctx, float width);
    void draw_histogram(PanelContext& ctx);
    void upload_page();

    int64_t per_page() const { return static_cast<int64_t>(side_) * side_; }

    // The dataset shown, held so its tensors (and the identity in the keys below) live on.
    std::shared_ptr<const ImageDataset> dataset_;
    std::vector<int64_t> labels_;  // empty without labels
    std::vector<int64_t> counts_;  // per class, for the histogram
    std::vector<int64_t> shown_;   // dataset indices the filter keeps, in order

    // View choices, persisted as data.*.
    bool settings_loaded_ = false;
    int side_ = 10;        // the grid is side_ x side_ images
    int64_t filter_ = -1;  // a label, or kAllClasses
    int64_t page_ = 0;
    bool captions_ = true;
    int64_t selected_ = -1;  // dataset index shown enlarged; -1: none
    int goto_index_ = 0;

    // The uploaded page grid and what it shows: re-uploaded only when this changes.
    struct GridKey {
        const void* images = nullptr;
        int64_t filter = 0, page = -1;
        int side = 0;
        bool operator==(const GridKey&) const = default;
    };
    gl::Texture grid_;
    GridKey grid_key_;
    gl::Texture enlarged_;
    const void* enlarged_images_ = nullptr;
    int64_t enlarged_index_ = -1;
};

}  // namespace ganvas::gui
