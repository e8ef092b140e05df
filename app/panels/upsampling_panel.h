// Upsampling tab: every interpolation mode on one image side by side, with linked
// zoom and pan, a pixel grid when zoomed in, each result's 2-D spectrum, a round-trip
// mode scored by PSNR and SSIM, and a line profile through one row.
#pragma once

#include <array>
#include <future>
#include <memory>
#include <string>
#include <vector>

#include "analysis/upsample_comparison.h"
#include "gl/texture.h"
#include "panels/panel.h"
#include "widgets/plot.h"
#include "widgets/zoom_view.h"

namespace ganvas::gui {

class UpsamplingPanel : public Panel {
public:
    const char* title() const override { return "Upsampling"; }
    void draw(PanelContext& ctx) override;

private:
    void load_settings(Settings& settings);
    void draw_source(PanelContext& ctx);
    void draw_options(PanelContext& ctx);
    void draw_views(PanelContext& ctx, float height);
    void draw_profile(PanelContext& ctx, float height);
    void load_source(PanelContext& ctx);  // source_ -> image_, or error_
    void start_job();                     // image_ and options -> a background comparison
    void adopt_results();                 // a finished job -> result_ and textures

    // View choices, persisted as upsampling.*
    bool settings_loaded_ = false;
    std::string source_;  // "asset:NAME", "dataset:INDEX" or "file:PATH"
    float scale_ = 4.0f;
    bool round_trip_ = false;
    bool align_corners_ = false;
    bool show_spectrum_ = true;
    float profile_row_ = 0.5f;  // normalised height of the profiled row

    std::array<char, 512> path_buf_{};
    int dataset_index_ = 0;
    std::vector<std::string> assets_;  // image files in assets/
    Tensor image_;                     // (1, C, H, W) the picked image
    std::string error_;
    bool source_dirty_ = true, job_dirty_ = true;

    std::future<std::shared_ptr<const UpsampleComparison>> job_;
    std::shared_ptr<const UpsampleComparison> result_;
    gl::Texture input_tex_, original_spectrum_tex_;
    std::vector<gl::Texture> view_tex_, spectrum_tex_;
    ZoomLink image_link_, spectrum_link_;

    Plot profile_plot_;
    std::vector<std::vector<double>> profile_x_;
    std::vector<std::vector<float>> profile_y_;
};

}  // namespace ganvas::gui
