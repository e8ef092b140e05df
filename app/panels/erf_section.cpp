#include "panels/erf_section.h"

#include <imgui.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>

#include "i18n/tr.h"
#include "ops/shape_ops.h"
#include "tensor/rng.h"
#include "widgets/heatmap.h"
#include "widgets/tooltip.h"

namespace ganvas::gui {
namespace {

constexpr int kMaxDepth = 32;
constexpr int64_t kErfBatch = 16;
const ImU32 kFieldColour = IM_COL32(90, 220, 120, 255);
const ImU32 kCentreColour = IM_COL32(80, 180, 255, 255);

template <typename T>
bool ready(const std::future<T>& f) {
    return f.valid() && f.wait_for(std::chrono::seconds(0)) == std::future_status::ready;
}

// The middle half of the theoretical field along each axis: a quarter of its area.
std::array<rf::Range, 2> central_region(const std::array<rf::Range, 2>& field) {
    std::array<rf::Range, 2> c;
    for (int a = 0; a < 2; ++a) {
        const int64_t size = field[a].second - field[a].first + 1, cut = size / 4;
        c[a] = {field[a].first + cut, field[a].second - cut};
    }
    return c;
}

const char* erf_help() {
    return tr(
        "The effective receptive field: how much each input pixel moves the chosen unit, "
        "|∂unit/∂pixel| by autograd (all the unit's channels summed), averaged over 16 images "
        "of the data set. Colour: the square root of its share of the maximum. Green: the "
        "theoretical field, every pixel the unit could see. Blue: its middle half (a quarter of "
        "its area). Luo et al. (2016) found that the gradient piles up in the middle, roughly "
        "Gaussian, and that training spreads it out somewhat.");
}

const char* depth_help() {
    return tr(
        "A stack of N 3x3 convolutions (padding 1, 4 channels, random weights, ReLU between) on "
        "random images: the spread (standard deviation, in pixels) of the centre unit's ERF "
        "against N. The theoretical field grows like 2N + 1, the ERF only like sqrt(N): with "
        "all weights equal the ERF is N box filters convolved, a Gaussian of standard deviation "
        "sqrt(2N/3) (orange), by the central limit theorem. Random weights and ReLUs change "
        "the constant, not the square root (grey: the best a sqrt(N) through the measurements).");
}

// A heading with its explanation on a "(?)", a rule below and the one idea to
// take away in plain sight (a projector's audience cannot hover).
void section_title(const char* title, const char* help, const char* idea) {
    ImGui::Spacing();
    heading_with_help(title, help);
    ImGui::Separator();
    hint(idea);
}

}  // namespace

void ErfSection::start_unit_job(PanelContext& ctx, const ErfUnit& unit) {
    const TrainerSnapshot& s = ctx.snapshot;
    if (!s.dataset || s.dataset->size() == 0) return;
    const int64_t n = std::min(kErfBatch, s.dataset->size());
    Tensor images = narrow(s.dataset->images, 0, 0, n).clone();  // (n, 1, 28, 28)
    std::shared_ptr<const NamedTensors> weights = s.weights;
    const int64_t step = s.step;
    const uint64_t seed = s.config.seed;
    used_weights_ = weights;
    running_ = unit;
    unit_job_ = std::async(std::launch::async, [unit, images, weights, step, seed] {
        UnitResult r;
        try {
            Rng rng(seed);
            auto model = make_model(unit.model, rng);
            r.untrained =
                rf::effective_receptive_field(rf::layer_features(*model, unit.prefix, unit.layer),
                                              images, unit.unit[0], unit.unit[1]);
            if (weights) {
                std::map<std::string, Tensor> state(weights->begin(), weights->end());
                model->load_state_dict(state, "the live model");
                r.trained = rf::effective_receptive_field(
                    rf::layer_features(*model, unit.prefix, unit.layer), images, unit.unit[0],
                    unit.unit[1]);
                r.has_trained = true;
                r.step = step;
            }
        } catch (const std::exception& e) {
            r.error = e.what();
        }
        return r;
    });
}

void ErfSection::draw_map(const char* id, const rf::Erf& erf, const ErfUnit& unit, float side,
                          const char* caption) {
    const auto centre = central_region(unit.field);
    const int64_t h = erf.map.size(0), w = erf.map.size(1);
    // Shown: the theoretical field and two pixels around it, cut to the image; the
    // part of the field in the padding shows as the empty border.
    const int64_t r0 = std::clamp<int64_t>(unit.field[0].first - 2, 0, h - 1);
    const int64_t r1 = std::clamp<int64_t>(unit.field[0].second + 2, r0, h - 1);
    const int64_t c0 = std::clamp<int64_t>(unit.field[1].first - 2, 0, w - 1);
    const int64_t c1 = std::clamp<int64_t>(unit.field[1].second + 2, c0, w - 1);
    Tensor crop = Tensor::empty({r1 - r0 + 1, c1 - c0 + 1});  // (rows, cols) of the map
    for (int64_t r = r0; r <= r1; ++r)
        for (int64_t c = c0; c <= c1; ++c)
            crop.data()[(r - r0) * (c1 - c0 + 1) + (c - c0)] = erf.map.data()[r * w + c];
    int64_t margin = 0;
    margin = std::max(margin, r0 - unit.field[0].first);
    margin = std::max(margin, c0 - unit.field[1].first);
    margin = std::max(margin, unit.field[0].second - r1);
    margin = std::max(margin, unit.field[1].second - c1);
    margin = std::clamp<int64_t>(margin, 0, 12);
    auto mark = [&](const std::array<rf::Range, 2>& box, ImU32 colour, float thickness) {
        auto clip = [&](int64_t v) {
            return static_cast<float>(std::clamp<int64_t>(v, -margin, 64));
        };
        return HeatmapMark{clip(box[0].first - r0),
                           clip(box[1].first - c0),
                           clip(box[0].second - r0),
                           clip(box[1].second - c0),
                           colour,
                           thickness};
    };
    std::vector<HeatmapMark> marks = {mark(unit.field, kFieldColour, 2.0f),
                                      mark(centre, kCentreColour, 1.5f)};
    // Everything under the map wraps at its width, so two maps fit side by side.
    ImGui::BeginGroup();
    ImGui::PushTextWrapPos(ImGui::GetCursorPosX() + side);
    text_wrapped(caption, side);
    ImVec2 cell = draw_heatmap(id, crop, ImVec2(side, side), static_cast<int>(margin), marks);
    if (cell.x >= 0) {
        const float v =
            crop.data()[static_cast<int64_t>(cell.y) * crop.size(1) + static_cast<int64_t>(cell.x)];
        ImGui::SetTooltip(tr("input pixel (%d, %d): |∂unit/∂x| = %.3g"),
                          static_cast<int>(cell.y + r0), static_cast<int>(cell.x + c0), v);
    }
    const double share = rf::mass_share(erf.map, centre[0].first, centre[0].second, centre[1].first,
                                        centre[1].second);
    char line[160];
    std::snprintf(line, sizeof line, tr("middle: %.0f%% of |grad|"), 100 * share);
    text_wrapped(line, side);
    item_tooltip(
        tr("The share of the gradient mass inside the blue region, the middle half of "
           "the theoretical field (a quarter of its area). Spread evenly over the field "
           "it would be about 25%."));
    std::snprintf(line, sizeof line, tr("spread %.2f x %.2f px"), erf.spread[0], erf.spread[1]);
    text_wrapped(line, side);
    item_tooltip(tr("The standard deviation of the ERF along rows and columns, in input pixels."));
    ImGui::PopTextWrapPos();
    ImGui::EndGroup();
}

void ErfSection::draw_unit(PanelContext& ctx, const ErfUnit& unit, float width) {
    section_title(tr("Effective receptive field"), erf_help(),
                  tr("Brighter: input pixels that move the unit more. Green: the theoretical "
                     "field; blue: its middle half, where most of the gradient lies."));
    // Fresh trained weights every few seconds while the unit is shown.
    const auto now = Clock::now();
    if (ctx.snapshot.step != weights_step_ && now - weights_asked_ > std::chrono::seconds(2)) {
        weights_request_ = ctx.trainer.copy_weights();
        weights_asked_ = now;
        weights_step_ = ctx.snapshot.step;
    }
    if (ready(unit_job_)) {
        result_ = unit_job_.get();
        shown_ = running_;
        have_result_ = true;
    }
    const bool stale = !have_result_ || !(shown_ == unit) || used_weights_ != ctx.snapshot.weights;
    if (stale && !unit_job_.valid()) start_unit_job(ctx, unit);
    if (unit_job_.valid()) ctx.animating = true;  // poll until the job is done

    if (!have_result_) {
        const bool no_data = !ctx.snapshot.dataset || ctx.snapshot.dataset->size() == 0;
        ImGui::TextDisabled("%s", no_data ? tr("waiting for the data set...") : tr("computing..."));
        return;
    }
    if (!result_.error.empty()) {
        error_text(result_.error);
        return;
    }
    ImGui::TextDisabled(tr("%s.%s unit (%lld, %lld)%s"), shown_.prefix.c_str(),
                        shown_.layer.c_str(), static_cast<long long>(shown_.unit[0]),
                        static_cast<long long>(shown_.unit[1]),
                        unit_job_.valid() ? tr("  (updating)") : "");
    const float side = std::min(width * 0.42f, 200 * ctx.ui_scale);
    draw_map("##untrained", result_.untrained, shown_, side, tr("untrained (fresh weights)"));
    ImGui::SameLine();
    if (result_.has_trained) {
        char caption[128];
        std::snprintf(caption, sizeof caption, tr("trained (step %lld)"),
                      static_cast<long long>(result_.step));
        draw_map("##trained", result_.trained, shown_, side, caption);
    } else {
        hint(tr("waiting for the live weights..."));  // wrapped in what the map leaves
    }
}

void ErfSection::draw_depth_experiment(PanelContext& ctx, float width) {
    section_title(tr("The ERF grows like the square root of depth"), depth_help(),
                  tr("N stacked 3x3 convolutions see 2N + 1 pixels, but the ERF widens only like "
                     "sqrt(N): most of the theoretical field barely matters."));
    if (depths_.empty() && !curve_job_.valid())
        curve_job_ = std::async(std::launch::async, [] {
            std::vector<double> spreads;
            for (int n = 1; n <= kMaxDepth; ++n)
                spreads.push_back(rf::conv_stack_erf(n, {}).spread[0]);
            return spreads;
        });
    if (ready(curve_job_)) {
        spreads_ = curve_job_.get();
        for (int n = 1; n <= kMaxDepth; ++n) {
            depths_.push_back(n);
            spread_values_.push_back(static_cast<float>(spreads_[n - 1]));
            sqrt_values_.push_back(static_cast<float>(rf::uniform_stack_spread(n)));
        }
        // The best a * sqrt(N) through the measurements, least squares.
        double num = 0, den = 0;
        for (int n = 1; n <= kMaxDepth; ++n) num += spreads_[n - 1] * std::sqrt(n), den += n;
        sqrt_fit_ = num / den;
        for (int n = 1; n <= kMaxDepth; ++n)
            fit_values_.push_back(static_cast<float>(sqrt_fit_ * std::sqrt(n)));
    }
    int depth = static_cast<int>(ctx.settings.integer("rf.depth", 8, 1, kMaxDepth));
    ImGui::SetNextItemWidth(std::min(width * 0.5f, 240 * ctx.ui_scale));
    if (ImGui::SliderInt(tr("N (layers)"), &depth, 1, kMaxDepth))
        ctx.settings.set_number("rf.depth", depth);
    item_tooltip(tr("How many 3x3 convolutions the stack has."));

    if (ready(stack_job_)) {
        stack_erf_ = stack_job_.get();
        stack_depth_shown_ = stack_depth_running_;
    }
    if (stack_depth_shown_ != depth && !stack_job_.valid()) {
        stack_depth_running_ = depth;
        stack_job_ =
            std::async(std::launch::async, [depth] { return rf::conv_stack_erf(depth, {}); });
    }
    if (curve_job_.valid() || stack_job_.valid()) ctx.animating = true;

    const float side = std::min(width * 0.32f, 170 * ctx.ui_scale);
    ImGui::BeginGroup();
    if (stack_depth_shown_ > 0) {
        const int n = stack_depth_shown_;
        const int64_t size = 2 * n + 9;
        const float lo = static_cast<float>(size / 2 - n), hi = static_cast<float>(size / 2 + n);
        draw_heatmap("##stack", stack_erf_.map, ImVec2(side, side), 0,
                     {{lo, lo, hi, hi, kFieldColour, 2.0f}});
        char line[160];
        std::snprintf(line, sizeof line, tr("N = %d: field %d px, ERF spread %.2f px"), n,
                      2 * n + 1, stack_erf_.spread[0]);
        ImGui::PushTextWrapPos(ImGui::GetCursorPosX() + side);  // under the map, not past it
        text_wrapped(line, side);
        ImGui::PopTextWrapPos();
    } else {
        ImGui::TextDisabled("%s", tr("computing..."));
    }
    ImGui::EndGroup();
    // The plot beside the map where it has room for its legend, else below it.
    if (ImGui::GetContentRegionAvail().x - side > 260 * ctx.ui_scale) ImGui::SameLine();
    if (spread_values_.empty()) {
        ImGui::TextDisabled(tr("measuring N = 1..%d..."), kMaxDepth);
        return;
    }
    PlotSeries series[3];
    series[0].name = tr("measured spread (random weights, ReLU)");
    series[0].colour = IM_COL32(80, 160, 230, 255);
    series[0].xs = depths_;
    series[0].values = spread_values_;
    series[1].name = "sqrt(2N/3)";
    series[1].colour = IM_COL32(240, 150, 60, 255);
    series[1].xs = depths_;
    series[1].values = sqrt_values_;
    char fit_name[96];
    std::snprintf(fit_name, sizeof fit_name, tr("%.2f sqrt(N), fitted"), sqrt_fit_);
    series[2].name = fit_name;
    series[2].colour = IM_COL32(200, 200, 200, 200);
    series[2].xs = depths_;
    series[2].values = fit_values_;
    PlotOptions options;
    options.scale = ctx.ui_scale;
    options.x_label = "N";
    options.help = depth_help();
    ImGui::BeginGroup();  // keeps the plot's rows beside the heatmap, not under it
    depth_plot_.draw(
        tr("ERF spread (px) against depth"), series, options,
        ImVec2(std::max(120.0f, ImGui::GetContentRegionAvail().x), side + 40 * ctx.ui_scale));
    ImGui::EndGroup();
}

}  // namespace ganvas::gui
