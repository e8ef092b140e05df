#include "panels/losses_panel.h"

#include <imgui.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <stdexcept>

#include "gui/theme.h"
#include "i18n/tr.h"
#include "io/atomic_file.h"
#include "panels/losses_layout.h"
#include "widgets/fit_text.h"
#include "widgets/format_numbers.h"

namespace ganvas::gui {
namespace {

// A hand-edited settings file must not break the plots.
double smoothing_setting(const Settings& settings) {
    const double v = settings.number("losses.smoothing", 0.6);
    return std::isfinite(v) ? std::clamp(v, 0.0, 0.99) : 0.6;
}

}  // namespace

void LossesPanel::rebuild() {
    groups_.clear();
    if (!metrics_) return;
    const MetricHistory& m = *metrics_;
    auto has = [&](const char* name) {
        return std::find(m.names.begin(), m.names.end(), name) != m.names.end();
    };
    std::vector<std::string> names(m.names.begin(),
                                   m.names.begin() + std::min(m.names.size(), m.columns.size()));
    for (const MetricPlan& plan : plan_metric_plots(names)) {
        Group g;
        g.title = plan.title;
        g.weight = plan.weight;
        g.log_allowed = plan.log_allowed;
        g.y_include = plan.y_include;
        g.help = plan.help;
        g.plot = &plots_[plan.id];
        for (size_t i = 0; i < plan.columns.size(); ++i) {
            const size_t c = plan.columns[i];
            PlotSeries s;
            s.name = m.names[c];
            s.steps = m.steps;
            s.values = m.columns[c];
            s.colour = plan.colours[i];
            s.help = plan.meaning[i];
            size_t finite = 0;
            for (float v : m.columns[c]) finite += std::isfinite(v);
            // A measurement taken every few steps: connect the points it has.
            s.sparse = finite * 2 < m.rows();
            // FFD not measured yet: no plot for it rather than an empty one.
            if (plan.id == "ffd" && finite == 0) continue;
            g.series.push_back(std::move(s));
        }
        // The BCE GAN's losses where D says ½ to everything: where a balanced game sits.
        if (plan.id == "losses" && has("D(x)"))
            g.references = {{std::log(4.0), tr("ln 4: loss_D at equilibrium")},
                            {std::log(2.0), tr("ln 2: loss_G at equilibrium")}};
        if (plan.id == "outputs") g.references = {{0.5, tr("D = ½ (equilibrium)")}};
        if (plan.id == "gradient" && has("gradient_penalty"))
            g.references = {{1.0, tr("1: the penalty's target")}};
        if (!g.series.empty()) groups_.push_back(std::move(g));
    }
}

void LossesPanel::draw(PanelContext& ctx) {
    // The plots' titles and help are in the language of the last rebuild.
    if (ctx.snapshot.metrics != metrics_ || i18n::current_language() != language_) {
        metrics_ = ctx.snapshot.metrics;
        language_ = i18n::current_language();
        rebuild();
    }
    draw_toolbar(ctx);
    if (!metrics_ || metrics_->rows() == 0 || groups_.empty()) {
        draw_empty(ctx.snapshot);
        return;
    }

    PlotOptions options;
    options.scale = ctx.ui_scale;
    options.smoothing = smoothing_setting(ctx.settings);
    const bool log_y = ctx.settings.number("losses.log_y", 0) != 0;
    float total = 0;
    for (const Group& g : groups_) total += g.weight;
    const float spacing = ImGui::GetStyle().ItemSpacing.y;
    const float avail = ImGui::GetContentRegionAvail().y - spacing * (groups_.size() - 1);
    const float min_h = 150 * ctx.ui_scale;  // below this a plot is unreadable: scroll instead
    bool export_requested = false;
    for (const Group& g : groups_) {
        options.log_y = log_y && g.log_allowed;
        options.references = g.references;
        options.help = g.help;
        options.y_include = g.y_include;
        const float h = std::max(min_h, std::floor(avail * g.weight / total));
        export_requested |= g.plot->draw(g.title.c_str(), g.series, options, ImVec2(0, h));
    }
    if (export_requested) export_csv(export_path_.data());
}

void LossesPanel::draw_toolbar(PanelContext& ctx) {
    Settings& settings = ctx.settings;
    float smoothing = static_cast<float>(smoothing_setting(settings));
    ImGui::AlignTextToFramePadding();
    ImGui::TextUnformatted(tr("Smoothing"));
    ImGui::SameLine();
    ImGui::SetNextItemWidth(ImGui::GetFontSize() * 8);
    if (ImGui::SliderFloat("##smoothing", &smoothing, 0.0f, 0.99f, "%.2f"))
        settings.set_number("losses.smoothing", std::clamp(smoothing, 0.0f, 0.99f));
    if (ImGui::IsItemHovered())
        ImGui::SetTooltip("%s", tr("Exponential moving average, as in TensorBoard (debiased, so "
                                   "the first steps are not pulled toward 0).\nThe raw values stay "
                                   "faint behind the smoothed line. 0: off."));
    ImGui::SameLine(0, ImGui::GetFontSize());
    bool log_y = settings.number("losses.log_y", 0) != 0;
    if (ImGui::Checkbox(tr("Log y"), &log_y)) settings.set_number("losses.log_y", log_y ? 1 : 0);
    if (ImGui::IsItemHovered())
        ImGui::SetTooltip("%s", tr("Logarithmic y axis for the losses, FFD and other metrics (not "
                                   "for D's outputs,\nwhich are probabilities, nor for the "
                                   "critic's statistics). Values at or below 0 are not drawn."));
    ImGui::SameLine(0, ImGui::GetFontSize());
    const bool have_data = metrics_ && metrics_->rows() > 0;
    ImGui::BeginDisabled(!have_data);
    if (ImGui::Button(tr("Fit")))
        for (auto& [id, plot] : plots_) plot.fit();
    ImGui::EndDisabled();
    if (ImGui::IsItemHovered(ImGuiHoveredFlags_AllowWhenDisabled))
        ImGui::SetTooltip("%s", tr("Show every step and follow new ones.\nDouble-click a plot to "
                                   "fit only that one; wheel zooms, drag pans."));
    ImGui::SameLine(0, ImGui::GetFontSize());
    ImGui::BeginDisabled(!have_data);
    if (ImGui::Button(tr("Export CSV"))) export_csv(export_path_.data());
    ImGui::EndDisabled();
    if (ImGui::IsItemHovered(ImGuiHoveredFlags_AllowWhenDisabled))
        ImGui::SetTooltip("%s",
                          tr("Every metric column, one row per step, raw (not smoothed) values."));
    // The path takes what the line leaves, or a line of its own when too little is left.
    ImGui::SameLine();
    if (ImGui::GetContentRegionAvail().x < ImGui::GetFontSize() * 8) ImGui::NewLine();
    ImGui::SetNextItemWidth(std::min(ImGui::GetContentRegionAvail().x, ImGui::GetFontSize() * 14));
    ImGui::InputText("##export path", export_path_.data(), export_path_.size());
    if (ImGui::IsItemHovered())
        ImGui::SetTooltip(tr("Where Export CSV writes (relative to %s)"),
                          std::filesystem::current_path().c_str());
    if (!export_message_.empty()) {
        ImGui::SameLine();
        // Cut to the line's end; the tooltip holds the whole message.
        const std::string shown =
            fit_text(export_message_, std::max(ImGui::GetContentRegionAvail().x, 0.0f));
        if (export_failed_)
            ImGui::TextColored(tone_colour(Tone::error), "%s", shown.c_str());
        else
            ImGui::TextDisabled("%s", shown.c_str());
        if (ImGui::IsItemHovered()) ImGui::SetTooltip("%s", export_message_.c_str());
    }
}

void LossesPanel::draw_empty(const TrainerSnapshot& snapshot) {
    std::string hint =
        snapshot.state == TrainerState::Loading ? tr("Loading the model and the data…")
        : snapshot.state == TrainerState::Failed
            ? tr("Training could not start; the sidebar says why.")
            : tr("No steps yet. Press Run (Space) to train, or S for a single step.") +
                  std::string("\n") + losses_to_come(snapshot.config.model);
    const ImVec2 avail = ImGui::GetContentRegionAvail();
    const float wrap = std::min(avail.x, ImGui::GetFontSize() * 32);
    // ImGui wraps only at spaces; Chinese breaks between characters too.
    if (has_cjk(hint)) hint = wrap_lines(hint, wrap);
    const ImVec2 size = ImGui::CalcTextSize(hint.c_str(), nullptr, false, wrap);
    const ImVec2 at = ImGui::GetCursorPos();
    ImGui::SetCursorPos(ImVec2(at.x + std::max(0.0f, (avail.x - size.x) * 0.5f),
                               at.y + std::max(0.0f, (avail.y - size.y) * 0.4f)));
    ImGui::PushTextWrapPos(ImGui::GetCursorPosX() + wrap);
    ImGui::TextDisabled("%s", hint.c_str());
    ImGui::PopTextWrapPos();
}

bool LossesPanel::export_csv(const std::string& path) {
    if (!metrics_) {
        export_message_ = tr("Nothing to export yet: no steps have been trained.");
        export_failed_ = true;
        return false;
    }
    // Every column, in the history's order, even one no plot shows (an FFD with no value yet).
    std::vector<PlotSeries> all;
    for (size_t c = 0; c < metrics_->names.size() && c < metrics_->columns.size(); ++c) {
        PlotSeries s;
        s.name = metrics_->names[c];
        s.steps = metrics_->steps;
        s.values = metrics_->columns[c];
        all.push_back(std::move(s));
    }
    try {
        if (path.empty()) throw std::runtime_error("no file name given");
        const std::filesystem::path parent = std::filesystem::path(path).parent_path();
        std::error_code ec;
        if (!parent.empty()) std::filesystem::create_directories(parent, ec);
        write_file_atomic(path, [&](std::ostream& out) { write_csv(out, all); });
        std::error_code abs_ec;
        const auto shown = std::filesystem::absolute(path, abs_ec);
        export_message_ = format_text(tr("Wrote %s (%zu steps)"),
                                      (abs_ec ? path : shown.string()).c_str(), metrics_->rows());
        export_failed_ = false;
    } catch (const std::exception& e) {
        export_message_ = format_text(tr("Export failed: %s"), tr_error(e.what()).c_str());
        export_failed_ = true;
    }
    return !export_failed_;
}

GANVAS_REGISTER_PANEL(LossesPanel, 10, "Losses");

}  // namespace ganvas::gui
