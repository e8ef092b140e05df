#include "panels/upsampling_panel.h"

#include <imgui.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <filesystem>

#include "gui/fonts.h"
#include "i18n/tr.h"
#include "io/image_png.h"
#include "ops/shape_ops.h"
#include "widgets/fit_text.h"
#include "widgets/flow_row.h"
#include "widgets/tooltip.h"

namespace ganvas::gui {
namespace {

namespace fs = std::filesystem;

constexpr const char* kDefaultSource = "asset:upsample_demo.png";

// One colour per mode, in comparison_modes() order; the original is the text's.
const ImU32 kModeColours[] = {IM_COL32(230, 90, 80, 255), IM_COL32(240, 170, 60, 255),
                              IM_COL32(90, 180, 240, 255), IM_COL32(120, 210, 120, 255),
                              IM_COL32(190, 130, 230, 255)};

const char* mode_help(InterpMode m) {
    switch (m) {
        case InterpMode::nearest:
            return tr(
                "Nearest: each output pixel copies the input pixel at floor(i * in / out) "
                "(torch's rule, which shifts the image by half an output pixel). Blocky, "
                "no new values.");
        case InterpMode::nearest_exact:
            return tr(
                "Nearest-exact: copies the input pixel nearest to the output pixel's centre, "
                "floor((i + 0.5) * in / out) — what image libraries (PIL, OpenCV) call nearest.");
        case InterpMode::bilinear:
            return tr(
                "Bilinear: a weighted average of the 2x2 nearest inputs. Smooth, never "
                "overshoots, blurs edges. align_corners changes where samples sit.");
        case InterpMode::bicubic:
            return tr(
                "Bicubic (Keys, A = -0.75): 4x4 inputs through a cubic kernel with negative "
                "lobes: sharper than bilinear, and it rings (overshoots) at edges. PyTorch "
                "does not clamp, so values can leave [-1, 1]; the view clips them.");
        case InterpMode::area:
            return tr(
                "Area: each output averages the input area it covers (adaptive average "
                "pooling). Meant for downsampling; upsampling by a whole factor it equals "
                "nearest.");
    }
    return "";
}

// The mode's name in the window's language (interp_mode_name is PyTorch's).
const char* mode_title(InterpMode m) {
    switch (m) {
        case InterpMode::nearest:
            return tr("nearest");
        case InterpMode::nearest_exact:
            return tr("nearest-exact");
        case InterpMode::bilinear:
            return tr("bilinear");
        case InterpMode::bicubic:
            return tr("bicubic");
        case InterpMode::area:
            return tr("area");
    }
    return interp_mode_name(m);
}

std::vector<std::string> list_assets() {
    std::vector<std::string> out;
    std::error_code ec;
    for (const auto& e : fs::directory_iterator(GANVAS_ASSETS_DIR, ec)) {
        std::string ext = e.path().extension().string();
        std::transform(ext.begin(), ext.end(), ext.begin(), ::tolower);
        if (ext == ".png" || ext == ".jpg" || ext == ".jpeg") out.push_back(e.path().filename());
    }
    std::sort(out.begin(), out.end());
    return out;
}

// (C, H, W) -> texture; a spectrum (H, W) in [0, 1] goes through the [-1, 1] mapping.
void upload(gl::Texture& t, const Tensor& chw) {
    t.upload_image(chw);
}

void upload_spectrum(gl::Texture& t, const Tensor& hw) {
    Tensor img = Tensor::empty({1, hw.size(0), hw.size(1)});
    for (int64_t i = 0; i < hw.numel(); ++i) img.data()[i] = hw.data()[i] * 2.0f - 1.0f;
    t.upload_image(img);
}

// The next item of the options row, a font size after the last one, or at the start
// of a new line when it would run past the window's edge (1280x720 at UI scale 1.5
// cut the row by 19 px).
void next_in_row(float width) {
    same_line_if_fits(width, ImGui::GetFontSize());
}

// One line of a caption cut to `width` with an ellipsis; hovered, it shows whole
// (with `help` below it, if any).
void caption_line(const char* text, float width, const char* help) {
    const std::string shown = fit_text(text, width);
    ImGui::TextUnformatted(shown.c_str());
    if (shown != text && help)
        item_tooltip((std::string(text) + "\n\n" + help).c_str());
    else if (shown != text)
        item_tooltip(text);
    else if (help)
        item_tooltip(help);
}

// "computing…" over the top right corner of the views while a new comparison runs: drawn,
// not laid out, so the layout does not jump when it comes and goes.
void draw_computing_badge(ImVec2 top) {
    const char* text = tr("computing…");
    const ImVec2 size = ImGui::CalcTextSize(text);
    const ImVec2 pad = ImGui::GetStyle().FramePadding;
    const float right = ImGui::GetWindowPos().x + ImGui::GetWindowContentRegionMax().x;
    const ImVec2 p0(right - size.x - 2 * pad.x, top.y);
    const ImVec2 p1(right, top.y + size.y + 2 * pad.y);
    ImDrawList* dl = ImGui::GetWindowDrawList();
    dl->AddRectFilled(p0, p1, ImGui::GetColorU32(ImGuiCol_PopupBg),
                      ImGui::GetStyle().FrameRounding);
    dl->AddText(ImVec2(p0.x + pad.x, p0.y + pad.y), ImGui::GetColorU32(ImGuiCol_TextDisabled),
                text);
}

}  // namespace

void UpsamplingPanel::load_settings(Settings& s) {
    source_ = s.text("upsampling.source", kDefaultSource);
    scale_ = std::clamp(static_cast<float>(s.number("upsampling.scale", 4.0)), 1.0f, 8.0f);
    round_trip_ = s.number("upsampling.round_trip", 0) != 0;
    align_corners_ = s.number("upsampling.align_corners", 0) != 0;
    show_spectrum_ = s.number("upsampling.spectrum", 1) != 0;
    profile_row_ = std::clamp(static_cast<float>(s.number("upsampling.row", 0.5)), 0.0f, 1.0f);
    image_link_.zoom =
        std::clamp(static_cast<float>(s.number("upsampling.zoom", 1.0)), 0.5f, 128.0f);
    image_link_.cx = std::clamp(static_cast<float>(s.number("upsampling.cx", 0.5)), 0.0f, 1.0f);
    image_link_.cy = std::clamp(static_cast<float>(s.number("upsampling.cy", 0.5)), 0.0f, 1.0f);
    if (source_.rfind("file:", 0) == 0)
        copy_to_buffer(path_buf_.data(), path_buf_.size(), source_.substr(5));
    if (source_.rfind("dataset:", 0) == 0) dataset_index_ = std::atoi(source_.c_str() + 8);
    assets_ = list_assets();
    settings_loaded_ = true;
}

void UpsamplingPanel::load_source(PanelContext& ctx) {
    error_.clear();
    try {
        if (source_.rfind("asset:", 0) == 0) {
            const std::string path = std::string(GANVAS_ASSETS_DIR) + "/" + source_.substr(6);
            image_ = load_image(path, image_file_channels(path));
        } else if (source_.rfind("file:", 0) == 0) {
            const std::string path = source_.substr(5);
            image_ = load_image(path, image_file_channels(path));
        } else if (source_.rfind("dataset:", 0) == 0) {
            const auto& d = ctx.snapshot.dataset;
            if (!d || d->size() == 0) {
                error_ = tr("The dataset is still loading.");
                return;  // stays dirty: tried again next frame
            }
            dataset_index_ = std::clamp<int>(dataset_index_, 0, static_cast<int>(d->size() - 1));
            image_ = narrow(d->images, 0, dataset_index_, 1);  // (1, 1, 28, 28)
        } else {
            // A source of no known kind (a settings file edited by hand, a lesson's
            // typo) would leave the tab preparing forever: the demo image instead.
            source_ = kDefaultSource;
            ctx.settings.set_text("upsampling.source", source_);
            return;  // stays dirty: loads the demo next frame
        }
        source_dirty_ = false;
        job_dirty_ = true;
    } catch (const std::exception& e) {
        error_ = e.what();
        note_glyphs(error_);  // a Chinese file name in the message
        source_dirty_ = false;
    }
}

void UpsamplingPanel::start_job() {
    if (!image_.defined()) {
        job_dirty_ = false;
        return;
    }
    if (job_.valid()) return;  // one job at a time; rerun when it ends
    job_dirty_ = false;
    Tensor image = image_;
    const double scale = scale_;
    const bool round_trip = round_trip_, align = align_corners_;
    // Spectra of results up to 512 x 512 take a moment: never on the UI thread.
    job_ = std::async(std::launch::async, [=]() {
        return std::make_shared<const UpsampleComparison>(
            compare_upsamplers(image, scale, round_trip, align));
    });
}

void UpsamplingPanel::adopt_results() {
    if (!job_.valid() || job_.wait_for(std::chrono::seconds(0)) != std::future_status::ready)
        return;
    try {
        result_ = job_.get();
    } catch (const std::exception& e) {
        error_ = e.what();
        return;
    }
    const UpsampleComparison& r = *result_;
    upload(input_tex_, r.round_trip ? r.input : r.original);
    upload_spectrum(original_spectrum_tex_, r.original_spectrum);
    view_tex_.resize(r.views.size());
    spectrum_tex_.resize(r.views.size());
    for (size_t i = 0; i < r.views.size(); ++i) {
        upload(view_tex_[i], r.views[i].image);
        upload_spectrum(spectrum_tex_[i], r.views[i].spectrum);
    }
}

void UpsamplingPanel::draw_source(PanelContext& ctx) {
    Settings& s = ctx.settings;
    ImGui::AlignTextToFramePadding();
    ImGui::TextUnformatted(tr("Image"));
    ImGui::SameLine();
    ImGui::SetNextItemWidth(ImGui::GetFontSize() * 13);
    std::string preview = source_.rfind("asset:", 0) == 0     ? source_.substr(6)
                          : source_.rfind("dataset:", 0) == 0 ? tr("dataset sample")
                                                              : tr("file");
    note_glyphs(preview);
    if (ImGui::BeginCombo("##source", preview.c_str())) {
        for (const std::string& a : assets_) {
            note_glyphs(a);
            if (ImGui::Selectable(a.c_str(), source_ == "asset:" + a)) {
                source_ = "asset:" + a;
                source_dirty_ = true;
            }
        }
        if (ImGui::Selectable(tr("dataset sample"), source_.rfind("dataset:", 0) == 0)) {
            source_ = "dataset:" + std::to_string(dataset_index_);
            source_dirty_ = true;
        }
        if (ImGui::Selectable(tr("file (PNG/JPEG path)"), source_.rfind("file:", 0) == 0)) {
            source_ = std::string("file:") + path_buf_.data();
            source_dirty_ = true;
        }
        ImGui::EndCombo();
        if (source_dirty_) s.set_text("upsampling.source", source_);
    }
    item_tooltip(
        tr("The picture to upsample: a test card from assets/, an image of the training "
           "set, or any PNG/JPEG file. Large images are centre-cropped so results stay "
           "at most 512 pixels a side."));
    if (source_.rfind("dataset:", 0) == 0) {
        ImGui::SameLine();
        ImGui::SetNextItemWidth(ImGui::GetFontSize() * 7);
        if (ImGui::InputInt(tr("index"), &dataset_index_)) {
            dataset_index_ = std::max(0, dataset_index_);
            source_ = "dataset:" + std::to_string(dataset_index_);
            s.set_text("upsampling.source", source_);
            source_dirty_ = true;
        }
    } else if (source_.rfind("file:", 0) == 0) {
        ImGui::SameLine();
        ImGui::SetNextItemWidth(ImGui::GetFontSize() * 18);
        note_glyphs(path_buf_.data());  // a typed or remembered Chinese path renders
        const bool enter =
            ImGui::InputTextWithHint("##path", "/path/to/image.png", path_buf_.data(),
                                     path_buf_.size(), ImGuiInputTextFlags_EnterReturnsTrue);
        ImGui::SameLine();
        if (ImGui::Button(tr("Load")) || enter) {
            source_ = std::string("file:") + path_buf_.data();
            s.set_text("upsampling.source", source_);
            source_dirty_ = true;
        }
    }
}

void UpsamplingPanel::draw_options(PanelContext& ctx) {
    Settings& s = ctx.settings;
    next_in_row(ImGui::CalcTextSize(tr("Scale")).x + ImGui::GetStyle().ItemSpacing.x +
                ImGui::GetFontSize() * 8);
    ImGui::AlignTextToFramePadding();
    ImGui::TextUnformatted(tr("Scale"));
    ImGui::SameLine();
    ImGui::SetNextItemWidth(ImGui::GetFontSize() * 8);
    if (ImGui::SliderFloat("##scale", &scale_, 1.0f, 8.0f, "%.2fx")) {
        s.set_number("upsampling.scale", scale_);
        job_dirty_ = true;
    }
    item_tooltip(
        tr("The upsampling factor. Sizes follow PyTorch: floor(side * scale), and the "
           "given scale (not out / in) places the samples. Try a non-integer scale such as "
           "2.5 to see nearest's uneven blocks."));
    next_in_row(checkbox_width(tr("Round trip")));
    if (ImGui::Checkbox(tr("Round trip"), &round_trip_)) {
        s.set_number("upsampling.round_trip", round_trip_);
        job_dirty_ = true;
    }
    item_tooltip(
        tr("Shrink the image by the scale (area averaging), then upsample it back to its "
           "own size with each method, and score each against the original: PSNR (dB, "
           "higher is better) and SSIM (structure, 1 is identical)."));
    next_in_row(checkbox_width("align_corners"));
    if (ImGui::Checkbox("align_corners", &align_corners_)) {
        s.set_number("upsampling.align_corners", align_corners_);
        job_dirty_ = true;
    }
    item_tooltip(
        tr("For bilinear and bicubic: True pins the corner pixels' centres of input and "
           "output together (step (in - 1) / (out - 1)); False (PyTorch's default) treats "
           "pixels as areas, so the image does not shift."));
    next_in_row(checkbox_width(tr("Spectra")));
    if (ImGui::Checkbox(tr("Spectra"), &show_spectrum_))
        s.set_number("upsampling.spectrum", show_spectrum_);
    item_tooltip(
        tr("log(1 + |FFT|) of each result, zero frequency in the centre. Repeating "
           "patterns — blocks, checkerboards — show as bright dots away from the centre; "
           "blur shows as a dark rim."));
    next_in_row(button_width(tr("Fit")));
    if (ImGui::Button(tr("Fit"))) image_link_.reset(), spectrum_link_.reset();
    item_tooltip(
        tr("Zoom out to the whole image. Wheel zooms every view at once, drag pans, "
           "double-click fits; past 8 screen pixels per pixel a grid shows the pixels."));
    next_in_row(ImGui::CalcTextSize("(?)").x);
    help_marker(
        tr("The fixed resampling modes of torch.nn.functional.interpolate, side by side on "
           "one image. The upsamplers with weights are in the next two tabs: transposed "
           "convolution, resize-convolution and PixelShuffle at initialisation (Checkerboard), "
           "and trained as 2x super-resolution nets (Learned upsampling)."));
    hint(
        tr("One image enlarged by each fixed interpolation rule: compare the edges, and in "
           "the spectra the repeating patterns each rule adds."));
}

void UpsamplingPanel::draw_views(PanelContext& ctx, float height) {
    const UpsampleComparison& r = *result_;
    const int n = static_cast<int>(r.views.size()) + 1;
    const float gap = ImGui::GetStyle().ItemSpacing.x;
    const float line = ImGui::GetTextLineHeightWithSpacing();
    const float spacing = ImGui::GetStyle().ItemSpacing.y;
    // Two layouts for the spectra: a second row, each under its image, or beside each image
    // in one row of pairs; the one that draws them larger wins (a wide, short window: pairs).
    // A row is its caption lines, the images and the spacing below them; the spectra's own
    // row has one caption line for all.
    const float width = ImGui::GetContentRegionAvail().x;
    const float captions = line * (r.round_trip ? 2.0f : 1.0f) + spacing;
    const float stacked = std::min((width - gap * (n - 1)) / n,
                                   (height - captions - (show_spectrum_ ? line + spacing : 0.0f)) /
                                       (show_spectrum_ ? 2.0f : 1.0f));
    const float paired = std::min((width - gap * (2 * n - 1)) / (2 * n), height - captions);
    const bool pairs = show_spectrum_ && paired > stacked;
    const float side = std::max(32.0f, pairs ? paired : stacked);
    const float caption_w = pairs ? 2 * side + gap : side;
    const ImVec2 box{side, side};

    // Captions no wider than their images, so the row stays as wide as the window.
    auto caption = [&](const char* name, const char* help, const UpsampledView* v) {
        ImGui::BeginGroup();
        caption_line(name, caption_w, help);
        if (r.round_trip) {
            char line[96];
            if (v) {
                std::snprintf(line, sizeof line,
                              std::isinf(v->psnr) ? tr("exact") : tr("%.2f dB  SSIM %.3f"), v->psnr,
                              v->ssim);
                caption_line(line, caption_w, nullptr);
            } else {
                std::snprintf(line, sizeof line, tr("%lldx%lld shrunk"),
                              static_cast<long long>(r.input.size(2)),
                              static_cast<long long>(r.input.size(1)));
                ImGui::PushStyleColor(ImGuiCol_Text,
                                      ImGui::GetStyleColorVec4(ImGuiCol_TextDisabled));
                caption_line(line, caption_w, nullptr);
                ImGui::PopStyleColor();
            }
        }
        ImGui::EndGroup();
    };
    ImVec2 hover{-1, -1};
    int hover_view = -1;
    // Row 1: the input and each result, one zoom.
    ImGui::BeginGroup();
    caption(r.round_trip ? tr("shrunk input") : tr("original"), nullptr, nullptr);
    ImVec2 p = zoom_view("##in", input_tex_, box, image_link_, profile_row_);
    if (p.x >= 0) hover = p, hover_view = 0;
    if (pairs) {
        ImGui::SameLine(0, gap);
        zoom_view("##spec_in", original_spectrum_tex_, box, spectrum_link_);
    }
    ImGui::EndGroup();
    for (size_t i = 0; i < r.views.size(); ++i) {
        ImGui::SameLine();
        ImGui::BeginGroup();
        caption(mode_title(r.views[i].mode), mode_help(r.views[i].mode), &r.views[i]);
        ImGui::PushID(static_cast<int>(i));
        p = zoom_view("##view", view_tex_[i], box, image_link_, profile_row_);
        if (p.x >= 0) hover = p, hover_view = static_cast<int>(i) + 1;
        if (pairs) {
            ImGui::SameLine(0, gap);
            zoom_view("##spec", spectrum_tex_[i], box, spectrum_link_);
        }
        ImGui::PopID();
        ImGui::EndGroup();
    }
    if (hover_view >= 0) {
        const Tensor& img =
            hover_view == 0 ? (r.round_trip ? r.input : r.original) : r.views[hover_view - 1].image;
        const int64_t x = static_cast<int64_t>(hover.x), y = static_cast<int64_t>(hover.y);
        const int64_t h = img.size(1), w = img.size(2);
        std::string values;
        for (int64_t c = 0; c < img.size(0); ++c) {
            char buf[32];
            std::snprintf(buf, sizeof buf, "%s%.3f", c ? ", " : "",
                          img.data()[(c * h + y) * w + x]);
            values += buf;
        }
        ImGui::SetTooltip(tr("pixel (%lld, %lld) of %lldx%lld: %s\nclick to profile this row"),
                          static_cast<long long>(x), static_cast<long long>(y),
                          static_cast<long long>(w), static_cast<long long>(h), values.c_str());
        if (ImGui::IsMouseClicked(ImGuiMouseButton_Right) ||
            (ImGui::IsMouseReleased(ImGuiMouseButton_Left) &&
             ImGui::GetMouseDragDelta(ImGuiMouseButton_Left).x == 0 &&
             ImGui::GetMouseDragDelta(ImGuiMouseButton_Left).y == 0)) {
            profile_row_ = (static_cast<float>(y) + 0.5f) / static_cast<float>(h);
            ctx.settings.set_number("upsampling.row", profile_row_);
        }
    }
    if (!show_spectrum_ || pairs) return;
    // Row 2: spectra, with their own linked zoom (frequency space, not image space), each
    // under its image: one caption for the row rather than one cut to each image's width.
    ImGui::TextUnformatted(tr("Spectra, log(1 + |FFT|), each under its image:"));
    zoom_view("##spec_in", original_spectrum_tex_, box, spectrum_link_);
    for (size_t i = 0; i < r.views.size(); ++i) {
        ImGui::SameLine();
        ImGui::PushID(static_cast<int>(i));
        zoom_view("##spec", spectrum_tex_[i], box, spectrum_link_);
        ImGui::PopID();
    }
}

void UpsamplingPanel::draw_profile(PanelContext& ctx, float height) {
    const UpsampleComparison& r = *result_;
    // x in the original image's pixel coordinates, so the curves line up: output column j of
    // n covers original x in [j, j + 1) * W / n.
    const Tensor& orig = r.original;
    const int64_t ow = orig.size(2), oh = orig.size(1);
    const size_t n = r.views.size() + 1;
    profile_x_.assign(n, {});
    profile_y_.assign(n, {});
    std::vector<PlotSeries> series;
    // The original's row, and in each result the row through its centre: a result row
    // on the original row's edge would mix in its neighbour and make a flat region look
    // dimmed by bilinear.
    const int64_t orig_row = std::min<int64_t>(oh - 1, static_cast<int64_t>(profile_row_ * oh));
    auto add = [&](size_t k, const Tensor& img, const char* name, ImU32 colour) {
        const int64_t h = img.size(1), w = img.size(2);
        const int64_t row = std::min<int64_t>(h - 1, (2 * orig_row + 1) * h / (2 * oh));
        for (int64_t j = 0; j < w; ++j) {
            float v = 0;
            for (int64_t c = 0; c < img.size(0); ++c) v += img.data()[(c * h + row) * w + j];
            profile_x_[k].push_back((static_cast<double>(j) + 0.5) * ow / w - 0.5);
            profile_y_[k].push_back(v / static_cast<float>(img.size(0)));
        }
        PlotSeries s;
        s.name = name;
        s.colour = colour;
        s.xs = profile_x_[k];
        s.values = profile_y_[k];
        series.push_back(s);
    };
    add(0, orig, tr("original"), ImGui::GetColorU32(ImGuiCol_Text));  // white, or black on light
    for (size_t i = 0; i < r.views.size(); ++i)
        add(i + 1, r.views[i].image, mode_title(r.views[i].mode), kModeColours[i % 5]);
    PlotOptions o;
    o.scale = ctx.ui_scale;
    o.x_label = "x";
    o.references = {{1.0, tr("white")}, {-1.0, tr("black")}};
    o.help =
        tr("The channel mean along the marked row (click a pixel to pick the row), in the "
           "original's pixel coordinates. Bicubic's curve overshoots past the original's "
           "levels at edges: PyTorch does not clamp it.");
    char title[128];
    std::snprintf(title, sizeof title, tr("Line profile, row %lld of %lld"),
                  static_cast<long long>(orig_row), static_cast<long long>(oh));
    profile_plot_.draw(title, series, o, {0, height});
}

void UpsamplingPanel::draw(PanelContext& ctx) {
    if (!settings_loaded_) load_settings(ctx.settings);
    draw_source(ctx);
    draw_options(ctx);
    if (source_dirty_) load_source(ctx);
    if (job_dirty_) start_job();
    adopt_results();
    // Keep frames coming until the result arrives (and a queued rerun has started).
    if (job_.valid() || job_dirty_ || source_dirty_) ctx.animating = true;
    if (!error_.empty()) error_text(error_);
    if (!result_) {
        if (error_.empty()) ImGui::TextDisabled("%s", tr("Preparing the comparison…"));
        return;
    }
    const float avail = ImGui::GetContentRegionAvail().y;
    // The profile plot's least height (Plot's 80 pixels, scaled) and a row for its legend.
    const float profile_h =
        std::max(80 * ctx.ui_scale + ImGui::GetTextLineHeightWithSpacing(), avail * 0.3f);
    const ZoomLink before = image_link_;
    const ImVec2 views_at = ImGui::GetCursorScreenPos();
    draw_views(ctx, avail - profile_h - ImGui::GetStyle().ItemSpacing.y);
    if (job_.valid()) draw_computing_badge(views_at);
    if (before.zoom != image_link_.zoom || before.cx != image_link_.cx ||
        before.cy != image_link_.cy) {  // the zoom is a view choice: it persists
        ctx.settings.set_number("upsampling.zoom", image_link_.zoom);
        ctx.settings.set_number("upsampling.cx", image_link_.cx);
        ctx.settings.set_number("upsampling.cy", image_link_.cy);
    }
    draw_profile(ctx, ImGui::GetContentRegionAvail().y);
}

GANVAS_REGISTER_PANEL(UpsamplingPanel, 90, "Upsampling");

}  // namespace ganvas::gui
