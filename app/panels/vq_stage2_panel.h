// VQ Stage 2 tab: the transformer prior over a VQGAN's 7x7 code grid. It writes
// images code by code in raster order (each new code's decoded patch appears in
// place) with the top candidates at the current position as a bar chart;
// temperature, top-k and top-p; completion of a real image from its top rows of
// codes; and the held-out negative log-likelihood in bits per code while the
// prior trains. Without a vqgan28 at hand the tab trains stage 1 itself (EMA
// codebook, dead-code restarts) into the config folder. All work runs on
// PriorLab's worker, paused while the tab is hidden unless pinned.
#pragma once

#include <memory>
#include <string>

#include "gl/texture.h"
#include "panels/panel.h"
#include "train/prior_lab.h"
#include "widgets/plot.h"

namespace ganvas::gui {

class VqStage2Panel : public Panel {
public:
    const char* title() const override { return "VQ Stage 2"; }
    void draw(PanelContext& ctx) override;
    void set_shown(bool shown) override;

private:
    void load_settings(Settings& settings);
    void draw_setup(PanelContext& ctx, const PriorLab::State& s);
    void draw_stage1(PanelContext& ctx, const PriorLab::State& s);
    void draw_sampling(PanelContext& ctx, const PriorLab::State& s);
    void draw_grids(PanelContext& ctx, const PriorLab::State& s, float width);
    void draw_candidates(const PriorLab::State& s, float width);
    void draw_nll(PanelContext& ctx, const PriorLab::State& s, float height);
    SamplingOptions options() const;
    static std::string stage1_folder();  // where Train stage 1 saves: the config folder's vqgan28/

    std::unique_ptr<PriorLab> lab_;
    bool settings_loaded_ = false, auto_started_ = false, auto_generated_ = false;
    bool load_pending_ = false;      // a load asked for and not yet ready or failed
    bool shown_ = true;              // the lab is made on first draw: it takes this then
    std::string stage1_checkpoint_;  // where a stage 1 trained here is being written
    int stage1_steps_ = 400;
    char vq_path_[512] = "runs/vqgan28/checkpoint.safetensors";
    char prior_path_[512] = "runs/prior49/checkpoint.safetensors";
    float temperature_ = 1.0f, top_p_ = 1.0f, codes_per_s_ = 10.0f;
    int top_k_ = 0, seed_ = 0, keep_rows_ = 3, image_index_ = 0;

    int64_t uploaded_version_ = -1;
    gl::Texture grid_texture_, source_texture_;
    Plot nll_plot_;
};

}  // namespace ganvas::gui
