// Losses tab: training curves from the snapshot's MetricHistory.
//
// The plots follow the columns present, not the model's name (losses_layout.h
// decides which plot each column joins and its colour): "Losses" (every column
// named loss*, with the ln 4 / ln 2 lines when the model reports a minimax
// discriminator's D(x)), "Discriminator outputs" (D(x), D(G(z)) with the ½
// equilibrium line), a WGAN critic's Wasserstein estimate and input-gradient
// norm (with the target line at 1 when there is a gradient penalty), a VQGAN's
// adversarial terms with their weight λ and its codebook usage, an "FFD" plot once
// FFD has been measured, and any other column (a classifier's accuracy, ...)
// in a last plot, so a model with new statistics shows them without a change
// here. A toolbar sets the smoothing and log-y (persisted) and exports all
// columns as CSV.
#pragma once

#include <array>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "i18n/tr.h"
#include "panels/panel.h"
#include "widgets/plot.h"

namespace ganvas::gui {

class LossesPanel : public Panel {
public:
    LossesPanel() = default;
    LossesPanel(const LossesPanel&) = delete;  // groups_ point at this panel's plots
    LossesPanel& operator=(const LossesPanel&) = delete;
    const char* title() const override { return "Losses"; }
    void draw(PanelContext& ctx) override;

    // Writes every metric column of the history last drawn to `path` as CSV
    // (what the Export CSV button does); false, with the reason in
    // export_message(), when it cannot.
    bool export_csv(const std::string& path);
    const std::string& export_message() const { return export_message_; }

    // One plot of the tab: which series, with which reference lines.
    struct Group {
        std::string title;
        std::vector<PlotSeries> series;  // spans into metrics_
        float weight = 1;                // share of the height
        bool y_include = false;          // a fitted y range keeps [0, 1] in view
        bool log_allowed = true;
        std::vector<ReferenceLine> references;
        std::string help;
        Plot* plot = nullptr;
    };
    // The plots chosen for the history last drawn.
    const std::vector<Group>& groups() const { return groups_; }

private:
    void rebuild();
    void draw_toolbar(PanelContext& ctx);
    void draw_empty(const TrainerSnapshot& snapshot);

    // Held, not just borrowed, so the spans in groups_ and the plots' caches
    // (keyed by the data's address) stay valid until the next history arrives.
    std::shared_ptr<const MetricHistory> metrics_;
    std::vector<Group> groups_;
    i18n::Language language_ = i18n::Language::English;  // of the groups' titles and help
    std::map<std::string, Plot> plots_;  // by the plot's id (losses_layout.h); nodes stay put
    std::array<char, 512> export_path_{"exports/metrics.csv"};
    std::string export_message_;
    bool export_failed_ = false;
};

}  // namespace ganvas::gui
