// GAN Lab tab: a toy GAN trained live on 1-D or 2-D data (core/train/toy_lab.h),
// in the spirit of Kahng et al.'s GAN Lab. The "Data space" view shows real and
// generated samples over the discriminator's probability (or the critic's value)
// as a heatmap, the generator's warped latent grid and where G's loss pushes
// each generated point; 1-D data shows p_data, p_g and D(x) on one axis, as
// Goodfellow et al.'s figure 1. The "Wasserstein" view sets the exact W1 (an
// optimal assignment, drawn as lines) beside the critic's estimate and its
// Lipschitz constant: the Kantorovich-Rubinstein duality made visible.
// The lab trains on its own worker (core), paused while the tab is hidden unless
// pinned; the window's own session is not touched.
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "panels/gan_lab_js.h"
#include "panels/panel.h"
#include "train/toy_lab.h"
#include "widgets/plot.h"

namespace ganvas::gui {

class GanLabPanel : public Panel {
public:
    // `lab_spec` as parse_toy_lab_spec (`ganvas --lab`); empty: the default lab, paused.
    explicit GanLabPanel(const std::string& lab_spec = "");
    const char* title() const override { return "GAN Lab"; }
    void draw(PanelContext& ctx) override;
    void set_shown(bool shown) override;
    bool transport(Transport t) override;

private:
    void draw_controls(PanelContext& ctx, const ToyLabSnapshot& s);
    void draw_field(PanelContext& ctx, const ToyLabSnapshot& s);
    void draw_plane(PanelContext& ctx, const ToyLabSnapshot& s, float side, bool transport);
    void draw_density(PanelContext& ctx, const ToyLabSnapshot& s, ImVec2 size);
    // The two loss plots filling `size`: one above the other, or with `across` side by side.
    void draw_losses(PanelContext& ctx, const ToyLabSnapshot& s, ImVec2 size, bool across = false);
    void draw_wasserstein(PanelContext& ctx, const ToyLabSnapshot& s);
    // A slider whose value is sent when released: true then, with the value in `out`.
    bool slider_int(const char* label, int current, int lo, int hi, int* out);
    bool slider_log(const char* label, double current, double lo, double hi, double* out);
    void reconfigure(const ToyLabSnapshot& s, const std::function<void(ToyLabConfig&)>& change);

    std::unique_ptr<ToyLab> lab_;
    int64_t target_steps_ = 0;  // from --lab steps=: the screenshot waits for them
    std::string first_view_;    // from --lab view=
    bool view_chosen_ = false;
    std::map<std::string, double> pending_;  // slider values while dragged
    bool drawing_ = false;
    std::vector<Point2> drawn_;
    int delay_ms_ = 0;
    Plot loss_d_, loss_g_, density_, w1_plot_, lipschitz_plot_;
    JsCurve js_;  // 1-D data: Jensen-Shannon beside W1
    std::vector<double> xs_;
    std::vector<float> bound_;  // critic estimate / Lipschitz, per W1 row
    std::string spec_error_;
};

}  // namespace ganvas::gui
