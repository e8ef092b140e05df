#include "panels/gan_lab_js.h"

#include <imgui.h>

#include <cmath>

#include "analysis/js_divergence.h"
#include "i18n/tr.h"

namespace ganvas::gui {

void JsCurve::observe(const ToyLabSnapshot& s) {
    if (s.version == seen_version_) return;
    seen_version_ = s.version;
    if (s.dim != 1 || s.p_data.empty() || s.kde_fake.size() != s.p_data.size()) return;
    // A reset or a new configuration starts the count again: so does the curve.
    if (!steps_.empty() && s.d_updates < steps_.back()) {
        steps_.clear();
        js_.clear();
    }
    if (!steps_.empty() && s.d_updates == steps_.back()) return;
    try {
        js_.push_back(static_cast<float>(js_divergence(s.p_data, s.kde_fake)));
        steps_.push_back(s.d_updates);
    } catch (const std::invalid_argument&) {
        // A generator collapsed off the grid has no density there: no point to draw.
    }
}

void JsCurve::draw(PanelContext& ctx, const ToyLabSnapshot& s, ImVec2 size) {
    PlotOptions o;
    o.scale = ctx.ui_scale;
    o.references = {{std::log(2.0), "ln 2"}};
    // The why, in the lesson mode_collapse_wgan: the minimax loss measures JS.
    o.help = tr("JS(p_data, p_g) in nats: ln 2 once they stop overlapping, however far apart.");
    static const std::vector<float> none;
    const std::vector<float>* w1 = s.wasserstein ? s.wasserstein->column("W1 exact") : nullptr;
    std::vector<PlotSeries> series = {
        {"JS",
         IM_COL32(120, 220, 230, 255),
         steps_,
         {},
         js_,
         false,
         tr("JS(p_data, p_g): saturates at ln 2 on disjoint supports.")},
        {"W1 exact",
         IM_COL32(240, 220, 120, 255),
         s.wasserstein ? std::span<const int64_t>(s.wasserstein->steps)
                       : std::span<const int64_t>(),
         {},
         w1 ? *w1 : none,
         true,
         tr("The exact Wasserstein-1 distance: keeps shrinking.")},
    };
    plot_.draw(tr("Jensen-Shannon vs W1"), series, o, size);
}

}  // namespace ganvas::gui
