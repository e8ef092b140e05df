#include "panels/experiment_panel.h"

#include <imgui.h>

#include <chrono>
#include <cmath>
#include <cstring>
#include <future>
#include <string>

#include "backend/backend.h"
#include "gui/fonts.h"
#include "i18n/tr.h"
#include "models/model.h"
#include "panels/session_start.h"
#include "panels/tensorboard_panel.h"
#include "widgets/tooltip.h"

namespace ganvas::gui {
namespace {

// Whether the GPU backend opens, asked once on a thread of its own: opening it makes an
// EGL context current, which must never happen on the window's thread (its GL context
// draws the interface), and it takes a moment.
struct GpuProbe {
    bool done = false, available = false;
    std::string why;
};

const GpuProbe& gpu_probe() {
    static GpuProbe probe;
    static std::future<GpuProbe> job = std::async(std::launch::async, [] {
        GpuProbe p;
        p.available = backend_available(Device::gpu, &p.why);
        p.done = true;
        return p;
    });
    if (!probe.done && job.valid() &&
        job.wait_for(std::chrono::seconds(0)) == std::future_status::ready)
        probe = job.get();
    return probe;
}

// The Reset button's question, a modal window named by its title.
const char* reset_popup_title() {
    return tr("Reset the run?");
}

}  // namespace

std::string ExperimentPanel::experiment_path(const Settings& settings) const {
    return path_loaded_ ? std::string(path_buf_)
                        : settings.text("experiment.path", "experiments/experiment.json");
}

void ExperimentPanel::draw(PanelContext& ctx) {
    if (!path_loaded_) {
        copy_to_buffer(path_buf_, sizeof path_buf_, experiment_path(ctx.settings));
        path_loaded_ = true;
    }
    draw_controls(ctx);
    ImGui::Separator();
    draw_session(ctx);
    ImGui::Separator();
    draw_settings(ctx);
    ImGui::Separator();
    draw_files(ctx);
}

void ExperimentPanel::draw_controls(PanelContext& ctx) {
    const TrainerSnapshot& s = ctx.snapshot;
    const float w = (ImGui::GetContentRegionAvail().x - 2 * ImGui::GetStyle().ItemSpacing.x) / 3;
    const bool running = s.state == TrainerState::Running;
    const bool ready = s.state != TrainerState::Loading && s.state != TrainerState::Failed;
    ImGui::BeginDisabled(!ready);
    if (running) {
        ImGui::PushStyleColor(ImGuiCol_Button, ImVec4(0.55f, 0.35f, 0.1f, 1));
        if (ImGui::Button(tr("Pause"), ImVec2(w, 0))) ctx.trainer.pause();
        ImGui::PopStyleColor();
    } else {
        ImGui::PushStyleColor(ImGuiCol_Button, ImVec4(0.15f, 0.45f, 0.2f, 1));
        if (ImGui::Button(tr("Run"), ImVec2(w, 0))) ctx.trainer.run();
        ImGui::PopStyleColor();
    }
    item_tooltip(tr("Start or pause training (Space)."));
    ImGui::SameLine();
    if (ImGui::Button(tr("Step"), ImVec2(w, 0))) ctx.trainer.step_once();
    item_tooltip(tr("Train exactly one step, then pause (S)."));
    ImGui::SameLine();
    if (ImGui::Button(tr("Reset"), ImVec2(w, 0))) ImGui::OpenPopup(reset_popup_title());
    item_tooltip(
        tr("Start again from fresh weights drawn with the same seed, keeping your settings (R). "
           "Asks first: the steps and weights of this run are lost."));
    ImGui::EndDisabled();
    if (reset_asked_) ImGui::OpenPopup(reset_popup_title());
    reset_asked_ = false;
    draw_reset_confirmation(ctx);

    int budget = static_cast<int>(s.budget);
    ImGui::SetNextItemWidth(ImGui::GetFontSize() * 8);
    if (ImGui::InputInt(tr("step budget"), &budget, 500, 5000) && budget >= 0)
        ctx.trainer.set_budget(budget);
    item_tooltip(tr("Run stops at this step; the status bar's ETA counts down to it."));
}

void ExperimentPanel::draw_reset_confirmation(PanelContext& ctx) {
    if (!ImGui::BeginPopupModal(reset_popup_title(), nullptr, ImGuiWindowFlags_AlwaysAutoResize))
        return;
    ImGui::TextUnformatted(tr("Reset the run? Steps and weights are lost."));
    ImGui::TextDisabled(tr("Step %lld; your settings are kept."),
                        static_cast<long long>(ctx.snapshot.step));
    const float w = ImGui::GetFontSize() * 6;
    if (ImGui::Button(tr("Reset"), ImVec2(w, 0))) {
        ctx.trainer.reset();
        ImGui::CloseCurrentPopup();
    }
    ImGui::SameLine();
    // Escape keeps the run, as Cancel does.
    if (ImGui::Button(tr("Cancel"), ImVec2(w, 0)) ||
        ImGui::IsKeyPressed(ImGui::GetKeyIndex(ImGuiKey_Escape), false))
        ImGui::CloseCurrentPopup();
    ImGui::EndPopup();
}

void ExperimentPanel::draw_session(PanelContext& ctx) {
    const TrainerSnapshot& s = ctx.snapshot;
    if (!editing_) {
        edit_ = s.config;
        copy_to_buffer(data_buf_, sizeof data_buf_, edit_.data);
    }
    ImGui::TextDisabled("%s", tr("SESSION"));
    const float field = ImGui::GetContentRegionAvail().x * 0.6f;
    ImGui::SetNextItemWidth(field);
    if (ImGui::BeginCombo(tr("model"), edit_.model.c_str())) {
        // Only models the sidebar can train from a data spec: toy2d trains in the GAN Lab,
        // prior49 in the VQ Stage 2 panel on a VQGAN's codes.
        for (const std::string& name : window_model_names())
            if (ImGui::Selectable(name.c_str(), name == edit_.model)) {
                edit_.model = name;
                editing_ = true;
            }
        ImGui::EndCombo();
    }
    item_tooltip(
        tr("dcgan28: the DCGAN generator and discriminator of the reference.\nwgan_gp28: the same "
           "generator against a critic (no batch norm) trained to estimate\n  the Wasserstein "
           "distance, kept near 1-Lipschitz by a gradient penalty (WGAN-GP).\nwgan_clip28: the "
           "same, with the critic's weights clipped instead (the first WGAN).\nvqgan28: a VQGAN's "
           "first stage, an autoencoder through a 256-code codebook\n  (see the VQ Stage 1 "
           "tab).\nclassifier28: the Fashion-MNIST classifier whose features measure sample "
           "quality.\n(toy2d trains in the GAN Lab tab, prior49 on a VQGAN's codes in the VQ Stage "
           "2 tab.)"));
    ImGui::SetNextItemWidth(field);
    note_glyphs(data_buf_);  // a folder:DIR spec may name a Chinese folder
    if (ImGui::InputText(tr("data"), data_buf_, sizeof data_buf_)) {
        edit_.data = data_buf_;
        editing_ = true;
    }
    item_tooltip(tr(
        "fashion-mnist (60,000 training images), fashion-mnist:test (10,000),\nidx:IMAGES[,LABELS] "
        "for IDX files, tfrecord:FILE[,image=KEY][,label=KEY] for\nTFRecord files of tf.Example "
        "records, folder:DIR for a folder of images\n(one subfolder per class, or none)."));
    int batch = static_cast<int>(edit_.batch);
    ImGui::SetNextItemWidth(field);
    if (ImGui::InputInt(tr("batch"), &batch, 8, 64)) {
        edit_.batch = std::max(1, batch);
        editing_ = true;
    }
    item_tooltip(
        tr("Images per step. Applies from the next step when only this changes; larger batches "
           "give smoother gradients and fewer steps per second."));
    int seed = static_cast<int>(edit_.seed);
    ImGui::SetNextItemWidth(field);
    if (ImGui::InputInt(tr("seed"), &seed)) {
        edit_.seed = static_cast<uint64_t>(std::max(0, seed));
        editing_ = true;
    }
    item_tooltip(
        tr("Draws the initial weights, the noise and the batch order: the same seed on one thread "
           "trains bit for bit the same."));
    ImGui::SetNextItemWidth(field);
    if (ImGui::BeginCombo(tr("device"), device_name(edit_.device))) {
        if (ImGui::Selectable("cpu", edit_.device == Device::cpu) && edit_.device != Device::cpu)
            edit_.device = Device::cpu, editing_ = true;
        const GpuProbe& gpu = gpu_probe();
        ImGui::BeginDisabled(!gpu.done || !gpu.available);
        if (ImGui::Selectable(gpu.done ? "gpu" : tr("gpu (looking for one…)"),
                              edit_.device == Device::gpu) &&
            edit_.device != Device::gpu)
            edit_.device = Device::gpu, editing_ = true;
        ImGui::EndDisabled();
        if (gpu.done && !gpu.available) item_tooltip(gpu.why.c_str());
        if (!gpu.done) ctx.animating = true;  // until the probe answers
        ImGui::EndCombo();
    }
    item_tooltip(
        tr("Where training runs: the CPU backend uses every core (see the status bar); the GPU "
           "backend runs OpenGL 4.3 compute shaders. The same seed trains the same run on "
           "either, up to rounding."));

    if (editing_) {
        const bool only_batch = edit_.model == s.config.model && edit_.data == s.config.data &&
                                edit_.seed == s.config.seed && edit_.device == s.config.device;
        if (ImGui::Button(only_batch ? tr("Apply batch size") : tr("Apply: new session"))) {
            if (only_batch) {
                ctx.trainer.set_batch(edit_.batch);
                remember_session(ctx.settings, edit_);
            } else {
                start_session(ctx, edit_);
            }
            editing_ = false;
        }
        item_tooltip(only_batch
                         ? tr("Changes the batch size between steps; training continues.")
                         : tr("Builds a new session: fresh weights, the curves start again."));
        ImGui::SameLine();
        if (ImGui::Button(tr("Cancel"))) editing_ = false;
    }
}

void ExperimentPanel::draw_settings(PanelContext& ctx) {
    ImGui::TextDisabled("%s", tr("SETTINGS (apply between steps)"));
    const float field = ImGui::GetContentRegionAvail().x * 0.6f;
    for (const HyperParam& h : ctx.snapshot.hyper_params) {
        ImGui::SetNextItemWidth(field);
        ImGui::PushID(h.name.c_str());
        if (h.boolean) {
            bool on = h.value != 0;
            if (ImGui::Checkbox(h.name.c_str(), &on)) ctx.trainer.set_hyper(h.name, on ? 1 : 0);
        } else if (h.integer) {
            int v = static_cast<int>(std::lround(h.value));
            if (ImGui::SliderInt(h.name.c_str(), &v, static_cast<int>(h.min),
                                 static_cast<int>(h.max)))
                ctx.trainer.set_hyper(h.name, v);
        } else {
            double v = h.value;
            const ImGuiSliderFlags flags =
                h.log_scale ? ImGuiSliderFlags_Logarithmic | ImGuiSliderFlags_AlwaysClamp
                            : ImGuiSliderFlags_AlwaysClamp;
            if (ImGui::SliderScalar(h.name.c_str(), ImGuiDataType_Double, &v, &h.min, &h.max,
                                    h.log_scale ? "%.2e" : "%.4f", flags))
                ctx.trainer.set_hyper(h.name, v);
        }
        // The help comes from core in English; session.json holds its Chinese (a test checks).
        item_tooltip(tr(h.help.c_str()));
        ImGui::PopID();
    }
    if (ctx.snapshot.fixed_noise.defined()) {
        int every = ctx.snapshot.ffd_every;
        ImGui::SetNextItemWidth(field);
        if (ImGui::InputInt(tr("FFD every"), &every, 100, 500))
            ctx.trainer.set_ffd_every(std::max(0, every));
        item_tooltip(
            tr("Every this many steps, score 1000 samples by the Fréchet Fashion-MNIST Distance "
               "(lower is better) and plot it with the losses. 0 turns it off; each measurement "
               "takes a moment."));
    }
    tensorboard_log_checkbox(ctx);
}

void ExperimentPanel::draw_files(PanelContext& ctx) {
    ImGui::TextDisabled("%s", tr("EXPERIMENT FILE"));
    ImGui::SetNextItemWidth(-1);
    note_glyphs(path_buf_);
    if (ImGui::InputText("##path", path_buf_, sizeof path_buf_))
        ctx.settings.set_text("experiment.path", path_buf_);
    item_tooltip(
        tr("A JSON file of the settings; the weights, optimizer state and random state go beside "
           "it as .safetensors, so a loaded experiment continues bit for bit."));
    if (ImGui::Button(tr("Save (Ctrl+S)"))) ctx.trainer.save_experiment(path_buf_);
    ImGui::SameLine();
    if (ImGui::Button(tr("Load (Ctrl+O)"))) ctx.trainer.load_experiment(path_buf_);
}

}  // namespace ganvas::gui
