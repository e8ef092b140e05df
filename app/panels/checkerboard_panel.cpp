#include "panels/checkerboard_panel.h"

#include <imgui.h>
#include <imgui_internal.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <optional>
#include <string>
#include <vector>

#include "analysis/upsample_comparison.h"
#include "i18n/tr.h"
#include "tensor/rng.h"
#include "widgets/fit_text.h"
#include "widgets/flow_row.h"
#include "widgets/tooltip.h"

namespace ganvas::gui {
namespace {

// A (H, W) map as an image in [-1, 1] for a texture: from `from` (black; the map's
// own min where not given) to its max (white). Counts of taps start at 0, so that
// an output no copy of the kernel reaches is black, and an even overlap white.
void upload_normalised(gl::Texture& t, const Tensor& hw, std::optional<float> from = std::nullopt) {
    float lo = hw.data()[0], hi = lo;
    for (int64_t i = 0; i < hw.numel(); ++i)
        lo = std::min(lo, hw.data()[i]), hi = std::max(hi, hw.data()[i]);
    if (from) lo = *from;
    Tensor img = Tensor::empty({1, hw.size(-2), hw.size(-1)});
    const float span = hi > lo ? hi - lo : 1.0f;
    for (int64_t i = 0; i < hw.numel(); ++i)
        img.data()[i] = (hw.data()[i] - lo) / span * 2.0f - 1.0f;
    t.upload_image(img);
}

float slider_width() {
    return ImGui::GetFontSize() * 7;
}

// After the first slider of a row: the next one beside it, or on the next line
// when the window is too narrow for it (1024 pixels in presentation mode).
void next_slider(const char* label) {
    same_line_if_fits(labelled_width(slider_width(), label));
}

bool slider(const char* label, int* v, int lo, int hi, const char* help, Settings& s,
            const char* key) {
    ImGui::SetNextItemWidth(slider_width());
    const bool changed = ImGui::SliderInt(label, v, lo, hi);
    item_tooltip(help);
    if (changed) s.set_number(key, *v);
    return changed;
}

}  // namespace

const char* upsampler_title(UpsamplerKind kind) {
    switch (kind) {
        case UpsamplerKind::transposed:
            return tr("transposed conv");
        case UpsamplerKind::resize_nearest:
            return tr("resize-conv (nearest)");
        case UpsamplerKind::resize_bilinear:
            return tr("resize-conv (bilinear)");
        default:
            return upsampler_name(kind);  // PixelShuffle: a name, not a word
    }
}

void CheckerboardPanel::load_settings(Settings& s) {
    auto get = [&](const char* key, int fallback, int lo, int hi) {
        return static_cast<int>(s.integer(key, fallback, lo, hi));
    };
    kernel_ = get("checkerboard.kernel", 3, 1, 8);
    stride_ = get("checkerboard.stride", 2, 1, 4);
    padding_ = get("checkerboard.padding", 0, 0, 7);
    layers_ = get("checkerboard.layers", 2, 1, 4);
    length_ = get("checkerboard.length", 8, 2, 16);
    init_layers_ = get("checkerboard.init_layers", 3, 1, 4);
    init_kernel_ = get("checkerboard.init_kernel", 3, 1, 7);
    seed_ = get("checkerboard.seed", 1, 0, 1 << 30);
    noise_input_ = s.number("checkerboard.noise", 0) != 0;
    settings_loaded_ = true;
}

void CheckerboardPanel::recompute() {
    dirty_ = false;
    error_.clear();
    try {
        padding_ = std::min(padding_, kernel_ - 1);
        const Tensor one = overlap_1d(length_, kernel_, stride_, padding_, 1);
        const Tensor stack = overlap_1d(length_, kernel_, stride_, padding_, layers_);
        one_1d_ = one.to_vector();
        stack_1d_ = stack.to_vector();
        one_max_ = *std::max_element(one_1d_.begin(), one_1d_.end());
        stack_max_ = *std::max_element(stack_1d_.begin(), stack_1d_.end());
        upload_normalised(one_2d_, overlap_2d(length_, kernel_, stride_, padding_, 1), 0.0f);
        upload_normalised(stack_2d_, overlap_2d(length_, kernel_, stride_, padding_, layers_),
                          0.0f);

        // (1, 8, 8, 8): constant, so any pattern is the layers' own, or noise.
        Tensor input = Tensor::ones({1, 8, 8, 8});
        if (noise_input_) input = Rng(static_cast<uint64_t>(seed_) + 1000).randn({1, 8, 8, 8});
        init_tex_.resize(kUpsamplerKinds);
        init_spectrum_tex_.resize(kUpsamplerKinds);
        for (int k = 0; k < kUpsamplerKinds; ++k) {
            const Tensor y =
                upsampler_stack_at_init(static_cast<UpsamplerKind>(k), input, init_layers_,
                                        init_kernel_, static_cast<uint64_t>(seed_));
            const Tensor plane = Tensor::from_vector({y.size(2), y.size(3)}, y.to_vector());
            upload_normalised(init_tex_[k], plane);
            const Tensor spec =
                log_spectrum(Tensor::from_vector({1, y.size(2), y.size(3)}, y.to_vector()));
            upload_normalised(init_spectrum_tex_[k], spec);
        }
    } catch (const std::exception& e) {
        error_ = e.what();
    }
}

void CheckerboardPanel::draw_overlap_controls(Settings& s) {
    // The heading starts at the very edge of the tab's clip rectangle, and a first letter that
    // reaches left of the pen ("T") lost its left stroke: start it that much further in.
    const char* heading = tr("Transposed convolution overlap");
    unsigned first = 0;
    ImTextCharFromUtf8(&first, heading, nullptr);
    if (const ImFontGlyph* g = ImGui::GetFont()->FindGlyph(static_cast<ImWchar>(first)))
        if (g->X0 < 0) ImGui::SetCursorPosX(ImGui::GetCursorPosX() + std::ceil(-g->X0));
    ImGui::TextUnformatted(heading);
    ImGui::SameLine();
    help_marker(
        tr("A transposed convolution with stride s paints a k x k copy of its kernel for "
           "every input pixel, s pixels apart. Where the copies overlap more, the output "
           "gets more paint. When s does not divide k, overlap alternates between "
           "ceil(k/s) and floor(k/s): a checkerboard, before any learning. Stacking layers "
           "multiplies the patterns (Odena et al. 2016)."));
    hint(
        tr("When the stride does not divide the kernel size, the kernel's copies overlap "
           "unevenly: a checkerboard before any training."));
    dirty_ |= slider(tr("kernel##ov"), &kernel_, 1, 8,
                     tr("Kernel size k of each transposed convolution."), s, "checkerboard.kernel");
    next_slider(tr("stride##ov"));
    dirty_ |= slider(tr("stride##ov"), &stride_, 1, 4, tr("Stride s: the upsampling factor."), s,
                     "checkerboard.stride");
    next_slider(tr("padding##ov"));
    dirty_ |= slider(tr("padding##ov"), &padding_, 0, std::max(0, kernel_ - 1),
                     tr("Padding p crops p pixels from each border of the output."), s,
                     "checkerboard.padding");
    next_slider(tr("layers##ov"));
    dirty_ |= slider(tr("layers##ov"), &layers_, 1, 4, tr("How many identical layers are stacked."),
                     s, "checkerboard.layers");
    next_slider(tr("input##ov"));
    dirty_ |= slider(tr("input##ov"), &length_, 2, 16, tr("Input size (pixels a side)."), s,
                     "checkerboard.length");
}

void CheckerboardPanel::draw_overlap(float height) {
    const float gap = ImGui::GetStyle().ItemSpacing.x;
    const float avail = ImGui::GetContentRegionAvail().x;
    const float side = std::max(40.0f, std::min(height, avail * 0.2f));
    const float bars_w = (avail - 2 * (side + gap) - gap) / 2;
    const float bar_h = (side - ImGui::GetTextLineHeightWithSpacing() * 2) / 2;
    char overlay[192];
    ImGui::BeginGroup();
    std::snprintf(overlay, sizeof overlay, tr("1 layer: %zu outputs, %s"), one_1d_.size(),
                  kernel_ % stride_ == 0 ? tr("even overlap") : tr("uneven: checkerboard"));
    ImGui::TextUnformatted(overlay);
    ImGui::PlotHistogram("##one", one_1d_.data(), static_cast<int>(one_1d_.size()), 0, nullptr,
                         0.0f, one_max_, {bars_w, bar_h});
    item_tooltip(tr("Taps reaching each output position of one layer (1-D)."));
    if (layers_ == 1)  // "1 layers" would read wrong in English
        std::snprintf(overlay, sizeof overlay, tr("1 layer: %zu outputs, max %g"), stack_1d_.size(),
                      stack_max_);
    else
        std::snprintf(overlay, sizeof overlay, tr("%d layers: %zu outputs, max %g"), layers_,
                      stack_1d_.size(), stack_max_);
    ImGui::TextUnformatted(overlay);
    ImGui::PlotHistogram("##stack", stack_1d_.data(), static_cast<int>(stack_1d_.size()), 0,
                         nullptr, 0.0f, stack_max_, {bars_w, bar_h});
    item_tooltip(
        tr("The same count through the whole stack: how many paths lead from the input "
           "to each output. Patterns of several frequencies appear."));
    ImGui::EndGroup();
    ImGui::SameLine();
    ImGui::BeginGroup();
    ImGui::TextUnformatted(tr("2-D, 1 layer"));
    zoom_view("##ov1", one_2d_, {side, side}, overlap_link_);
    item_tooltip(
        tr("Taps reaching each output in 2-D: black where none does, white where "
           "the most do."));
    ImGui::EndGroup();
    ImGui::SameLine();
    ImGui::BeginGroup();
    if (layers_ == 1)
        ImGui::TextUnformatted(tr("2-D, 1 layer"));
    else
        ImGui::Text(tr("2-D, %d layers"), layers_);
    zoom_view("##ov2", stack_2d_, {side, side}, overlap_link_);
    item_tooltip(
        tr("Paths from the input to each output through the whole stack: black "
           "where none leads, white where the most do."));
    ImGui::EndGroup();
}

void CheckerboardPanel::draw_init_controls(Settings& s) {
    ImGui::Separator();
    ImGui::TextUnformatted(tr("At initialisation (step 0)"));
    ImGui::SameLine();
    help_marker(
        tr("A stack of freshly initialised 2x upsampling layers (8 channels, no "
           "nonlinearity, the last to 1 channel) applied to an 8x8 input. Transposed "
           "convolution and plain PixelShuffle already draw a periodic pattern; "
           "resize-convolution does not, and ICNR initialisation makes conv + PixelShuffle "
           "start out equal to nearest upsampling + conv, so it does not either. Each image "
           "is scaled from its own min (black) to max (white)."));
    hint(
        tr("Untrained upsampling layers on a flat input: a pattern here comes from the layer "
           "itself, not from the data."));
    dirty_ |=
        slider(tr("layers##init"), &init_layers_, 1, 4,
               tr("2x layers: the output is 8 * 2^layers a side."), s, "checkerboard.init_layers");
    next_slider(tr("kernel##init"));
    dirty_ |= slider(tr("kernel##init"), &init_kernel_, 1, 7,
                     tr("Kernel of the transposed convolutions (padding chosen to double exactly); "
                        "the others use the next odd size for 'same' padding."),
                     s, "checkerboard.init_kernel");
    same_line_if_fits(checkbox_width(tr("noise input")));
    if (ImGui::Checkbox(tr("noise input"), &noise_input_)) {
        s.set_number("checkerboard.noise", noise_input_);
        dirty_ = true;
    }
    item_tooltip(
        tr("Off: a constant input, so every pattern comes from the layers. On: Gaussian noise."));
    same_line_if_fits(button_width(tr("New weights")));
    if (ImGui::Button(tr("New weights"))) {
        ++seed_;
        s.set_number("checkerboard.seed", seed_);
        dirty_ = true;
    }
    item_tooltip(tr("Draw a new random initialisation for every layer."));
}

void CheckerboardPanel::draw_init(float height) {
    const ImGuiStyle& st = ImGui::GetStyle();
    const float gap = st.ItemSpacing.x;
    const float line = ImGui::GetTextLineHeightWithSpacing();
    // Five equal columns; a name wider than a fifth of the width wraps (in a narrow window
    // "resize-conv (bilinear)" ran into its neighbour's), and every image starts
    // below the longest name so the row stays aligned.
    const float pitch =
        (ImGui::GetContentRegionAvail().x - gap * (kUpsamplerKinds - 1)) / kUpsamplerKinds;
    std::vector<std::string> titles(kUpsamplerKinds);
    int title_lines = 1;
    for (int k = 0; k < kUpsamplerKinds; ++k) {
        titles[k] = wrap_lines(upsampler_title(static_cast<UpsamplerKind>(k)), pitch);
        title_lines =
            std::max(title_lines,
                     1 + static_cast<int>(std::count(titles[k].begin(), titles[k].end(), '\n')));
    }
    const float title_h = ImGui::GetFontSize() * static_cast<float>(title_lines) + st.ItemSpacing.y;
    // Not below a few lines of type: where the window is short (768 pixels in large
    // type) the tab scrolls rather than shrinking the patterns to specks.
    const float fit = (height - title_h - line - 3 * st.ItemSpacing.y) / 2;
    const float side = std::min(pitch, std::max(fit, 4 * ImGui::GetFontSize()));
    // Columns as wide as their widest content, so a short window packs them to the left.
    float column = side;
    for (const std::string& t : titles) column = std::max(column, ImGui::CalcTextSize(t.c_str()).x);
    column = std::min(column, pitch);
    const float x0 = ImGui::GetCursorPosX();
    for (int row = 0; row < 2; ++row)
        for (int k = 0; k < kUpsamplerKinds; ++k) {
            if (k) ImGui::SameLine(x0 + static_cast<float>(k) * (column + gap));
            ImGui::BeginGroup();
            ImGui::PushID(row * 16 + k);
            if (row == 0) {
                const float top = ImGui::GetCursorPosY();
                ImGui::TextUnformatted(titles[k].c_str());
                ImGui::SetCursorPosY(top + title_h);
                zoom_view("##init", init_tex_[k], {side, side}, init_link_);
            } else {
                ImGui::TextDisabled("|FFT|");
                zoom_view("##spec", init_spectrum_tex_[k], {side, side}, spectrum_link_);
            }
            ImGui::PopID();
            ImGui::EndGroup();
        }
}

void CheckerboardPanel::draw(PanelContext& ctx) {
    if (!settings_loaded_) load_settings(ctx.settings);
    draw_overlap_controls(ctx.settings);
    if (dirty_) recompute();
    if (!error_.empty()) {
        error_text(error_);
        return;
    }
    const float avail = ImGui::GetContentRegionAvail().y;
    draw_overlap(avail * 0.3f);
    draw_init_controls(ctx.settings);
    if (dirty_) recompute();
    if (error_.empty()) draw_init(ImGui::GetContentRegionAvail().y);
}

GANVAS_REGISTER_PANEL(CheckerboardPanel, 100, "Checkerboard");

}  // namespace ganvas::gui
