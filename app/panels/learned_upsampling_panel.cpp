#include "panels/learned_upsampling_panel.h"

#include <imgui.h>

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "gui/status_bar.h"
#include "i18n/tr.h"
#include "io/image_png.h"
#include "ops/interpolate.h"
#include "panels/checkerboard_panel.h"
#include "widgets/flow_row.h"
#include "widgets/tooltip.h"

namespace ganvas::gui {
namespace {

const ImU32 kColours[kUpsamplerKinds] = {IM_COL32(230, 90, 80, 255), IM_COL32(240, 170, 60, 255),
                                         IM_COL32(90, 180, 240, 255), IM_COL32(190, 130, 230, 255),
                                         IM_COL32(120, 210, 120, 255)};

const char* kind_help(UpsamplerKind k) {
    switch (k) {
        case UpsamplerKind::transposed:
            return tr(
                "ConvTranspose2d, kernel 3, stride 2: uneven overlap, so its outputs start "
                "with a checkerboard that training has to unlearn.");
        case UpsamplerKind::resize_nearest:
            return tr("Nearest 2x, then a 3x3 convolution (resize-convolution, Odena et al.).");
        case UpsamplerKind::resize_bilinear:
            return tr("Bilinear 2x, then a 3x3 convolution.");
        case UpsamplerKind::pixelshuffle:
            return tr(
                "A 3x3 convolution to 4x the channels, then PixelShuffle(2) (Shi et al.), "
                "default initialisation: the four sub-pixels start unrelated.");
        case UpsamplerKind::pixelshuffle_icnr:
            return tr(
                "The same with ICNR initialisation (Aitken et al.): the four sub-pixels start "
                "equal, as nearest upsampling + conv.");
    }
    return "";
}

// (S, 1, H, W) -> one row image (1, H', W') at `size` per cell (nearest), 2 px apart.
Tensor row_image(const Tensor& images, int64_t size) {
    InterpolateOptions o;
    o.mode = InterpMode::nearest;
    o.size = {size, size};
    const Tensor resized = images.size(2) == size ? images : interpolate(images, o);
    return make_grid(resized, static_cast<int>(images.size(0)), 2);
}

}  // namespace

void LearnedUpsamplingPanel::start(PanelContext& ctx) {
    error_.clear();
    shown_.reset();
    race_.reset();  // joins the old thread first
    try {
        race_ = std::make_unique<UpsamplerRace>(ctx.snapshot.dataset);
        race_->worker().set_hidden(!tab_shown_);
        race_->worker().set_pinned(pinned_);
        race_->run();
    } catch (const std::exception& e) {
        error_ = e.what();
    }
}

void LearnedUpsamplingPanel::set_shown(bool shown) {
    tab_shown_ = shown;
    if (race_) race_->worker().set_hidden(!shown);
}

void LearnedUpsamplingPanel::upload(const RaceSnapshot& s) {
    const int64_t side = s.high.size(2);
    low_tex_.upload_image(row_image(s.low, side));
    high_tex_.upload_image(row_image(s.high, side));
    out_tex_.resize(kUpsamplerKinds);
    for (int k = 0; k < kUpsamplerKinds; ++k)
        out_tex_[k].upload_image(row_image(s.outputs[k], side));
}

void LearnedUpsamplingPanel::draw_images(float width, float height) {
    const int rows = 2 + kUpsamplerKinds;
    const float line = ImGui::GetTextLineHeightWithSpacing();
    const float aspect = static_cast<float>(high_tex_.height()) / std::max(1, high_tex_.width());
    const float spacing = ImGui::GetStyle().ItemSpacing.y;
    const float w = std::max(60.0f, std::min(width, (height / rows - line - spacing) / aspect));
    const ImVec2 box{w, w * aspect};
    auto row = [&](const char* label, const char* help, const gl::Texture& t, float psnr,
                   ImU32 colour) {
        ImGui::PushStyleColor(ImGuiCol_Text, colour);
        if (std::isnan(psnr))
            ImGui::TextUnformatted(label);
        else
            ImGui::Text("%s  %.2f dB", label, psnr);
        ImGui::PopStyleColor();
        if (help) item_tooltip(help);
        ImGui::PushID(label);
        zoom_view("##row", t, box, link_);
        ImGui::PopID();
    };
    const RaceSnapshot& s = *shown_;
    row(tr("input, 14x14 (shown enlarged)"),
        tr("What every net sees: the image area-averaged to 14x14."), low_tex_, NAN,
        IM_COL32(200, 200, 200, 255));
    row(tr("target, 28x28"), tr("The original: what every net is trained to reproduce (MSE)."),
        high_tex_, NAN, IM_COL32(235, 235, 235, 255));
    for (int k = 0; k < kUpsamplerKinds; ++k) {
        const auto kind = static_cast<UpsamplerKind>(k);
        row(upsampler_title(kind), kind_help(kind), out_tex_[k], s.psnr[k].back(), kColours[k]);
    }
}

void LearnedUpsamplingPanel::draw_curves(PanelContext& ctx, ImVec2 size) {
    const RaceSnapshot& s = *shown_;
    std::vector<PlotSeries> series;
    for (int k = 0; k < kUpsamplerKinds; ++k) {
        PlotSeries p;
        p.name = upsampler_title(static_cast<UpsamplerKind>(k));
        p.colour = kColours[k];
        p.steps = s.steps;
        p.values = s.psnr[k];
        p.help = kind_help(static_cast<UpsamplerKind>(k));
        series.push_back(p);
    }
    PlotOptions o;
    o.scale = ctx.ui_scale;
    o.references = {{s.bicubic_psnr, tr("bicubic")}};
    o.y_include = true;  // keep the bar to beat in view from step 0
    o.y_include_lo = o.y_include_hi = s.bicubic_psnr;
    o.help =
        tr("PSNR (dB, higher is better) of each net's 2x upsampling of 128 held-out images, "
           "against the originals. The dashed line is plain bicubic interpolation: a learned "
           "upsampler should beat it.");
    plot_.draw(tr("Validation PSNR"), series, o, size);
}

void LearnedUpsamplingPanel::draw(PanelContext& ctx) {
    if (!ctx.snapshot.dataset) {
        ImGui::TextDisabled("%s", tr("Waiting for the dataset…"));
        return;
    }
    if (!started_once_) {  // first time the tab is shown: start the race
        started_once_ = true;
        start(ctx);
    }
    if (race_) {
        const bool running = race_->running();
        if (ImGui::Button(running ? tr("Pause") : tr("Run"), {ImGui::GetFontSize() * 5, 0})) {
            if (running)
                race_->pause();
            else
                race_->run();
        }
        item_tooltip(
            tr("Train all five nets, one step each on the same batch, on a background "
               "thread (it shares the CPU with the main training)."));
        ImGui::SameLine();
    }
    if (ImGui::Button(tr("Restart"))) start(ctx);
    item_tooltip(tr("Fresh weights for every net, step 0."));
    if (race_) {
        ImGui::SameLine();
        pinned_ = draw_worker_pin(race_->worker());
    }
    if (!error_.empty()) {
        error_text(error_);
        return;
    }
    auto latest = race_->snapshot();
    if (latest != shown_) {
        shown_ = latest;
        upload(*shown_);
    }
    // The status and its "(?)" beside the buttons, or on a line of their own when
    // the window is too narrow for both (1024 pixels in presentation mode).
    char status[160];
    std::snprintf(status, sizeof status, tr("step %lld%s · batch 16 · Adam 2e-3 · MSE"),
                  static_cast<long long>(shown_->step),
                  shown_->finished   ? tr(" (finished)")
                  : race_->running() ? ""
                                     : tr(" (paused)"));
    const ImGuiStyle& st = ImGui::GetStyle();
    same_line_if_fits(ImGui::CalcTextSize(status).x + st.ItemSpacing.x +
                      ImGui::CalcTextSize("(?)").x);
    ImGui::AlignTextToFramePadding();
    ImGui::TextUnformatted(status);
    ImGui::SameLine();
    help_marker(
        tr("Each net: conv 3x3 (1 -> 16) + ReLU, the 2x upsampling layer (16 -> 16) + "
           "ReLU, conv 3x3 (16 -> 1). Only the middle layer differs. Inputs are the "
           "dataset's images area-downsampled to 14x14; targets the 28x28 originals. "
           "Watch transposed conv and plain PixelShuffle start with a grid pattern."));
    hint(
        tr("Five small nets that differ only in their 2x upsampling layer race to restore the "
           "same images; higher PSNR is better."));
    if (race_->running()) ctx.animating = true;

    const float avail_w = ImGui::GetContentRegionAvail().x;
    const float avail_h = ImGui::GetContentRegionAvail().y;
    const float images_w = std::min(avail_w * 0.45f, avail_h * 0.75f);
    ImGui::BeginGroup();
    draw_images(images_w, avail_h);
    ImGui::EndGroup();
    ImGui::SameLine();
    ImGui::BeginGroup();  // keeps the plot's legend lines starting at its own left edge
    draw_curves(ctx, {ImGui::GetContentRegionAvail().x, avail_h});
    ImGui::EndGroup();
}

GANVAS_REGISTER_PANEL(LearnedUpsamplingPanel, 110, "Learned upsampling");

}  // namespace ganvas::gui
