// Learned upsampling tab: the same small 2x super-resolution network, once per kind
// of upsampling layer, trained live side by side on the dataset (images shrunk
// 28 -> 14 and grown back), with their validation PSNR curves on one plot. The
// race trains on its own worker (core), paused while the tab is hidden unless pinned.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "gl/texture.h"
#include "panels/panel.h"
#include "train/upsampler_race.h"
#include "widgets/plot.h"
#include "widgets/zoom_view.h"

namespace ganvas::gui {

class LearnedUpsamplingPanel : public Panel {
public:
    const char* title() const override { return "Learned upsampling"; }
    void draw(PanelContext& ctx) override;
    void set_shown(bool shown) override;

private:
    void start(PanelContext& ctx);
    void upload(const RaceSnapshot& s);
    void draw_images(float width, float height);
    void draw_curves(PanelContext& ctx, ImVec2 size);

    std::unique_ptr<UpsamplerRace> race_;
    std::shared_ptr<const RaceSnapshot> shown_;  // keeps the plotted vectors alive
    std::string error_;
    bool started_once_ = false;
    bool tab_shown_ = true, pinned_ = false;  // kept for the race a Restart makes
    gl::Texture low_tex_, high_tex_;
    std::vector<gl::Texture> out_tex_;
    ZoomLink link_;
    Plot plot_;
};

}  // namespace ganvas::gui
