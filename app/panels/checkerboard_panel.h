// Checkerboard tab (Odena, Dumoulin and Olah, "Deconvolution and Checkerboard
// Artifacts", Distill 2016): how many kernel taps reach each output of a transposed
// convolution, in 1-D and 2-D, for one layer and a stack; and what each kind of
// upsampling layer draws at initialisation, before any training.
#pragma once

#include <vector>

#include "analysis/checkerboard.h"
#include "gl/texture.h"
#include "panels/panel.h"
#include "widgets/zoom_view.h"

namespace ganvas::gui {

// upsampler_name in the window's language (the Learned upsampling tab shares it).
const char* upsampler_title(UpsamplerKind kind);

class CheckerboardPanel : public Panel {
public:
    const char* title() const override { return "Checkerboard"; }
    void draw(PanelContext& ctx) override;

private:
    void load_settings(Settings& settings);
    void recompute();
    void draw_overlap_controls(Settings& settings);
    void draw_overlap(float height);
    void draw_init_controls(Settings& settings);
    void draw_init(float height);

    bool settings_loaded_ = false, dirty_ = true;
    // Overlap: one transposed convolution's geometry and the stack's depth.
    int kernel_ = 3, stride_ = 2, padding_ = 0, layers_ = 2, length_ = 8;
    // At initialisation: 2x layers of each kind on a constant or noise input.
    int init_layers_ = 3, init_kernel_ = 3, seed_ = 1;
    bool noise_input_ = false;

    std::vector<float> one_1d_, stack_1d_;
    float one_max_ = 1, stack_max_ = 1;
    gl::Texture one_2d_, stack_2d_;
    std::vector<gl::Texture> init_tex_, init_spectrum_tex_;
    ZoomLink overlap_link_, init_link_, spectrum_link_;
    std::string error_;
};

}  // namespace ganvas::gui
