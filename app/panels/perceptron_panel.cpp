#include "panels/perceptron_panel.h"

#include <imgui.h>

#include <algorithm>
#include <cmath>

#include "gui/theme.h"
#include "i18n/tr.h"
#include "widgets/tooltip.h"
#include "widgets/toy_plane.h"

namespace ganvas::gui {
namespace {

const ImU32 kPositive = IM_COL32(110, 220, 140, 255);
const ImU32 kNegative = IM_COL32(200, 120, 255, 255);

}  // namespace

PerceptronPanel::PerceptronPanel() {
    load_points("needs_bias");
}

void PerceptronPanel::load_points(const std::string& name) {
    set_name_ = name;
    points_ = perceptron_points(name);
    origin_best_ = best_origin_line(points_);
    p_ = Perceptron{0.5f, -0.3f, 0.0f, p_.use_bias};
    next_ = 0, last_used_ = -1, updates_ = 0;
    converged_ = false, running_ = false;
}

void PerceptronPanel::learn_step() {
    const int used = perceptron_step(p_, points_, next_, lr_);
    last_used_ = used;
    converged_ = used < 0;
    if (used >= 0) {
        next_ = used + 1;
        ++updates_;
    } else {
        running_ = false;
    }
}

bool PerceptronPanel::transport(Transport t) {
    switch (t) {
        case Transport::RunPause:
            running_ = !running_;
            last_run_step_ = ImGui::GetTime();
            break;
        case Transport::Step:
            learn_step();
            break;
        case Transport::Reset:
            load_points(set_name_);
            break;
    }
    return true;
}

namespace {

// A point set as the combo shows it; settings and lessons keep its identifier.
const char* point_set_label(const std::string& name) {
    if (name == "needs_bias") return tr("needs a bias");
    if (name == "origin") return tr("through the origin");
    if (name == "xor") return tr("XOR (not separable)");
    return name.c_str();
}

}  // namespace

void PerceptronPanel::draw(PanelContext& ctx) {
    const float scale = ctx.ui_scale;
    const std::string wanted = ctx.settings.text("perceptron.set", "needs_bias");
    if (wanted != set_name_) {
        try {
            load_points(wanted);
        } catch (const std::exception&) {
            ctx.settings.set_text("perceptron.set", set_name_);  // a hand-edited bad name
        }
    }
    if (running_ && ImGui::GetTime() - last_run_step_ > 0.25) {
        learn_step();
        last_run_step_ = ImGui::GetTime();
    }
    ctx.animating |= running_;

    ImGui::BeginChild("perceptron_controls", ImVec2(std::round(330 * scale), 0), true);
    ImGui::PushItemWidth(std::round(170 * scale));
    if (ImGui::BeginCombo(tr("points"), point_set_label(set_name_))) {
        for (const std::string& name : perceptron_point_sets())
            if (ImGui::Selectable(point_set_label(name), name == set_name_))
                ctx.settings.set_text("perceptron.set", name);
        ImGui::EndCombo();
    }
    item_tooltip(tr(
        "needs a bias: both classes lie up and to the right of the origin, one behind the other: "
        "a boundary through the origin always cuts one of them; a threshold separates them. "
        "through the origin: separable by a line through the origin. XOR: no line separates "
        "them, so the rule never stops."));
    ImGui::Spacing();
    ImGui::TextWrapped("%s", tr("The neuron fires (class +1, green) when w1 x1 + w2 x2 >= T."));
    bool edited = ImGui::SliderFloat("w1", &p_.w1, -3, 3, "%.2f");
    item_tooltip(tr("Weight of x1: with w2 it sets the boundary's direction (w is its normal)."));
    edited |= ImGui::SliderFloat("w2", &p_.w2, -3, 3, "%.2f");
    item_tooltip(tr("Weight of x2."));
    float threshold = p_.b == 0 ? 0.0f : -p_.b;  // no "-0.00"
    ImGui::BeginDisabled(!p_.use_bias);
    if (ImGui::SliderFloat(tr("threshold T"), &threshold, -6, 6, "%.2f")) {
        p_.b = -threshold;
        edited = true;
    }
    ImGui::EndDisabled();
    item_tooltip(
        tr("The firing threshold. Moving it slides the boundary along w without turning "
           "it. Written as a bias b = -T, the neuron computes w . x + b >= 0: the bias is "
           "the weight of a constant input 1."));
    ImGui::Text(tr("bias b = -T = %.2f"), p_.use_bias && p_.b != 0 ? p_.b : 0.0f);
    bool no_bias = ctx.settings.number("perceptron.no_bias", 0) != 0;
    if (ImGui::Checkbox(tr("no bias (boundary through the origin)"), &no_bias)) {
        ctx.settings.set_number("perceptron.no_bias", no_bias ? 1 : 0);
        edited = true;
    }
    p_.use_bias = !no_bias;
    item_tooltip(
        tr("Without a bias every boundary passes through (0, 0). Crossed points are those "
           "that even the best line through the origin misclassifies."));
    if (edited) converged_ = false, last_used_ = -1;

    ImGui::Spacing();
    ImGui::TextDisabled("%s", tr("Perceptron rule"));
    ImGui::Separator();
    ImGui::SliderFloat(tr("learning rate"), &lr_, 0.01f, 1.0f, "%.2f",
                       ImGuiSliderFlags_Logarithmic);
    item_tooltip(
        tr("For a misclassified point x with label y: w += lr y x, and b += lr y with a "
           "bias. It converges whenever the data are separable (Novikoff, 1962)."));
    if (ImGui::Button(tr("Step"))) learn_step();
    item_tooltip(tr("One update from the next misclassified point (ringed in yellow)."));
    ImGui::SameLine();
    if (ImGui::Button(running_ ? tr("Stop") : tr("Run"))) transport(Transport::RunPause);
    ImGui::SameLine();
    if (ImGui::Button(tr("Reset"))) load_points(set_name_);
    const double acc = accuracy(p_, points_);
    ImGui::Text(tr("accuracy %.0f%%   updates %d"), 100 * acc, updates_);
    if (converged_)
        ImGui::TextColored(tone_colour(Tone::ok), "%s", tr("converged: every point is right"));
    if (!p_.use_bias)
        ImGui::TextWrapped(tr("Through the origin at best %zu of %zu points stay wrong (crossed)."),
                           origin_best_.wrong.size(), points_.size());
    ImGui::PopItemWidth();
    ImGui::EndChild();
    ImGui::SameLine();

    // The legend above the plane, wrapped to the room beside the controls: drawn on
    // the plane it ran past the window's edge at 1024x768 in presentation mode.
    ImGui::BeginGroup();
    text_wrapped(tr("w (yellow) is the boundary's normal; red rings: misclassified"));
    // The plane: half-planes shaded by the prediction, the boundary, w from the origin.
    const ImVec2 avail = ImGui::GetContentRegionAvail();
    const float side = std::max(100.0f, std::min(avail.x, avail.y));
    ToyPlane plane = ToyPlane::place(side, -3.5f, 3.5f);
    const int n = 48;
    std::vector<float> field(size_t(n) * n);
    for (int j = 0; j < n; ++j)
        for (int i = 0; i < n; ++i) {
            const float x = -3.5f + 7.0f * (i + 0.5f) / n, y = -3.5f + 7.0f * (j + 0.5f) / n;
            field[size_t(j) * n + i] = p_.predict(x, y) > 0 ? 0.68f : 0.32f;
        }
    plane.heatmap(field, n, true);
    ImDrawList* dl = ImGui::GetWindowDrawList();
    dl->PushClipRect(plane.p0, plane.p1, true);
    dl->AddLine(plane.to_screen(-3.5f, 0), plane.to_screen(3.5f, 0), IM_COL32(120, 120, 130, 120));
    dl->AddLine(plane.to_screen(0, -3.5f), plane.to_screen(0, 3.5f), IM_COL32(120, 120, 130, 120));
    const float b = p_.use_bias ? p_.b : 0.0f, norm2 = p_.w1 * p_.w1 + p_.w2 * p_.w2;
    if (norm2 > 1e-12f) {
        // The boundary: the point of it nearest the origin, -b w / |w|^2, plus a long span along
        // it.
        const float cx = -b * p_.w1 / norm2, cy = -b * p_.w2 / norm2, len = 20 / std::sqrt(norm2);
        dl->AddLine(plane.to_screen(cx - p_.w2 * len, cy + p_.w1 * len),
                    plane.to_screen(cx + p_.w2 * len, cy - p_.w1 * len),
                    IM_COL32(250, 250, 250, 230), 2.0f * scale);
        dl->AddLine(plane.to_screen(0, 0), plane.to_screen(p_.w1, p_.w2),
                    IM_COL32(255, 200, 90, 255), 2.0f * scale);
        dl->AddCircleFilled(plane.to_screen(p_.w1, p_.w2), 3.5f * scale,
                            IM_COL32(255, 200, 90, 255));
    }
    for (size_t i = 0; i < points_.size(); ++i) {
        const LabelledPoint& q = points_[i];
        const ImVec2 s = plane.to_screen(q.x, q.y);
        dl->AddCircleFilled(s, 4.5f * scale, q.label > 0 ? kPositive : kNegative, 12);
        if (misclassified(p_, q))
            dl->AddCircle(s, 7.5f * scale, IM_COL32(255, 80, 80, 255), 16, 1.5f);
        if (static_cast<int>(i) == last_used_)
            dl->AddCircle(s, 11 * scale, IM_COL32(255, 230, 60, 255), 20, 2.5f * scale);
    }
    if (!p_.use_bias)
        for (int i : origin_best_.wrong) {
            const ImVec2 s = plane.to_screen(points_[i].x, points_[i].y);
            const float r = 6 * scale;
            dl->AddLine(ImVec2(s.x - r, s.y - r), ImVec2(s.x + r, s.y + r),
                        IM_COL32(255, 255, 255, 220), 2);
            dl->AddLine(ImVec2(s.x - r, s.y + r), ImVec2(s.x + r, s.y - r),
                        IM_COL32(255, 255, 255, 220), 2);
        }
    dl->PopClipRect();
    ImGui::EndGroup();
}

GANVAS_REGISTER_PANEL(PerceptronPanel, 60, "Perceptron");

}  // namespace ganvas::gui
