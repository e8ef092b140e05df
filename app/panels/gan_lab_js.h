// The GAN Lab's Jensen-Shannon curve (1-D data): JS(p_data, p_g) between the
// data's density and the generator's kernel estimate, recorded over training
// and drawn beside the exact W1. On disjoint supports JS sits at ln 2 however
// far apart the two are, while W1 keeps shrinking as they approach: why the
// minimax generator gets no signal there and a WGAN's does.
#pragma once

#include <cstdint>
#include <vector>

#include "panels/panel.h"
#include "train/toy_lab.h"
#include "widgets/plot.h"

namespace ganvas::gui {

class JsCurve {
public:
    // Records JS at the snapshot's D step if it is new; starts over after a reset.
    void observe(const ToyLabSnapshot& s);
    // The JS curve with the exact W1's on one plot, and ln 2 marked.
    void draw(PanelContext& ctx, const ToyLabSnapshot& s, ImVec2 size);
    const std::vector<float>& values() const { return js_; }

private:
    std::vector<int64_t> steps_;
    std::vector<float> js_;
    uint64_t seen_version_ = 0;
    Plot plot_;
};

}  // namespace ganvas::gui
