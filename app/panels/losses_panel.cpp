#include "panels/losses_panel.h"

#include <imgui.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <stdexcept>

#include "io/atomic_file.h"

namespace ganvas::gui {
namespace {

struct Known {
    const char* name;
    ImU32 colour;
    const char* help;
};

// The columns Ganvas' models write, with colours that stay put between runs and
// a sentence on what each one means.
const Known kKnown[] = {
    {"loss_D", IM_COL32(240, 135, 60, 255),
     "Discriminator loss: binary cross-entropy on a real batch (label 1) plus a generated "
     "batch (label 0). About ln 4 ≈ 1.39 when D cannot tell them apart; near 0 when D wins."},
    {"loss_G", IM_COL32(80, 160, 240, 255),
     "Generator loss (non-saturating): −log D(G(z)), the cross-entropy of D calling the "
     "fakes real. ln 2 ≈ 0.69 when D says ½ to the fakes."},
    {"D(x)", IM_COL32(90, 200, 120, 255),
     "D(x): the discriminator's mean belief that the batch's real images are real."},
    {"D(G(z))", IM_COL32(225, 105, 205, 255),
     "D(G(z)): the discriminator's mean belief that the generated images are real."},
    {"ffd", IM_COL32(40, 195, 195, 255),
     "Fréchet distance between features of generated and real images, measured every few "
     "steps. Lower is better."},
    {"loss", IM_COL32(80, 160, 240, 255), "Cross-entropy of the classifier on the batch."},
    {"accuracy", IM_COL32(90, 200, 120, 255), "Fraction of the batch classified correctly."},
};

const ImU32 kPalette[] = {IM_COL32(235, 200, 70, 255), IM_COL32(160, 130, 240, 255),
                          IM_COL32(230, 90, 90, 255), IM_COL32(120, 200, 230, 255),
                          IM_COL32(200, 160, 110, 255)};

// A hand-edited settings file must not break the plots.
double smoothing_setting(const Settings& settings) {
    const double v = settings.number("losses.smoothing", 0.6);
    return std::isfinite(v) ? std::clamp(v, 0.0, 0.99) : 0.6;
}

bool starts_with(const std::string& s, const char* prefix) {
    return s.rfind(prefix, 0) == 0;
}

}  // namespace

void LossesPanel::rebuild(const TrainerSnapshot& snapshot) {
    groups_.clear();
    if (!metrics_) return;
    const MetricHistory& m = *metrics_;
    Group losses, outputs, ffd, other;
    losses.title = "Losses";
    outputs.title = "Discriminator outputs";
    ffd.title = "FFD";
    other.title = "Other metrics";
    losses.plot = &losses_;
    losses.help = "The training objectives, one point per step. Right-click a plot for more.";
    outputs.plot = &outputs_;
    outputs.weight = 0.85f;
    outputs.probabilities = true;
    outputs.log_allowed = false;
    outputs.references = {{0.5, "D = ½ (equilibrium)"}};
    outputs.help =
        "D(x) is D's belief that real images are real; D(G(z)) the same for generated images. "
        "At the minimax game's equilibrium p_g = p_data and D = ½ everywhere, so both lines "
        "meet at 0.5. D(x) near 1 with D(G(z)) near 0 means the discriminator is winning.";
    ffd.plot = &ffd_;
    ffd.weight = 0.7f;
    ffd.help =
        "Fréchet feature distance of generated to real images; lower is better. "
        "Turn it on with \"FFD every\" in the sidebar.";
    other.plot = &other_;
    other.weight = 0.85f;
    // The BCE GAN's losses where D says ½ to everything: where a balanced game sits.
    if (starts_with(snapshot.config.model, "dcgan"))
        losses.references = {{std::log(4.0), "ln 4: loss_D at equilibrium"},
                             {std::log(2.0), "ln 2: loss_G at equilibrium"}};

    size_t unknown = 0;
    for (size_t c = 0; c < m.names.size() && c < m.columns.size(); ++c) {
        PlotSeries s;
        s.name = m.names[c];
        s.steps = m.steps;
        s.values = m.columns[c];
        const Known* known = nullptr;
        for (const Known& k : kKnown)
            if (s.name == k.name) known = &k;
        s.colour = known ? known->colour : kPalette[unknown++ % std::size(kPalette)];
        if (known) s.help = known->help;
        size_t finite = 0;
        for (float v : m.columns[c]) finite += std::isfinite(v);
        // A measurement taken every few steps: connect the points it has.
        s.sparse = finite * 2 < m.rows();
        if (s.name == "ffd") {
            if (finite > 0) ffd.series.push_back(std::move(s));
        } else if (s.name == "D(x)" || s.name == "D(G(z))") {
            outputs.series.push_back(std::move(s));
        } else if (starts_with(s.name, "loss")) {
            losses.series.push_back(std::move(s));
        } else {
            other.series.push_back(std::move(s));
        }
    }
    if (other.series.size() == 1) {
        other.title = other.series[0].name;
        other.title[0] =
            static_cast<char>(std::toupper(static_cast<unsigned char>(other.title[0])));
    }
    for (Group* g : {&losses, &outputs, &ffd, &other})
        if (!g->series.empty()) groups_.push_back(std::move(*g));
}

void LossesPanel::draw(PanelContext& ctx) {
    if (ctx.snapshot.metrics != metrics_) {
        metrics_ = ctx.snapshot.metrics;
        rebuild(ctx.snapshot);
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
        options.y_include = g.probabilities;
        const float h = std::max(min_h, std::floor(avail * g.weight / total));
        export_requested |= g.plot->draw(g.title.c_str(), g.series, options, ImVec2(0, h));
    }
    if (export_requested) export_csv(export_path_.data());
}

void LossesPanel::draw_toolbar(PanelContext& ctx) {
    Settings& settings = ctx.settings;
    float smoothing = static_cast<float>(smoothing_setting(settings));
    ImGui::AlignTextToFramePadding();
    ImGui::TextUnformatted("Smoothing");
    ImGui::SameLine();
    ImGui::SetNextItemWidth(ImGui::GetFontSize() * 8);
    if (ImGui::SliderFloat("##smoothing", &smoothing, 0.0f, 0.99f, "%.2f"))
        settings.set_number("losses.smoothing", std::clamp(smoothing, 0.0f, 0.99f));
    if (ImGui::IsItemHovered())
        ImGui::SetTooltip(
            "Exponential moving average, as in TensorBoard (debiased, so the first steps are "
            "not pulled toward 0).\nThe raw values stay faint behind the smoothed line. "
            "0: off.");
    ImGui::SameLine(0, ImGui::GetFontSize());
    bool log_y = settings.number("losses.log_y", 0) != 0;
    if (ImGui::Checkbox("Log y", &log_y)) settings.set_number("losses.log_y", log_y ? 1 : 0);
    if (ImGui::IsItemHovered())
        ImGui::SetTooltip(
            "Logarithmic y axis for the losses, FFD and other metrics (not for D's outputs,\n"
            "which are probabilities). Values at or below 0 are not drawn.");
    ImGui::SameLine(0, ImGui::GetFontSize());
    const bool have_data = metrics_ && metrics_->rows() > 0;
    ImGui::BeginDisabled(!have_data);
    if (ImGui::Button("Fit"))
        for (Plot* p : {&losses_, &outputs_, &ffd_, &other_}) p->fit();
    ImGui::EndDisabled();
    if (ImGui::IsItemHovered(ImGuiHoveredFlags_AllowWhenDisabled))
        ImGui::SetTooltip(
            "Show every step and follow new ones.\nDouble-click a plot to fit only that one; "
            "wheel zooms, drag pans.");
    ImGui::SameLine(0, ImGui::GetFontSize());
    ImGui::BeginDisabled(!have_data);
    if (ImGui::Button("Export CSV")) export_csv(export_path_.data());
    ImGui::EndDisabled();
    if (ImGui::IsItemHovered(ImGuiHoveredFlags_AllowWhenDisabled))
        ImGui::SetTooltip("Every metric column, one row per step, raw (not smoothed) values.");
    ImGui::SameLine();
    ImGui::SetNextItemWidth(ImGui::GetFontSize() * 14);
    ImGui::InputText("##export path", export_path_.data(), export_path_.size());
    if (ImGui::IsItemHovered())
        ImGui::SetTooltip("Where Export CSV writes (relative to %s)",
                          std::filesystem::current_path().c_str());
    if (!export_message_.empty()) {
        ImGui::SameLine();
        if (export_failed_)
            ImGui::TextColored(ImVec4(1, 0.45f, 0.4f, 1), "%s", export_message_.c_str());
        else
            ImGui::TextDisabled("%s", export_message_.c_str());
        if (ImGui::IsItemHovered()) ImGui::SetTooltip("%s", export_message_.c_str());
    }
}

void LossesPanel::draw_empty(const TrainerSnapshot& snapshot) {
    const char* hint =
        snapshot.state == TrainerState::Loading ? "Loading the model and the data…"
        : snapshot.state == TrainerState::Failed
            ? "Training could not start; the sidebar says why."
            : "No steps yet. Press Run (Space) to train, or S for a single step.\n"
              "The losses, the discriminator's outputs and FFD are plotted here as steps "
              "come in.";
    const ImVec2 avail = ImGui::GetContentRegionAvail();
    const float wrap = std::min(avail.x, ImGui::GetFontSize() * 32);
    const ImVec2 size = ImGui::CalcTextSize(hint, nullptr, false, wrap);
    const ImVec2 at = ImGui::GetCursorPos();
    ImGui::SetCursorPos(ImVec2(at.x + std::max(0.0f, (avail.x - size.x) * 0.5f),
                               at.y + std::max(0.0f, (avail.y - size.y) * 0.4f)));
    ImGui::PushTextWrapPos(ImGui::GetCursorPosX() + wrap);
    ImGui::TextDisabled("%s", hint);
    ImGui::PopTextWrapPos();
}

bool LossesPanel::export_csv(const std::string& path) {
    if (!metrics_) {
        export_message_ = "Nothing to export yet: no steps have been trained.";
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
        export_message_ = "Wrote " + (abs_ec ? path : shown.string()) + " (" +
                          std::to_string(metrics_->rows()) + " steps)";
        export_failed_ = false;
    } catch (const std::exception& e) {
        export_message_ = std::string("Export failed: ") + e.what();
        export_failed_ = true;
    }
    return !export_failed_;
}

}  // namespace ganvas::gui
