// VQ Stage 1 tab: what a vqgan28 autoencoder has learned, from the snapshot's
// model views (Vqgan28::views) and metrics.
//
// Left: fixed images of the data beside their reconstructions and code maps (a
// colour per code; hovering a cell names its code and shows the patch that code
// decodes to), and a 2-D PCA of the codebook with the encoder outputs around it.
// Right: the codebook usage histogram, perplexity / used and dead codes over time.
// Bottom: each loss term on its own plot (reconstruction, codebook, commitment,
// GAN with the discriminator's loss, and the adaptive weight lambda).
#pragma once

#include <array>
#include <memory>
#include <vector>

#include <imgui.h>

#include "gl/texture.h"
#include "panels/panel.h"
#include "widgets/plot.h"

namespace ganvas::gui {

// A colour per code, far apart for neighbouring indices (golden-ratio hues).
ImU32 code_colour(int64_t code, int alpha = 255);

class VqStage1Panel : public Panel {
public:
    const char* title() const override { return "VQ Stage 1"; }
    void draw(PanelContext& ctx) override;

private:
    void upload(const ModelViews& views);
    // Without a vqgan28 session: what this tab shows, and a button that starts one.
    void draw_other_model(PanelContext& ctx);
    void draw_images(PanelContext& ctx, float width);
    void draw_code_map(PanelContext& ctx, int image, float size);
    void draw_code_tooltip(int64_t code, int row, int col);
    void draw_usage(PanelContext& ctx, float width, float height);
    void draw_pca(PanelContext& ctx, float width, float height);
    void draw_plots(PanelContext& ctx, float width, float height);
    void draw_time_plots(PanelContext& ctx, float width, float height);

    std::shared_ptr<const ModelViews> views_;  // what the textures show
    std::shared_ptr<const MetricHistory> metrics_;
    Tensor codes_, code_ids_, codebook_pca_, encoder_pca_, usage_, steps_unused_;
    std::vector<gl::Texture> originals_, reconstructions_, code_images_;
    int hovered_image_ = -1, hovered_row_ = -1, hovered_col_ = -1;  // last frame's code-map cell
    bool sort_usage_ = false;
    bool settings_loaded_ = false;
    std::array<Plot, 7> plots_;
};

}  // namespace ganvas::gui
