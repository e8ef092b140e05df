#include "panels/gan_lab_panel.h"

#include <imgui.h>

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "gui/status_bar.h"
#include "i18n/tr.h"
#include "widgets/tooltip.h"
#include "widgets/toy_plane.h"

namespace ganvas::gui {
namespace {

const ImU32 kReal = IM_COL32(110, 220, 140, 255);
const ImU32 kFake = IM_COL32(200, 120, 255, 255);
const ImU32 kManifold = IM_COL32(200, 200, 210, 70);
const ImU32 kArrow = IM_COL32(255, 200, 90, 200);
const ImU32 kDrawn = IM_COL32(255, 255, 255, 230);

const char* kActivations[] = {"ReLU", "Leaky ReLU (0.2)", "tanh"};

// The hyper-parameters' help in the window's language (core's text is English).
const char* hyper_help(const HyperParam& h) {
    if (h.name == "lr_G")
        return tr("Generator learning rate. WGAN-GP's paper: 1e-4; WGAN: 5e-5; GANs here: 1e-3.");
    if (h.name == "lr_D") return tr("Discriminator/critic learning rate.");
    if (h.name == "d_steps")
        return tr(
            "Discriminator (critic) updates per generator update. WGANs use 5: the critic must be "
            "near its optimum for its value to estimate the Wasserstein distance.");
    if (h.name == "clip")
        return tr(
            "WGAN weight clipping: after each critic step every critic weight is clamped to "
            "[-c, c], a crude way to keep the critic Lipschitz.");
    if (h.name == "gp_lambda")
        return tr(
            "WGAN-GP penalty weight: lambda * E[(|grad f(x_hat)| - 1)^2] pulls the critic's "
            "gradient norm to 1 between real and fake points.");
    return h.help.c_str();
}

// A titled separator (ImGui 1.86 has no SeparatorText).
void section(const char* title) {
    ImGui::Spacing();
    ImGui::TextDisabled("%s", title);
    ImGui::Separator();
}

std::vector<std::string> data_choices() {
    std::vector<std::string> names = toy_distribution_names();
    names.push_back("custom");
    return names;
}

}  // namespace

GanLabPanel::GanLabPanel(const std::string& lab_spec) {
    ToyLabSpec spec;
    try {
        spec = parse_toy_lab_spec(lab_spec);
    } catch (const std::exception& e) {
        spec_error_ = e.what();  // the command line checks first; this only guards
    }
    target_steps_ = spec.steps;
    first_view_ = spec.view;
    lab_ = std::make_unique<ToyLab>(spec.config, false);
    lab_->set_w1_points(spec.w1_points);
    if (spec.steps > 0) {
        lab_->set_step_limit(spec.steps);
        lab_->run();
    }
}

void GanLabPanel::set_shown(bool shown) {
    lab_->worker().set_hidden(!shown);
}

bool GanLabPanel::slider_int(const char* label, int current, int lo, int hi, int* out) {
    auto it = pending_.find(label);
    int v = it != pending_.end() ? static_cast<int>(it->second) : current;
    if (ImGui::SliderInt(label, &v, lo, hi)) pending_[label] = v;
    if (ImGui::IsItemDeactivatedAfterEdit() && pending_.count(label)) {
        *out = static_cast<int>(pending_[label]);
        pending_.erase(label);
        return true;
    }
    return false;
}

bool GanLabPanel::slider_log(const char* label, double current, double lo, double hi, double* out) {
    auto it = pending_.find(label);
    float v = static_cast<float>(it != pending_.end() ? it->second : current);
    if (ImGui::SliderFloat(label, &v, static_cast<float>(lo), static_cast<float>(hi), "%.2e",
                           ImGuiSliderFlags_Logarithmic))
        pending_[label] = v;
    if (ImGui::IsItemDeactivatedAfterEdit() && pending_.count(label)) {
        *out = pending_[label];
        pending_.erase(label);
        return true;
    }
    return false;
}

void GanLabPanel::reconfigure(const ToyLabSnapshot& s,
                              const std::function<void(ToyLabConfig&)>& change) {
    ToyLabConfig c = s.config;
    change(c);
    lab_->configure(c);
}

void GanLabPanel::draw(PanelContext& ctx) {
    auto snap = lab_->snapshot();
    if (!snap) {
        ImGui::TextDisabled("%s", tr("Starting the lab..."));
        ctx.animating = true;
        ctx.working = true;
        return;
    }
    const ToyLabSnapshot& s = *snap;
    js_.observe(s);
    const bool w1_pending = s.plan_step != s.d_updates;
    // Frames at full rate while training is watched; a run toward --lab steps=N
    // leaves the CPU to training and is drawn a few times a second.
    ctx.animating |= target_steps_ == 0 && (s.running || s.w1_busy || w1_pending);
    // A screenshot of `--lab steps=N` waits for the steps and for the exact W1 of the last one.
    ctx.working |= (target_steps_ > 0 && s.g_updates < target_steps_ && s.error.empty()) ||
                   s.running || s.w1_busy || (w1_pending && s.error.empty());

    const float scale = ctx.ui_scale;
    ImGui::BeginChild("lab_controls", ImVec2(std::round(330 * scale), 0), true);
    ImGui::PushItemWidth(std::round(165 * scale));
    draw_controls(ctx, s);
    ImGui::PopItemWidth();
    ImGui::EndChild();
    ImGui::SameLine();
    ImGui::BeginChild("lab_views", ImVec2(0, 0), false);
    if (!spec_error_.empty()) error_text(spec_error_);
    if (!s.error.empty()) error_text(tr_phrase(s.error));
    if (ImGui::BeginTabBar("lab_views_tabs")) {
        int view = static_cast<int>(ctx.settings.integer("lab.view", 0, 0, 1));
        if (!view_chosen_ && !first_view_.empty() && target_steps_ > 0)
            view = first_view_ == "wasserstein" ? 1 : 0;
        const bool choose = !view_chosen_;
        view_chosen_ = true;
        if (ImGui::BeginTabItem(tr_id("Data space"), nullptr,
                                choose && view == 0 ? ImGuiTabItemFlags_SetSelected : 0)) {
            if (!choose) ctx.settings.set_number("lab.view", 0);
            draw_field(ctx, s);
            ImGui::EndTabItem();
        }
        if (ImGui::BeginTabItem(tr_id("Wasserstein"), nullptr,
                                choose && view == 1 ? ImGuiTabItemFlags_SetSelected : 0)) {
            if (!choose) ctx.settings.set_number("lab.view", 1);
            draw_wasserstein(ctx, s);
            ImGui::EndTabItem();
        }
        ImGui::EndTabBar();
    }
    ImGui::EndChild();
}

bool GanLabPanel::transport(Transport t) {
    switch (t) {
        case Transport::RunPause:
            lab_->toggle_run();
            break;
        case Transport::Step:
            lab_->step_once();
            break;
        case Transport::Reset:
            lab_->reset();
            break;
    }
    return true;
}

void GanLabPanel::draw_controls(PanelContext& ctx, const ToyLabSnapshot& s) {
    const Toy2dConfig& m = s.config.model;
    if (ImGui::Button(s.running ? tr("Pause") : tr("Play"),
                      ImVec2(std::round(70 * ctx.ui_scale), 0)))
        lab_->toggle_run();
    item_tooltip(
        tr("Train continuously on the lab's own worker (the window's session is not used)."));
    ImGui::SameLine();
    if (ImGui::Button(tr("Step"))) lab_->step_once();
    item_tooltip(
        tr("One discriminator step, then one generator step, then pause: watch how each "
           "network reacts to the other."));
    ImGui::SameLine();
    if (ImGui::Button(tr("Reset"))) lab_->reset();
    item_tooltip(tr("Fresh networks from the same seed and settings."));
    draw_worker_pin(lab_->worker());
    if (ImGui::SliderInt(tr("slow motion"), &delay_ms_, 0, 500,
                         delay_ms_ ? tr("%d ms/step") : tr("off")))
        lab_->set_delay_ms(delay_ms_);
    item_tooltip(tr("A pause after every step, so single updates can be followed by eye."));
    ImGui::Text(tr("step %lld D, %lld G"), static_cast<long long>(s.d_updates),
                static_cast<long long>(s.g_updates));
    if (s.running) {
        ImGui::SameLine();
        ImGui::TextDisabled(tr("%.0f steps/s"), s.steps_per_second);
    }

    section(tr("Data"));
    const std::vector<std::string> names = data_choices();
    int data =
        static_cast<int>(std::find(names.begin(), names.end(), s.config.data) - names.begin());
    if (ImGui::BeginCombo(tr("data"),
                          s.config.data == "custom" ? tr("custom") : s.config.data.c_str())) {
        for (int i = 0; i < static_cast<int>(names.size()); ++i) {
            const bool custom = names[i] == "custom";
            if (custom && drawn_.empty() && s.config.custom_points.empty()) continue;
            if (ImGui::Selectable(custom ? tr("custom") : names[i].c_str(), i == data) && i != data)
                reconfigure(s, [&](ToyLabConfig& c) {
                    c.data = names[i];
                    if (custom && !drawn_.empty()) c.custom_points = drawn_;
                });
        }
        ImGui::EndCombo();
    }
    item_tooltip(
        tr("The distribution to learn. ring8 and grid25 are Gaussian mixtures whose modes "
           "a generator may drop (mode collapse); *1d are 1-D densities; custom is what "
           "you draw."));
    ImGui::Checkbox(tr("draw your own"), &drawing_);
    item_tooltip(tr("Paint points on the plane with the left mouse button, then press Use."));
    if (drawing_) {
        ImGui::SameLine();
        if (ImGui::Button(tr("Use")) && !drawn_.empty())
            reconfigure(s, [&](ToyLabConfig& c) {
                c.data = "custom";
                c.custom_points = drawn_;
            });
        ImGui::SameLine();
        if (ImGui::Button(tr("Clear"))) drawn_.clear();
        ImGui::TextDisabled(tr("%zu points drawn"), drawn_.size());
    }

    section(tr("Objective"));
    int objective = static_cast<int>(m.objective);
    const char* objectives[] = {tr("Minimax GAN (saturating)"), tr("Non-saturating GAN"),
                                tr("Least squares (LSGAN)"), tr("WGAN, weight clipping"),
                                "WGAN-GP"};
    // Wide enough for the longest objective, so "Minimax GAN (saturating)" is read whole at
    // any scale; never wider than the column.
    float longest = 0;
    for (const char* o : objectives) longest = std::max(longest, ImGui::CalcTextSize(o).x);
    const ImGuiStyle& st = ImGui::GetStyle();
    ImGui::SetNextItemWidth(std::min(ImGui::GetContentRegionAvail().x,
                                     longest + st.FramePadding.x * 2 + ImGui::GetFrameHeight()));
    if (ImGui::Combo("##objective", &objective, objectives, 5))
        reconfigure(s, [&](ToyLabConfig& c) {
            c.model.objective = static_cast<ToyObjective>(objective);
            c.model.lr_g = c.model.lr_d = -1;  // the objective's own optimiser settings
            c.model.d_steps = -1;
        });
    item_tooltip(
        tr("Minimax: G minimises log(1 - D(G(z))), the original game; its gradient vanishes when D "
           "confidently rejects the fakes. Non-saturating: G maximises log D(G(z)) instead. Least "
           "squares: squared distances to the labels. WGAN: a critic f estimates the Wasserstein-1 "
           "distance, kept Lipschitz by clipping its weights to [-c, c] (RMSprop 5e-5, 5 critic "
           "steps). WGAN-GP: the same with a gradient penalty lambda (|grad f| - 1)^2, computed by "
           "exact double backward (Adam 1e-4, betas (0, 0.9))."));
    bool sn = m.spectral_norm;
    if (ImGui::Checkbox(tr("spectral norm on D"), &sn))
        reconfigure(s, [&](ToyLabConfig& c) { c.model.spectral_norm = sn; });
    item_tooltip(
        tr("Divide each discriminator weight by its largest singular value (one power "
           "iteration per step, as torch.nn.utils.spectral_norm): every layer becomes "
           "1-Lipschitz."));

    // Settings that apply between steps, without a restart.
    for (const HyperParam& h : s.hyper_params) {
        const bool wgan_clip = m.objective == ToyObjective::wgan_clip;
        const bool wgan_gp = m.objective == ToyObjective::wgan_gp;
        if (h.name == "lr_G" || h.name == "lr_D") {
            double v = 0;
            if (slider_log(h.name.c_str(), h.value, 1e-5, 1e-1, &v)) lab_->set_hyper(h.name, v);
            item_tooltip(hyper_help(h));
        } else if (h.name == "d_steps") {
            int v = 0;
            if (slider_int(tr("D steps per G step"), static_cast<int>(h.value), 1, 10, &v))
                lab_->set_hyper(h.name, v);
            item_tooltip(hyper_help(h));
        } else if ((h.name == "clip" && wgan_clip) || (h.name == "gp_lambda" && wgan_gp)) {
            double v = 0;
            if (slider_log(h.name == "clip" ? tr("clip c") : tr("GP lambda"), h.value,
                           h.name == "clip" ? 1e-3 : 0.1, h.name == "clip" ? 1.0 : 100.0, &v))
                lab_->set_hyper(h.name, v);
            item_tooltip(hyper_help(h));
        }
    }

    section(tr("Networks"));
    int v = 0;
    if (slider_int(tr("G layers"), m.g_layers, 0, 6, &v))
        reconfigure(s, [&](ToyLabConfig& c) { c.model.g_layers = v; });
    item_tooltip(tr("Hidden layers of the generator (0: a linear map of the noise)."));
    if (slider_int(tr("G width"), static_cast<int>(m.g_width), 2, 256, &v))
        reconfigure(s, [&](ToyLabConfig& c) { c.model.g_width = v; });
    int act = static_cast<int>(m.g_activation);
    if (ImGui::Combo(tr("G activation"), &act, kActivations, 3))
        reconfigure(s,
                    [&](ToyLabConfig& c) { c.model.g_activation = static_cast<Activation>(act); });
    if (slider_int(tr("D layers"), m.d_layers, 0, 6, &v))
        reconfigure(s, [&](ToyLabConfig& c) { c.model.d_layers = v; });
    item_tooltip(
        tr("Hidden layers of the discriminator/critic. More layers: a more detailed "
           "decision surface in the heatmap."));
    if (slider_int(tr("D width"), static_cast<int>(m.d_width), 2, 256, &v))
        reconfigure(s, [&](ToyLabConfig& c) { c.model.d_width = v; });
    act = static_cast<int>(m.d_activation);
    if (ImGui::Combo(tr("D activation"), &act, kActivations, 3))
        reconfigure(s,
                    [&](ToyLabConfig& c) { c.model.d_activation = static_cast<Activation>(act); });
    int noise_dim = m.noise_dim;
    if (ImGui::SliderInt(tr("noise dim"), &noise_dim, 1, 2) && noise_dim != m.noise_dim)
        reconfigure(s, [&](ToyLabConfig& c) { c.model.noise_dim = noise_dim; });
    item_tooltip(
        tr("Dimensions of z. A 1-D noise can only make a curve in the plane: the warped "
           "latent grid becomes a single line."));
    int gaussian = m.gaussian_noise ? 0 : 1;
    const char* kNoise[] = {tr("Gaussian N(0, I)"), tr("Uniform U[-1, 1]")};
    if (ImGui::Combo(tr("noise"), &gaussian, kNoise, 2))
        reconfigure(s, [&](ToyLabConfig& c) { c.model.gaussian_noise = gaussian == 0; });
    if (slider_int(tr("batch"), static_cast<int>(s.config.batch), 8, 1024, &v))
        reconfigure(s, [&](ToyLabConfig& c) { c.batch = v; });
    if (slider_int(tr("seed"), static_cast<int>(s.config.seed), 0, 100, &v))
        reconfigure(s, [&](ToyLabConfig& c) { c.seed = static_cast<uint64_t>(v); });
    item_tooltip(
        tr("The seed of the initial weights, the noise and the data: the same seed and "
           "settings give the same run."));

    section(tr("Show"));
    auto toggle = [&](const char* label, const char* key, const char* help) {
        bool on = ctx.settings.number(key, 1) != 0;
        if (ImGui::Checkbox(label, &on)) ctx.settings.set_number(key, on ? 1 : 0);
        item_tooltip(help);
    };
    toggle(tr("heatmap"), "lab.show_heat",
           tr("D's probability that a point is real (green: real, purple: fake, dark: undecided), "
              "or the critic's value f(x) for WGANs (green: high)."));
    ImGui::SameLine();
    toggle(
        tr("manifold"), "lab.show_manifold",
        tr("The generator's image of a regular grid of z: how G folds and stretches the noise."));
    toggle(tr("arrows"), "lab.show_arrows",
           tr("Where the generator's loss pushes each generated point: -d loss_G / dx."));
    ImGui::SameLine();
    toggle(tr("real"), "lab.show_real", tr("Samples of the data (green)."));
    ImGui::SameLine();
    toggle(tr("fake"), "lab.show_fake", tr("Samples of the generator (purple)."));
}

void GanLabPanel::draw_plane(PanelContext& ctx, const ToyLabSnapshot& s, float side,
                             bool transport) {
    ToyPlane plane = ToyPlane::place(side, s.box.lo, s.box.hi);
    const Settings& st = ctx.settings;
    if (st.number("lab.show_heat", 1) != 0) plane.heatmap(s.heat, s.heat_n, s.heat_is_probability);
    if (transport) {
        plane.matching(s.plan_real, s.plan_fake, s.plan_match, IM_COL32(240, 220, 120, 110));
        plane.points(s.plan_real, kReal, 2.0f);
        plane.points(s.plan_fake, kFake, 2.0f);
    } else {
        if (st.number("lab.show_manifold", 1) != 0)
            plane.warped_grid(s.manifold, s.latent_n, s.config.model.noise_dim == 1, kManifold);
        if (st.number("lab.show_real", 1) != 0) plane.points(s.real, kReal, 2.0f);
        if (st.number("lab.show_fake", 1) != 0) plane.points(s.fake, kFake, 2.0f);
        if (st.number("lab.show_arrows", 1) != 0) {  // one point in four: arrows, not a carpet
            const size_t n = std::min<size_t>(s.fake.size(), 256);
            std::vector<float> from(s.fake.begin(), s.fake.begin() + n),
                push(s.push.begin(), s.push.begin() + n);
            plane.arrows(from, push, 14 * ctx.ui_scale, kArrow);
        }
    }
    if (drawing_) {
        ImVec2 mouse = ImGui::GetIO().MousePos;
        if (ImGui::IsItemHovered() && ImGui::IsMouseDown(0) && plane.contains(mouse)) {
            ImVec2 p = plane.to_plane(mouse);
            const bool far = drawn_.empty() ||
                             std::hypot(drawn_.back()[0] - p.x, drawn_.back()[1] - p.y) > 0.04f;
            if (far) drawn_.push_back({p.x, p.y});
        }
        std::vector<float> flat;
        for (auto& p : drawn_) flat.insert(flat.end(), {p[0], p[1]});
        plane.points(flat, kDrawn, 2.5f);
    }
}

void GanLabPanel::draw_density(PanelContext& ctx, const ToyLabSnapshot& s, ImVec2 size) {
    const int n = s.heat_n;
    xs_.resize(n);
    for (int i = 0; i < n; ++i) xs_[i] = s.box.lo + (s.box.hi - s.box.lo) * (i + 0.5) / n;
    std::vector<PlotSeries> series = {
        {"p_data", kReal, {}, xs_, s.p_data, false, tr("The data's density (exact).")},
        {"p_g",
         kFake,
         {},
         xs_,
         s.kde_fake,
         false,
         tr("The generator's density, a Gaussian kernel estimate from 512 samples.")},
        {s.heat_is_probability ? "D(x)" : "f(x)",
         IM_COL32(90, 170, 250, 255),
         {},
         xs_,
         s.heat,
         false,
         s.heat_is_probability
             ? tr("The discriminator's probability that x is real. At the game's optimum "
                  "D*(x) = p_data / (p_data + p_g); when p_g = p_data it is 1/2 everywhere.")
             : tr("The critic's value at x (unbounded).")},
    };
    PlotOptions o;
    o.scale = ctx.ui_scale;
    o.x_label = "x";
    if (s.heat_is_probability) o.references = {{0.5, "D = 1/2"}};
    o.help =
        tr("Goodfellow et al. (2014), figure 1, in motion: the data density, the generator's "
           "density and the discriminator on one axis.");
    density_.draw(tr("p_data, p_g and D(x)"), series, o, size);
}

void GanLabPanel::draw_losses(PanelContext& ctx, const ToyLabSnapshot& s, ImVec2 size,
                              bool across) {
    if (!s.metrics || s.metrics->rows() == 0) {
        hint(tr("Press Play or Step to train; the losses appear here."));  // wraps beside the plane
        return;
    }
    const MetricHistory& h = *s.metrics;
    PlotOptions o;
    o.scale = ctx.ui_scale;
    o.smoothing = 0.6;
    const ImVec2 spacing = ImGui::GetStyle().ItemSpacing;
    const ImVec2 each = across ? ImVec2((size.x - spacing.x) / 2, size.y)
                               : ImVec2(size.x, (size.y - spacing.y) / 2);
    bool first = true;
    auto plot = [&](Plot& p, const char* title, const char* column, ImU32 colour,
                    const char* help) {
        const std::vector<float>* v = h.column(column);
        if (!v) return;
        if (across && !first) ImGui::SameLine();
        first = false;
        std::vector<PlotSeries> series = {{column, colour, h.steps, {}, *v, false, help}};
        ImGui::BeginGroup();  // the legend's lines start at the plot's own left edge
        p.draw(title, series, o, each);
        ImGui::EndGroup();
    };
    const bool wgan = is_wasserstein(s.config.model.objective);
    plot(loss_d_, wgan ? tr("Critic loss") : tr("Discriminator loss"), "loss_D",
         IM_COL32(240, 135, 60, 255),
         wgan
             ? tr("E f(fake) - E f(real) (+ the gradient penalty): minus the critic's W1 estimate.")
             : tr("The discriminator's cross-entropy (or least-squares) loss on real and fake."));
    plot(loss_g_, tr("Generator loss"), "loss_G", IM_COL32(80, 160, 240, 255),
         tr("The generator's loss at its latest update."));
}

void GanLabPanel::draw_field(PanelContext& ctx, const ToyLabSnapshot& s) {
    const ImVec2 avail = ImGui::GetContentRegionAvail();
    if (target_steps_ > 0 && s.running) {
        // A run toward --lab steps=N: frames stay cheap so training gets the CPU.
        ImGui::ProgressBar(static_cast<float>(s.g_updates) / static_cast<float>(target_steps_),
                           ImVec2(std::round(300 * ctx.ui_scale), 0));
        ImGui::Text(tr("training %lld of %lld generator steps..."),
                    static_cast<long long>(s.g_updates), static_cast<long long>(target_steps_));
        return;
    }
    if (s.dim == 1) {
        draw_density(ctx, s, ImVec2(avail.x, avail.y * 0.6f));
        draw_losses(ctx, s, ImVec2(avail.x, avail.y * 0.4f - ImGui::GetStyle().ItemSpacing.y));
        return;
    }
    if (s.modes_total > 0) {
        char modes[256];
        std::snprintf(modes, sizeof modes,
                      tr("modes covered: %d of %d   (%.0f%% of generated points near a centre)"),
                      s.modes_covered, s.modes_total, 100 * s.near_share);
        text_wrapped(modes);
        item_tooltip(
            tr("Each generated point counts for its nearest mode of the data when it lies "
               "within 0.3 of it; a mode is covered when it holds at least a quarter of "
               "its fair share. A collapsed generator covers few."));
    }
    hint(
        tr("Green: data; purple: the generator's samples; the background: D's belief that a "
           "point is real; arrows: where G's loss pushes each sample."));
    // The losses beside the plane when a readable plot fits there, else below it,
    // the two plots side by side (at 1024x768 in presentation mode the plots
    // beside the plane were squeezed and ran past the window's edge).
    const float room_y = ImGui::GetContentRegionAvail().y;
    const float spacing = ImGui::GetStyle().ItemSpacing.x;
    float side = std::max(100.0f, std::min(avail.x * 0.58f, room_y));
    if (avail.x - side - spacing >= 15 * ImGui::GetFontSize()) {
        draw_plane(ctx, s, side, false);
        ImGui::SameLine();
        ImGui::BeginGroup();
        draw_losses(ctx, s, ImVec2(0, side));
        ImGui::EndGroup();
        return;
    }
    const float losses_h = std::max(6 * ImGui::GetFontSize(), 0.35f * room_y);
    side = std::max(100.0f, std::min(avail.x, room_y - losses_h - ImGui::GetStyle().ItemSpacing.y));
    draw_plane(ctx, s, side, false);
    draw_losses(ctx, s, ImVec2(avail.x, losses_h), true);
}

void GanLabPanel::draw_wasserstein(PanelContext& ctx, const ToyLabSnapshot& s) {
    const ImVec2 avail = ImGui::GetContentRegionAvail();
    if (target_steps_ > 0 && s.running) {
        ImGui::Text(tr("training %lld of %lld generator steps..."),
                    static_cast<long long>(s.g_updates), static_cast<long long>(target_steps_));
        return;
    }
    int points = static_cast<int>(s.plan_match.empty() ? 256 : s.plan_match.size());
    int chosen = 0;
    ImGui::SetNextItemWidth(std::round(220 * ctx.ui_scale));
    if (slider_int(tr("points in the exact W1"), points, 16, 1024, &chosen))
        lab_->set_w1_points(chosen);
    item_tooltip(
        tr("Equal-size samples of the data and of the generator are matched one to one "
           "by an exact optimal assignment (Hungarian method, O(n^3)) on a worker thread; "
           "in 1-D, by sorting. 1024 points take about a second."));
    ImGui::Text(tr("exact W1 = %.4f   critic estimate = %.4f   Lipschitz = %.3f%s"), s.plan_w1,
                s.critic_estimate, s.lipschitz, s.w1_busy ? tr("   (computing...)") : "");
    if (s.dim == 2)
        hint(
            tr("The lines pair each data point with a generated one at the least total distance: "
               "the earth mover's distance W1. A critic can only estimate it from below."));
    const float top = ImGui::GetCursorPosY();
    const float h = avail.y - (top - ImGui::GetCursorStartPos().y) + 0 - 4;
    if (s.dim == 2) {
        const float side = std::max(100.0f, std::min(avail.x * 0.5f, h));
        draw_plane(ctx, s, side, true);
        ImGui::SameLine();
    } else {
        js_.draw(ctx, s, ImVec2(std::max(100.0f, avail.x * 0.5f), h));
        ImGui::SameLine();
    }
    ImGui::BeginGroup();
    if (!s.wasserstein || s.wasserstein->rows() == 0) {
        ImGui::TextDisabled("%s", tr("Train a few steps: the exact W1 appears as it is computed."));
    } else {
        const MetricHistory& w = *s.wasserstein;
        const std::vector<float>* w1 = w.column("W1 exact");
        const std::vector<float>* est = w.column("critic estimate");
        const std::vector<float>* lip = w.column("Lipschitz");
        bound_.resize(w.rows());
        for (size_t i = 0; i < w.rows(); ++i)
            bound_[i] = (*lip)[i] > 0 ? (*est)[i] / (*lip)[i] : NAN;
        PlotOptions o;
        o.scale = ctx.ui_scale;
        o.help =
            tr("Kantorovich-Rubinstein: W1(P, Q) = sup over 1-Lipschitz f of "
               "E_P f - E_Q f. Any critic f with Lipschitz constant L gives the lower bound "
               "(E f(real) - E f(fake)) / L <= W1; a good WGAN-GP critic (L near 1) comes "
               "close to the exact value.");
        std::vector<PlotSeries> series = {
            {tr("W1 exact"),
             IM_COL32(240, 220, 120, 255),
             w.steps,
             {},
             *w1,
             true,
             tr("The exact Wasserstein-1 distance between the two samples (optimal assignment).")},
            {tr("critic estimate"),
             IM_COL32(240, 135, 60, 255),
             w.steps,
             {},
             *est,
             true,
             tr("E f(real) - E f(fake) with the current critic (or D's logit for GANs).")},
            {tr("estimate / Lipschitz"),
             IM_COL32(90, 200, 230, 255),
             w.steps,
             {},
             bound_,
             true,
             tr("The critic's estimate divided by its measured Lipschitz constant: a lower bound "
                "on W1 by the duality.")},
        };
        const float ph = (h - ImGui::GetStyle().ItemSpacing.y) * 0.6f;
        w1_plot_.draw(tr("W1: exact vs the critic"), series, o, ImVec2(0, ph));
        PlotOptions lo;
        lo.scale = ctx.ui_scale;
        lo.references = {{1.0, "L = 1"}};
        lo.help =
            tr("The critic's Lipschitz constant, measured as the largest |grad f(x)| on a "
               "32 x 32 grid over the view. WGAN-GP pulls it to 1; weight clipping bounds it "
               "crudely; an unconstrained GAN discriminator's grows.");
        std::vector<PlotSeries> ls = {{"Lipschitz",
                                       IM_COL32(160, 130, 240, 255),
                                       w.steps,
                                       {},
                                       *lip,
                                       true,
                                       tr("max |grad_x f| on the grid")}};
        lipschitz_plot_.draw(tr("Critic Lipschitz constant"), ls, lo,
                             ImVec2(0, h - ph - ImGui::GetStyle().ItemSpacing.y));
    }
    ImGui::EndGroup();
}

GANVAS_REGISTER_PANEL_MADE_BY(GanLabPanel, 50, "GAN Lab", [](const PanelStart& start) {
    return std::make_unique<GanLabPanel>(start.lab);
});

}  // namespace ganvas::gui
