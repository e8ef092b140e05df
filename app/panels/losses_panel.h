// Losses tab: training curves from the snapshot's MetricHistory.
//
// A "Losses" plot (every column named loss*), a "Discriminator outputs" plot
// (D(x), D(G(z)) with the ½ equilibrium line), an "FFD" plot once FFD has been
// measured, and any other column (a classifier's accuracy, ...) in a last plot,
// so a model with new statistics shows them without a change here. A toolbar
// sets the smoothing and log-y (persisted) and exports all columns as CSV.
#pragma once

#include <array>
#include <memory>
#include <string>
#include <vector>

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

private:
    struct Group {
        std::string title;
        std::vector<PlotSeries> series;  // spans into metrics_
        float weight = 1;                // share of the height
        bool probabilities = false;      // [0, 1], the ½ line, no log axis
        bool log_allowed = true;
        std::vector<ReferenceLine> references;
        std::string help;
        Plot* plot = nullptr;
    };
    void rebuild(const TrainerSnapshot& snapshot);
    void draw_toolbar(PanelContext& ctx);
    void draw_empty(const TrainerSnapshot& snapshot);

    // Held, not just borrowed, so the spans in groups_ and the plots' caches
    // (keyed by the data's address) stay valid until the next history arrives.
    std::shared_ptr<const MetricHistory> metrics_;
    std::vector<Group> groups_;
    Plot losses_, outputs_, ffd_, other_;
    std::array<char, 512> export_path_{"exports/metrics.csv"};
    std::string export_message_;
    bool export_failed_ = false;
};

}  // namespace ganvas::gui
