// The effective receptive field parts of the Receptive Field tab: the ERF of
// the chosen unit in the untrained and the trained network, side by side over
// its theoretical field, and the sqrt(depth) experiment on stacks of 3x3
// convolutions. The autograd work runs on background threads.
#pragma once

#include <chrono>
#include <future>
#include <string>
#include <vector>

#include "analysis/effective_receptive_field.h"
#include "analysis/receptive_field.h"
#include "panels/panel.h"
#include "widgets/plot.h"

namespace ganvas::gui {

// Which unit's ERF: network `prefix` of `model`, layer `layer`, unit (row, col),
// whose theoretical field covers input rows/cols `field`.
struct ErfUnit {
    std::string model, prefix, layer;
    rf::Pair unit{0, 0};
    std::array<rf::Range, 2> field{};
    bool operator==(const ErfUnit& o) const {
        return model == o.model && prefix == o.prefix && layer == o.layer && unit == o.unit;
    }
};

class ErfSection {
public:
    void draw_unit(PanelContext& ctx, const ErfUnit& unit, float width);
    void draw_depth_experiment(PanelContext& ctx, float width);

private:
    struct UnitResult {
        rf::Erf untrained, trained;
        bool has_trained = false;
        int64_t step = 0;
        std::string error;
    };
    void start_unit_job(PanelContext& ctx, const ErfUnit& unit);
    void draw_map(const char* id, const rf::Erf& erf, const ErfUnit& unit, float side,
                  const char* caption);

    using Clock = std::chrono::steady_clock;
    ErfUnit shown_, running_;
    std::future<UnitResult> unit_job_;
    UnitResult result_;
    bool have_result_ = false;
    uint64_t weights_request_ = 0;
    Clock::time_point weights_asked_{};
    int64_t weights_step_ = -1;
    std::shared_ptr<const NamedTensors> used_weights_;

    // The sqrt(N) experiment.
    std::future<std::vector<double>> curve_job_;
    std::vector<double> depths_, spreads_, sqrt_curve_;
    std::vector<float> spread_values_, sqrt_values_, fit_values_;
    double sqrt_fit_ = 0;
    std::future<rf::Erf> stack_job_;
    rf::Erf stack_erf_;
    int stack_depth_shown_ = 0, stack_depth_running_ = 0;
    Plot depth_plot_;
};

}  // namespace ganvas::gui
