// Perceptron tab: a single neuron on labelled 2-D points. Sliders set w1, w2
// and the threshold T (shown as the bias b = -T) and the decision boundary
// w1 x1 + w2 x2 = T moves as you drag; "no bias" pins it to the origin and marks
// the points no line through the origin can separate; the perceptron rule runs
// one update at a time (Step) or a few per second (Run), ringing the point used.
#pragma once

#include <string>
#include <vector>

#include "analysis/perceptron.h"
#include "panels/panel.h"

namespace ganvas::gui {

class PerceptronPanel : public Panel {
public:
    PerceptronPanel();
    const char* title() const override { return "Perceptron"; }
    void draw(PanelContext& ctx) override;
    bool transport(Transport t) override;
    int updates() const { return updates_; }
    bool running() const { return running_; }

private:
    void load_points(const std::string& name);
    void learn_step();

    std::string set_name_;
    std::vector<LabelledPoint> points_;
    Perceptron p_;
    OriginLine origin_best_;
    int next_ = 0;  // where the rule's scan starts
    int last_used_ = -1;
    int updates_ = 0;
    bool converged_ = false;
    bool running_ = false;
    double last_run_step_ = 0;
    float lr_ = 0.2f;
};

}  // namespace ganvas::gui
