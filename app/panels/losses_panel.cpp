#include "panels/losses_panel.h"

#include <imgui.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <stdexcept>

#include "io/atomic_file.h"

namespace ganvas::gui {
namespace {

// Which plot a column goes to.
enum class Slot { Losses, Outputs, Critic, GradientNorm, Ffd, Other };

struct Known {
    const char* name;
    ImU32 colour;
    Slot slot;
    const char* help;
};

// The columns Ganvas' models write, with colours that stay put between runs, the
// plot they belong to and a sentence on what each one means.
const Known kKnown[] = {
    {"loss_D", IM_COL32(240, 135, 60, 255), Slot::Losses,
     "Discriminator loss: binary cross-entropy on a real batch (label 1) plus a generated "
     "batch (label 0). About ln 4 ≈ 1.39 when D cannot tell them apart; near 0 when D wins."},
    {"loss_G", IM_COL32(80, 160, 240, 255), Slot::Losses,
     "Generator loss (non-saturating): −log D(G(z)), the cross-entropy of D calling the "
     "fakes real. ln 2 ≈ 0.69 when D says ½ to the fakes."},
    {"D(x)", IM_COL32(90, 200, 120, 255), Slot::Outputs,
     "D(x): the discriminator's mean belief that the batch's real images are real."},
    {"D(G(z))", IM_COL32(225, 105, 205, 255), Slot::Outputs,
     "D(G(z)): the discriminator's mean belief that the generated images are real."},
    {"W_estimate", IM_COL32(235, 200, 70, 255), Slot::Critic,
     "E[f(real)] − E[f(fake)]: how much higher the critic f scores real images than "
     "generated ones, on the last critic update's batch."},
    {"grad_norm", IM_COL32(160, 130, 240, 255), Slot::GradientNorm,
     "‖∇x f(x̂)‖: the critic's input-gradient norm at random points x̂ between real and "
     "generated images, averaged over the batch. The penalty pulls it toward 1."},
    {"gradient_penalty", IM_COL32(230, 90, 90, 255), Slot::GradientNorm,
     "E[(‖∇x f(x̂)‖ − 1)²], before the weight λ: how far the critic is from having unit "
     "gradient norm between the two distributions."},
    {"ffd", IM_COL32(40, 195, 195, 255), Slot::Ffd,
     "Fréchet distance between features of generated and real images, measured every few "
     "steps. Lower is better."},
    {"loss", IM_COL32(80, 160, 240, 255), Slot::Losses,
     "Cross-entropy of the classifier on the batch."},
    {"accuracy", IM_COL32(90, 200, 120, 255), Slot::Other,
     "Fraction of the batch classified correctly."},
};

// A WGAN's losses mean something else than a minimax GAN's of the same names.
const Known kCriticLosses[] = {
    {"loss_D", IM_COL32(240, 135, 60, 255), Slot::Losses,
     "Critic loss: E[f(fake)] − E[f(real)] (+ λ·gradient penalty). Minimising it raises the "
     "critic's scores of real images and lowers those of generated ones; it is −W_estimate "
     "plus the penalty. It has no equilibrium value to aim for."},
    {"loss_G", IM_COL32(80, 160, 240, 255), Slot::Losses,
     "Generator loss: −E[f(G(z))], the critic's score of the generated images, negated. "
     "Its level is arbitrary (the critic may shift all scores by a constant); its trend "
     "against the critic's is what matters."},
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

void LossesPanel::rebuild() {
    groups_.clear();
    if (!metrics_) return;
    const MetricHistory& m = *metrics_;
    auto has = [&](const char* name) {
        return std::find(m.names.begin(), m.names.end(), name) != m.names.end();
    };
    // What the columns say the model is, rather than its name: a critic
    // reports a Wasserstein estimate, a minimax discriminator its outputs.
    const bool critic = has("W_estimate");
    const bool minimax = has("D(x)");

    Group losses, outputs, wasserstein, gradient, ffd, other;
    losses.title = "Losses";
    losses.plot = &losses_;
    losses.help = "The training objectives, one point per step. Right-click a plot for more.";
    // The BCE GAN's losses where D says ½ to everything: where a balanced game sits.
    if (minimax)
        losses.references = {{std::log(4.0), "ln 4: loss_D at equilibrium"},
                             {std::log(2.0), "ln 2: loss_G at equilibrium"}};
    if (critic)
        losses.help =
            "The critic's and the generator's objectives, one point per step. Unlike the "
            "minimax GAN's they have no equilibrium value: read the Wasserstein estimate "
            "below instead. Right-click a plot for more.";
    outputs.title = "Discriminator outputs";
    outputs.plot = &outputs_;
    outputs.weight = 0.85f;
    outputs.y_include = true;
    outputs.log_allowed = false;
    outputs.references = {{0.5, "D = ½ (equilibrium)"}};
    outputs.help =
        "D(x) is D's belief that real images are real; D(G(z)) the same for generated images. "
        "At the minimax game's equilibrium p_g = p_data and D = ½ everywhere, so both lines "
        "meet at 0.5. D(x) near 1 with D(G(z)) near 0 means the discriminator is winning.";
    wasserstein.title = "Critic's Wasserstein estimate";
    wasserstein.plot = &wasserstein_;
    wasserstein.weight = 0.85f;
    wasserstein.log_allowed = false;
    wasserstein.help =
        "W_estimate = E[f(real)] − E[f(fake)]. By the Kantorovich–Rubinstein duality the "
        "Wasserstein-1 distance is W1(p_data, p_g) = sup over 1-Lipschitz f of "
        "E_data[f] − E_g[f]. The critic f is trained to maximise this gap, so the gap "
        "estimates W1, but only up to f's actual Lipschitz constant K (it estimates K·W1) "
        "and only as well as the critic is trained: a lower bound, not a measurement. "
        "It should fall as the samples improve; it is comparable within one run, not "
        "across settings that change K (λ, the clip bound c).";
    gradient.title = "Critic's input-gradient norm";
    gradient.plot = &gradient_;
    gradient.weight = 0.85f;
    gradient.log_allowed = false;
    gradient.y_include = true;  // keep 0 and the target 1 in view
    gradient.help =
        "‖∇x f(x̂)‖ at random points between real and generated images. A 1-Lipschitz "
        "critic has norm at most 1 everywhere, and the optimal one has norm 1 almost "
        "everywhere between the distributions, so WGAN-GP penalises (‖∇x f(x̂)‖ − 1)².";
    if (has("gradient_penalty")) gradient.references = {{1.0, "1: the penalty's target"}};
    ffd.title = "FFD";
    ffd.plot = &ffd_;
    ffd.weight = 0.7f;
    ffd.help =
        "Fréchet feature distance of generated to real images; lower is better. "
        "Turn it on with \"FFD every\" in the sidebar.";
    other.title = "Other metrics";
    other.plot = &other_;
    other.weight = 0.85f;

    size_t unknown = 0;
    for (size_t c = 0; c < m.names.size() && c < m.columns.size(); ++c) {
        PlotSeries s;
        s.name = m.names[c];
        s.steps = m.steps;
        s.values = m.columns[c];
        const Known* known = nullptr;
        for (const Known& k : kKnown)
            if (s.name == k.name) known = &k;
        if (critic)
            for (const Known& k : kCriticLosses)
                if (s.name == k.name) known = &k;
        s.colour = known ? known->colour : kPalette[unknown++ % std::size(kPalette)];
        if (known) s.help = known->help;
        size_t finite = 0;
        for (float v : m.columns[c]) finite += std::isfinite(v);
        // A measurement taken every few steps: connect the points it has.
        s.sparse = finite * 2 < m.rows();
        const Slot slot = known                         ? known->slot
                          : starts_with(s.name, "loss") ? Slot::Losses
                                                        : Slot::Other;
        switch (slot) {
            case Slot::Losses:
                losses.series.push_back(std::move(s));
                break;
            case Slot::Outputs:
                outputs.series.push_back(std::move(s));
                break;
            case Slot::Critic:
                wasserstein.series.push_back(std::move(s));
                break;
            case Slot::GradientNorm:
                gradient.series.push_back(std::move(s));
                break;
            case Slot::Ffd:
                if (finite > 0) ffd.series.push_back(std::move(s));
                break;
            case Slot::Other:
                other.series.push_back(std::move(s));
                break;
        }
    }
    if (other.series.size() == 1) {
        other.title = other.series[0].name;
        other.title[0] =
            static_cast<char>(std::toupper(static_cast<unsigned char>(other.title[0])));
    }
    for (Group* g : {&losses, &outputs, &wasserstein, &gradient, &ffd, &other})
        if (!g->series.empty()) groups_.push_back(std::move(*g));
}

void LossesPanel::draw(PanelContext& ctx) {
    if (ctx.snapshot.metrics != metrics_) {
        metrics_ = ctx.snapshot.metrics;
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
            "which are probabilities, nor for the critic's statistics). Values at or below 0 "
            "are not drawn.");
    ImGui::SameLine(0, ImGui::GetFontSize());
    const bool have_data = metrics_ && metrics_->rows() > 0;
    ImGui::BeginDisabled(!have_data);
    if (ImGui::Button("Fit"))
        for (Plot* p : {&losses_, &outputs_, &wasserstein_, &gradient_, &ffd_, &other_}) p->fit();
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

GANVAS_REGISTER_PANEL(LossesPanel, 10, "Losses");

}  // namespace ganvas::gui
