// Samples tab: the 8x8 grid of samples from the fixed noise, scrubbed back
// through training; one sample enlarged; a latent walk between two samples
// rendered by the live generator; PNG and evolution-GIF export.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>

#include <imgui.h>

#include "gl/texture.h"
#include "panels/class_rows.h"
#include "panels/panel.h"
#include "widgets/evolution_gif.h"

namespace ganvas::gui {

class SamplesPanel : public Panel {
public:
    const char* title() const override { return "Samples"; }
    void draw(PanelContext& ctx) override;

private:
    using Clock = std::chrono::steady_clock;

    void load_settings(const Settings& settings);
    const SampleFrame* choose_frame(const TrainerSnapshot& s);  // follow / scrub / play
    void draw_toolbar(PanelContext& ctx);
    void draw_grid(PanelContext& ctx);
    void draw_cell_menu(PanelContext& ctx);
    void draw_side(PanelContext& ctx, float width);
    void draw_enlarged(PanelContext& ctx, float width);
    void draw_interpolation(PanelContext& ctx, float width);
    void update_interpolation(PanelContext& ctx);
    void draw_export(PanelContext& ctx);
    // Texture coordinates of cell `index` of the grid texture.
    void cell_uv(int index, ImVec2* uv0, ImVec2* uv1) const;

    bool settings_loaded_ = false;

    // Which saved grid is shown. Steps, not indices, survive the trainer thinning old grids.
    // Following is not persisted: a new run should always open on its newest grid.
    bool follow_latest_ = true;
    bool playing_ = false;
    int64_t shown_step_ = 0;
    size_t shown_index_ = 0;
    Clock::time_point play_tick_;
    float play_fps_ = 8;
    bool whole_pixels_ = false;

    // The grid texture and the frame it was made from (kept alive so identity is safe).
    std::shared_ptr<const SampleFrame> grid_frame_;
    gl::Texture grid_texture_;
    std::string grid_error_;
    int grid_count_ = 0, grid_cols_ = 8, cell_ = 28;
    static constexpr int kPadding = 2;

    int selected_ = -1;      // enlarged sample
    int context_cell_ = -1;  // the cell the right-click menu is about

    // Latent walk from sample A to sample B.
    int a_ = 0, b_ = 1, walk_steps_ = 10;
    bool spherical_ = true;
    struct WalkKey {
        Tensor noise;  // held, so comparing identity is safe
        int a = -1, b = -1, steps = 0;
        bool spherical = false;
        bool operator==(const WalkKey& o) const {
            return noise.same(o.noise) && a == o.a && b == o.b && steps == o.steps &&
                   spherical == o.spherical;
        }
    };
    WalkKey shown_walk_, pending_walk_;
    uint64_t pending_request_ = 0;
    Clock::time_point last_request_{};
    std::shared_ptr<const SampleFrame> walk_frame_;
    gl::Texture walk_texture_;
    std::string walk_error_;

    // A conditional generator's class rows and class picker.
    ClassRows class_rows_;
    ClassPicker class_picker_;

    // Export.
    char png_path_[512] = "exports/samples.png";
    char gif_path_[512] = "exports/evolution.gif";
    int gif_delay_cs_ = 8;
    GifExportJob gif_job_;
    std::string export_message_;
    bool export_is_error_ = false;
};

}  // namespace ganvas::gui
