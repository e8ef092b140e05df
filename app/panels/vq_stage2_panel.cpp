#include "panels/vq_stage2_panel.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>

#include "gui/fonts.h"
#include "gui/status_bar.h"
#include "i18n/tr.h"
#include "io/image_png.h"
#include "widgets/format_numbers.h"
#include "widgets/image_view.h"
#include "widgets/tooltip.h"

namespace ganvas::gui {
namespace {

constexpr int kGrids = 16, kCols = 4, kPadding = 2;
const ImU32 kCursorColor = IM_COL32(255, 200, 60, 255);
const ImU32 kBarColor = IM_COL32(80, 160, 230, 255);

}  // namespace

void VqStage2Panel::load_settings(Settings& settings) {
    copy_to_buffer(vq_path_, sizeof vq_path_, settings.text("prior.vq_path", vq_path_));
    copy_to_buffer(prior_path_, sizeof prior_path_, settings.text("prior.prior_path", prior_path_));
    temperature_ =
        static_cast<float>(std::clamp(settings.number("prior.temperature", 1.0), 0.0, 3.0));
    top_k_ = static_cast<int>(settings.integer("prior.top_k", 0, 0, 256));
    top_p_ = static_cast<float>(std::clamp(settings.number("prior.top_p", 1.0), 0.01, 1.0));
    codes_per_s_ =
        static_cast<float>(std::clamp(settings.number("prior.codes_per_s", 10), 1.0, 500.0));
    keep_rows_ = static_cast<int>(settings.integer("prior.keep_rows", 3, 0, 7));
    image_index_ = static_cast<int>(settings.integer("prior.image", 0, 0, INT32_MAX));
    seed_ = static_cast<int>(settings.integer("prior.seed", 0, 0, INT32_MAX));
    stage1_steps_ = static_cast<int>(settings.integer("prior.stage1_steps", 400, 50, 5000));
    settings_loaded_ = true;
}

SamplingOptions VqStage2Panel::options() const {
    SamplingOptions o;
    o.temperature = temperature_;
    o.top_k = top_k_;
    o.top_p = top_p_;
    return o;
}

void VqStage2Panel::set_shown(bool shown) {
    shown_ = shown;
    if (lab_) lab_->worker().set_hidden(!shown);
}

void VqStage2Panel::draw(PanelContext& ctx) {
    if (!settings_loaded_) load_settings(ctx.settings);
    if (!lab_) {
        lab_ = std::make_unique<PriorLab>();
        lab_->worker().set_hidden(!shown_);
    }
    // Load what the settings name once, if the VQGAN file is there: the tab opens ready.
    if (!auto_started_) {
        auto_started_ = true;
        if (std::filesystem::exists(vq_path_)) {
            lab_->load({vq_path_, std::filesystem::exists(prior_path_) ? prior_path_ : ""});
            load_pending_ = true;
        }
    }
    auto state = lab_->state();
    const PriorLab::State& s = *state;
    if (s.progress >= 0 || s.sampling || s.training) ctx.animating = true;
    // Until the files are loaded and the data coded, a screenshot waits for them.
    if (s.ready || !s.error.empty()) load_pending_ = false;
    ctx.working |= load_pending_ || s.progress >= 0;
    // A loaded prior shows itself at once: one animated sample set.
    if (s.ready && !auto_generated_) {
        auto_generated_ = true;
        lab_->generate(kGrids, options(), static_cast<uint64_t>(seed_), 1.0 / codes_per_s_);
    }

    const float scale = ctx.ui_scale;
    const float controls_w = 330 * scale;
    ImGui::BeginChild("prior_controls", ImVec2(controls_w, 0), true);
    draw_setup(ctx, s);
    ImGui::Separator();
    draw_sampling(ctx, s);
    ImGui::EndChild();
    ImGui::SameLine();
    ImGui::BeginChild("prior_view", ImVec2(0, 0), false);
    const float avail_w = ImGui::GetContentRegionAvail().x;
    const float avail_h = ImGui::GetContentRegionAvail().y;
    const float grid_w = std::min(avail_w * 0.55f, avail_h * 0.62f);
    ImGui::BeginGroup();
    draw_grids(ctx, s, grid_w);
    ImGui::EndGroup();
    ImGui::SameLine();
    ImGui::BeginGroup();
    draw_candidates(s, std::max(120.0f * scale, avail_w - grid_w - 16 * scale));
    ImGui::EndGroup();
    draw_nll(ctx, s, std::max(120.0f * scale, ImGui::GetContentRegionAvail().y));
    ImGui::EndChild();
}

void VqStage2Panel::draw_setup(PanelContext& ctx, const PriorLab::State& s) {
    ImGui::TextUnformatted(tr("Stage 1 and the prior"));
    ImGui::SetNextItemWidth(-1);
    note_glyphs(vq_path_);
    if (ImGui::InputTextWithHint("##vq", tr("vqgan28 checkpoint"), vq_path_, sizeof vq_path_))
        ctx.settings.set_text("prior.vq_path", vq_path_);
    item_tooltip(
        tr("The trained VQGAN (ganvas train --model vqgan28): its encoder turns each image into a "
           "7x7 grid of codebook indices, its decoder turns grids back into images. The prior only "
           "ever sees those 49 numbers."));
    ImGui::SetNextItemWidth(-1);
    note_glyphs(prior_path_);
    if (ImGui::InputTextWithHint("##prior", tr("prior49 checkpoint (empty: train one here)"),
                                 prior_path_, sizeof prior_path_))
        ctx.settings.set_text("prior.prior_path", prior_path_);
    item_tooltip(
        tr("A prior trained by ganvas train --model prior49 --vq ... . Leave empty to start from a "
           "fresh prior and train it in this tab."));
    ImGui::BeginDisabled(s.stage1_training);
    if (ImGui::Button(tr("Load"))) {
        auto_generated_ = false;
        lab_->load({vq_path_, prior_path_});
        load_pending_ = true;
    }
    item_tooltip(
        tr("Loads both files and codes 10,000 training and 1,000 test images of Fashion-MNIST with "
           "the VQGAN (in the background)."));
    ImGui::EndDisabled();
    ImGui::SameLine();
    ImGui::BeginDisabled(!s.ready);
    bool training = s.training;
    if (ImGui::Checkbox(tr("Train prior"), &training)) lab_->set_training(training);
    item_tooltip(
        tr("AdamW steps (3e-4, betas 0.9/0.95, batch 64) on the coded training images: next-code "
           "prediction with cross-entropy, as torch_reference.py's Prior."));
    ImGui::EndDisabled();
    draw_worker_pin(lab_->worker());
    draw_stage1(ctx, s);
    if (s.progress >= 0) ImGui::ProgressBar(s.progress, ImVec2(-1, 0));
    ImGui::TextWrapped("%s", tr_phrase(s.status).c_str());
    if (!s.error.empty()) {
        error_text(s.error);
    }
    if (s.ready) {
        ImGui::Text(tr("held-out: %.3f bits per code"), s.last_heldout_bits);
        ImGui::Text(tr("next-code accuracy: %.1f%%"), 100.0 * s.last_heldout_accuracy);
        item_tooltip(
            tr("On 1,000 test images' codes: the average -log2 p(code | codes before it). 8 bits "
               "would be a uniform guess over 256 codes; lower means the prior has learned the "
               "structure of clothes. Accuracy: how often its most probable next code is the real "
               "one."));
    } else if (s.progress < 0 && s.error.empty()) {
        hint(format_text(tr("No stage 1 yet: stage 2 learns the code grids of a trained vqgan28. "
                            "Give a vqgan28 checkpoint above and press Load, or press Train stage "
                            "1 to train one here (saved to %s)."),
                         stage1_folder().c_str())
                 .c_str());
    }
}

void VqStage2Panel::draw_stage1(PanelContext& ctx, const PriorLab::State& s) {
    // A stage 1 trained here becomes the tab's stage 1 once it has loaded; the old
    // prior goes with it, since it learned another VQGAN's codes.
    if (!stage1_checkpoint_.empty() && !s.stage1_training && (s.ready || !s.error.empty())) {
        if (s.ready) {
            copy_to_buffer(vq_path_, sizeof vq_path_, stage1_checkpoint_);
            prior_path_[0] = '\0';
            ctx.settings.set_text("prior.vq_path", vq_path_);
            ctx.settings.set_text("prior.prior_path", prior_path_);
        }
        stage1_checkpoint_.clear();
    }
    if (s.stage1_training) {
        if (ImGui::Button(tr("Cancel stage 1"))) lab_->cancel_stage1();
        item_tooltip(tr("Stops after the step in flight; nothing is saved."));
        return;
    }
    if (ImGui::Button(tr("Train stage 1"))) {
        Stage1Config stage1;
        stage1.out_dir = stage1_folder();
        stage1.steps = stage1_steps_;
        stage1_checkpoint_ =
            (std::filesystem::path(stage1.out_dir) / "checkpoint.safetensors").string();
        auto_generated_ = false;
        lab_->train_stage1(stage1, {vq_path_, ""});
        load_pending_ = true;
    }
    item_tooltip(
        format_text(
            tr("Trains a vqgan28 here (batch 64, EMA codebook updates, dead codes restarted on "
               "encoder outputs after 20 unused steps, so all 256 codes stay in use), saves it to "
               "%s and loads it with a fresh prior. A few minutes on two cores; the same as ganvas "
               "train --model vqgan28 --set ema=1,restart_dead=1,dead_after=20."),
            stage1_folder().c_str())
            .c_str());
    ImGui::SameLine();
    ImGui::SetNextItemWidth(-60 * ctx.ui_scale);
    if (ImGui::SliderInt(tr("steps"), &stage1_steps_, 50, 5000, "%d", ImGuiSliderFlags_Logarithmic))
        ctx.settings.set_number("prior.stage1_steps", stage1_steps_);
    item_tooltip(tr("Stage-1 training steps. 400 give clear reconstructions; 1000 sharper ones."));
}

std::string VqStage2Panel::stage1_folder() {
    return (std::filesystem::path(config_dir()) / "vqgan28").string();
}

void VqStage2Panel::draw_sampling(PanelContext& ctx, const PriorLab::State& s) {
    ImGui::TextUnformatted(tr("Sampling"));
    ImGui::SetNextItemWidth(-90 * ctx.ui_scale);
    if (ImGui::SliderFloat(tr("temperature"), &temperature_, 0.0f, 3.0f, "%.2f"))
        ctx.settings.set_number("prior.temperature", temperature_);
    item_tooltip(
        tr("Divides the logits before the softmax. Below 1 sharpens the distribution (safer, more "
           "repetitive images); above 1 flattens it (more variety, more mistakes); 0 always takes "
           "the most probable code."));
    ImGui::SetNextItemWidth(-90 * ctx.ui_scale);
    if (ImGui::SliderInt("top-k", &top_k_, 0, 256, top_k_ == 0 ? tr("all") : "%d"))
        ctx.settings.set_number("prior.top_k", top_k_);
    item_tooltip(
        tr("Only the k most probable codes may be drawn (0: all 256). Cuts off the long tail of "
           "unlikely codes that make blotches."));
    ImGui::SetNextItemWidth(-90 * ctx.ui_scale);
    if (ImGui::SliderFloat("top-p", &top_p_, 0.01f, 1.0f, "%.2f"))
        ctx.settings.set_number("prior.top_p", top_p_);
    item_tooltip(
        tr("Nucleus sampling: only the smallest set of most probable codes whose probabilities add "
           "up to p may be drawn. Adapts the cut to how sure the prior is."));
    ImGui::SetNextItemWidth(-90 * ctx.ui_scale);
    if (ImGui::SliderFloat(tr("codes/s"), &codes_per_s_, 1.0f, 500.0f, "%.0f",
                           ImGuiSliderFlags_Logarithmic)) {
        ctx.settings.set_number("prior.codes_per_s", codes_per_s_);
        lab_->set_delay(1.0 / codes_per_s_);
    }
    item_tooltip(tr("Animation speed: how many positions are written per second."));
    ImGui::SetNextItemWidth(-90 * ctx.ui_scale);
    if (ImGui::InputInt(tr("seed"), &seed_)) {
        seed_ = std::max(seed_, 0);
        ctx.settings.set_number("prior.seed", seed_);
    }
    ImGui::BeginDisabled(!s.ready);
    if (ImGui::Button(tr("Generate"))) {
        lab_->generate(kGrids, options(), static_cast<uint64_t>(seed_), 1.0 / codes_per_s_);
    }
    item_tooltip(
        tr("Writes 16 new images, one code at a time in raster order: each code is drawn from the "
           "prior's distribution given the start token and all codes before it."));
    ImGui::Separator();
    ImGui::TextUnformatted(tr("Completion"));
    const int last = static_cast<int>(std::max<int64_t>(lab_->heldout_count() - 1, 0));
    ImGui::SetNextItemWidth(-90 * ctx.ui_scale);
    if (ImGui::SliderInt(tr("test image"), &image_index_, 0, last))
        ctx.settings.set_number("prior.image", image_index_);
    ImGui::SetNextItemWidth(-90 * ctx.ui_scale);
    if (ImGui::SliderInt(tr("rows kept"), &keep_rows_, 0, 7))
        ctx.settings.set_number("prior.keep_rows", keep_rows_);
    item_tooltip(
        tr("How many of the 7 rows of codes to keep from the real image; the prior writes the "
           "rest, 16 times with different draws."));
    if (ImGui::Button(tr("Complete"))) {
        lab_->complete(image_index_, keep_rows_, kGrids, options(), static_cast<uint64_t>(seed_),
                       1.0 / codes_per_s_);
    }
    item_tooltip(
        tr("Keeps the top rows of a real test image's codes and lets the prior write the rest: how "
           "well does it continue a half-seen garment?"));
    ImGui::EndDisabled();
}

void VqStage2Panel::draw_grids(PanelContext& ctx, const PriorLab::State& s, float width) {
    const bool has = s.images.defined() && s.images.size(0) > 0;
    if (has && uploaded_version_ != s.version) {
        grid_texture_.upload_image(make_grid(s.images, kCols, kPadding));
        if (s.source.defined()) source_texture_.upload_image(make_grid(s.source, 1, kPadding));
        uploaded_version_ = s.version;
    }
    if (!has || !grid_texture_.valid()) {
        ImGui::Dummy(ImVec2(width, width));
        return;
    }
    const int64_t n = s.images.size(0);
    const int rows = static_cast<int>((n + kCols - 1) / kCols);
    const float tex_w = static_cast<float>(grid_texture_.width());
    const float zoom = width / tex_w;
    ImGui::Text(s.sampling ? tr("writing code %lld of 49") : tr("%lld of 49 codes written"),
                static_cast<long long>(std::min<int64_t>(s.position + (s.sampling ? 1 : 0), 49)));
    const ImVec2 origin = ImGui::GetCursorScreenPos();
    const ImVec2 pixel = draw_image(grid_texture_, ImVec2(width, grid_texture_.height() * zoom));
    // The position being written, outlined in every image.
    ImDrawList* dl = ImGui::GetWindowDrawList();
    if (s.position < 49) {
        const int r = static_cast<int>(s.position / 7), c = static_cast<int>(s.position % 7);
        for (int64_t i = 0; i < n; ++i) {
            const float cx = kPadding + (i % kCols) * (28 + kPadding) + c * 4.0f;
            const float cy = kPadding + (i / kCols) * (28 + kPadding) + r * 4.0f;
            dl->AddRect(ImVec2(origin.x + cx * zoom, origin.y + cy * zoom),
                        ImVec2(origin.x + (cx + 4) * zoom, origin.y + (cy + 4) * zoom),
                        kCursorColor, 0, 0, 1.5f * ctx.ui_scale);
        }
    }
    const int cell = grid_cell_at(pixel, static_cast<int>(n), kCols, 28, kPadding);
    if (cell >= 0) {
        const int px = static_cast<int>(pixel.x) - kPadding - (cell % kCols) * (28 + kPadding);
        const int py = static_cast<int>(pixel.y) - kPadding - (cell / kCols) * (28 + kPadding);
        const int64_t t = (py / 4) * 7 + px / 4;
        if (t < s.position)
            ImGui::SetTooltip(tr("image %d, position %lld (row %lld, column %lld): code %lld"),
                              cell, static_cast<long long>(t), static_cast<long long>(t / 7),
                              static_cast<long long>(t % 7),
                              static_cast<long long>(s.codes.data_i64()[cell * 49 + t]));
    }
    (void)rows;
}

void VqStage2Panel::draw_candidates(const PriorLab::State& s, float width) {
    if (s.source.defined() && source_texture_.valid()) {
        ImGui::Text(tr("real image (top %lld rows kept)"),
                    static_cast<long long>(s.first_position / 7));
        const float side = std::min(width, 140.0f);
        const ImVec2 o = ImGui::GetCursorScreenPos();
        draw_image(source_texture_, ImVec2(side, side));
        // The line below which the prior writes.
        const float y = o.y + side * (kPadding + s.first_position / 7 * 4.0f) / (28 + 2 * kPadding);
        ImGui::GetWindowDrawList()->AddLine(ImVec2(o.x, y), ImVec2(o.x + side, y), kCursorColor, 2);
    }
    // Wrapped at the tab's edge: beside a large grid the column is narrower than the title.
    if (s.candidates_position >= 0)
        text_wrapped(format_text(tr("Candidates, image 1, code %lld"),
                                 static_cast<long long>(s.candidates_position))
                         .c_str());
    else
        text_wrapped(tr("Candidates for the next code"));
    item_tooltip(
        tr("The prior's distribution at the position being written (outlined), after temperature, "
           "top-k and top-p: the most probable codes and their probabilities. Bars are scaled to "
           "the most probable code; the drawn code is usually one of these."));
    if (s.candidates.empty()) {
        hint(tr("Press Generate or Complete to see the candidates at each position."));
        return;
    }
    ImDrawList* dl = ImGui::GetWindowDrawList();
    const float line = ImGui::GetTextLineHeightWithSpacing();
    const float label_w = ImGui::CalcTextSize(tr("code 000 ")).x;
    const float bar_w = std::max(40.0f, width - label_w - ImGui::CalcTextSize(" 100.0%").x);
    const float top = std::max(s.candidates.front().probability, 1e-6f);
    for (const CodeCandidate& c : s.candidates) {
        const ImVec2 p = ImGui::GetCursorScreenPos();
        ImGui::Text(tr("code %3lld"), static_cast<long long>(c.code));
        const float x0 = p.x + label_w;
        dl->AddRectFilled(ImVec2(x0, p.y + 2), ImVec2(x0 + bar_w, p.y + line - 3),
                          IM_COL32(60, 60, 70, 255));
        dl->AddRectFilled(ImVec2(x0, p.y + 2),
                          ImVec2(x0 + bar_w * c.probability / top, p.y + line - 3), kBarColor);
        char pct[16];
        std::snprintf(pct, sizeof pct, "%.1f%%", 100.0 * c.probability);
        dl->AddText(ImVec2(x0 + bar_w + 4, p.y), ImGui::GetColorU32(ImGuiCol_Text), pct);
    }
}

void VqStage2Panel::draw_nll(PanelContext& ctx, const PriorLab::State& s, float height) {
    std::vector<PlotSeries> series;
    PlotSeries train;
    train.name = tr("train batch");
    train.colour = IM_COL32(120, 120, 140, 255);
    train.steps = s.steps;
    train.values = s.train_bits;
    train.help = tr("Bits per code of each training batch.");
    PlotSeries held;
    held.name = tr("held-out");
    held.colour = IM_COL32(240, 130, 40, 255);
    held.steps = s.steps;
    held.values = s.heldout_bits;
    held.sparse = true;
    held.help = tr("Negative log-likelihood of 1,000 test images' codes, in bits per code.");
    series.push_back(train);
    series.push_back(held);
    PlotOptions o;
    o.scale = ctx.ui_scale;
    o.smoothing = 0.6;
    o.references.push_back({8.0, tr("uniform guess (8 bits)")});
    o.help = tr("Negative log-likelihood in bits per code while the prior trains in this tab.");
    if (s.steps.empty()) {
        // This view has no padding, and a leading 'T' reaches a pixel left of where it starts.
        ImGui::SetCursorPosX(ImGui::GetCursorPosX() + ImGui::GetStyle().ItemInnerSpacing.x);
        hint(tr("Tick \"Train prior\" to train here and watch the held-out bits per code fall."));
        return;
    }
    nll_plot_.draw(tr("bits per code"), series, o, ImVec2(0, height));
}

GANVAS_REGISTER_PANEL(VqStage2Panel, 130, "VQ Stage 2");

}  // namespace ganvas::gui
