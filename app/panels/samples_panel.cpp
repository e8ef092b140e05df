#include "panels/samples_panel.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <filesystem>

#include "gui/theme.h"
#include "i18n/tr.h"
#include "io/image_png.h"
#include "widgets/format_numbers.h"
#include "widgets/image_view.h"
#include "widgets/latent_interpolation.h"
#include "widgets/path_field.h"
#include "widgets/tooltip.h"

namespace ganvas::gui {
namespace {

// How long a generate() answer may take before we assume it was dropped (a reset or a
// new configuration empties the trainer's queue) and ask again.
constexpr double kRequestTimeoutS = 3.0;
// The walk is re-rendered as training moves on, but at most this often: a strip every
// frame would steal time from training for changes too small to see.
constexpr double kRefreshIntervalS = 0.5;

const ImU32 kHoverColor = IM_COL32(255, 220, 80, 255);
const ImU32 kSelectedColor = IM_COL32(90, 170, 255, 255);
const ImU32 kAColor = IM_COL32(240, 130, 40, 255);
const ImU32 kBColor = IM_COL32(60, 200, 170, 255);

double seconds_between(std::chrono::steady_clock::time_point a,
                       std::chrono::steady_clock::time_point b) {
    return std::chrono::duration<double>(b - a).count();
}

// Images (N, C, H, W) with C = 1 or 3 that make_grid and a texture can take.
bool showable(const Tensor& images) {
    return images.defined() && images.dtype() == DType::f32 && images.device() == Device::cpu &&
           images.dim() == 4 && images.size(0) >= 1 && (images.size(1) == 1 || images.size(1) == 3);
}

// Outlines a cell and puts a small letter tag in its corner.
void tag_cell(ImDrawList* draw, ImVec2 min, ImVec2 max, ImU32 color, const char* letter,
              float thickness) {
    draw->AddRect(min, max, color, 0, 0, thickness);
    if (!letter) return;
    const ImVec2 text = ImGui::CalcTextSize(letter);
    const float pad = thickness;
    draw->AddRectFilled(min, ImVec2(min.x + text.x + 2 * pad + 2, min.y + text.y + pad), color);
    draw->AddText(ImVec2(min.x + pad + 1, min.y), IM_COL32(0, 0, 0, 255), letter);
}

}  // namespace

void SamplesPanel::load_settings(const Settings& settings) {
    whole_pixels_ = settings.number("samples.whole_pixels", 0) != 0;
    play_fps_ = static_cast<float>(std::clamp(settings.number("samples.play_fps", 8), 1.0, 60.0));
    selected_ = static_cast<int>(settings.integer("samples.selected", -1, -1, INT32_MAX));
    a_ = static_cast<int>(settings.integer("samples.walk_a", 0, -1, INT32_MAX));
    b_ = static_cast<int>(settings.integer("samples.walk_b", 1, -1, INT32_MAX));
    walk_steps_ = static_cast<int>(settings.integer("samples.walk_steps", 10, 2, 32));
    spherical_ = settings.number("samples.walk_spherical", 1) != 0;
    gif_delay_cs_ = static_cast<int>(settings.integer("samples.gif_delay_cs", 8, 1, 100));
    copy_to_buffer(png_path_, sizeof png_path_, settings.text("samples.png_path", png_path_));
    copy_to_buffer(gif_path_, sizeof gif_path_, settings.text("samples.gif_path", gif_path_));
    settings_loaded_ = true;
}

void SamplesPanel::draw(PanelContext& ctx) {
    if (!settings_loaded_) load_settings(ctx.settings);
    if (playing_ || gif_job_.running()) ctx.animating = true;
    if (std::string message; gif_job_.take_result(&message, &export_is_error_))
        export_message_ = message;
    const TrainerSnapshot& s = ctx.snapshot;

    if (s.samples.empty()) {
        ImGui::Spacing();
        if (s.state == TrainerState::Failed) {
            ImGui::TextColored(tone_colour(Tone::error), "%s", tr("Training could not start."));
            ImGui::TextWrapped("%s", tr_phrase(s.notice).c_str());
        } else if (s.state == TrainerState::Loading) {
            ImGui::TextDisabled("%s", tr("Loading the model and its data..."));
        } else if (!s.fixed_noise.defined()) {
            text_wrapped(format_text(tr("%s has no generator, so there are no samples to show."),
                                     s.config.model.c_str())
                             .c_str());
            hint(
                tr("Choose a generative model, such as the GAN dcgan28, in the Experiment sidebar "
                   "to watch its samples here."));
        } else {
            text_wrapped(tr("No sample grid yet."));
            hint(
                tr("Run training (Space) or take a single step (S): the 64 samples from fixed "
                   "noise appear here, and every saved grid can be scrubbed back through later."));
        }
        return;
    }

    const SampleFrame* frame = choose_frame(s);
    if (frame && s.samples[shown_index_].get() != grid_frame_.get()) {
        grid_frame_ = s.samples[shown_index_];
        grid_error_.clear();
        if (!showable(frame->images)) {
            grid_count_ = 0;  // nothing to hover, enlarge or export from the old texture
            grid_error_ = format_text(
                tr("The sample images have an unexpected shape %s"),
                shape_str(frame->images.defined() ? frame->images.shape() : Shape{}).c_str());
        } else {
            const Tensor& images = frame->images;  // (N, C, H, W)
            grid_count_ = static_cast<int>(images.size(0));
            grid_cols_ = ClassRows::active(s) ? static_cast<int>(kClassGridColumns)
                         : grid_count_ == 64
                             ? 8
                             : static_cast<int>(std::ceil(std::sqrt(double(grid_count_))));
            cell_ = static_cast<int>(images.size(3));
            grid_texture_.upload_image(make_grid(images, grid_cols_, kPadding));
        }
    }

    draw_toolbar(ctx);
    const ImGuiStyle& style = ImGui::GetStyle();
    const float export_h = 2 * ImGui::GetFrameHeightWithSpacing() + style.ItemSpacing.y;
    const ImVec2 avail = ImGui::GetContentRegionAvail();
    const float body_h = std::max(avail.y - export_h, 100 * ctx.ui_scale);
    const float side_w = std::min(std::round(300 * ctx.ui_scale), avail.x * 0.45f);
    update_interpolation(ctx);

    ImGui::BeginChild("grid", ImVec2(avail.x - side_w - style.ItemSpacing.x, body_h), false,
                      ImGuiWindowFlags_NoScrollbar);
    if (!grid_error_.empty())
        error_text(grid_error_);
    else if (grid_texture_.valid())
        draw_grid(ctx);
    ImGui::EndChild();
    ImGui::SameLine();
    ImGui::BeginChild("side", ImVec2(0, body_h));
    draw_side(ctx, ImGui::GetContentRegionAvail().x);
    ImGui::EndChild();
    draw_export(ctx);
}

const SampleFrame* SamplesPanel::choose_frame(const TrainerSnapshot& s) {
    const auto& frames = s.samples;  // oldest first, not empty
    const auto now = Clock::now();
    if (playing_ && seconds_between(play_tick_, now) >= 1.0 / play_fps_) {
        play_tick_ = now;
        const auto next = std::find_if(frames.begin(), frames.end(),
                                       [&](const auto& f) { return f->step > shown_step_; });
        shown_step_ = next == frames.end() ? frames.front()->step : (*next)->step;  // loops
    }
    size_t index = frames.size() - 1;
    if (!follow_latest_) {
        // The newest grid at or before the chosen step; after a reset, the first one.
        index = 0;
        for (size_t i = 0; i < frames.size(); ++i)
            if (frames[i]->step <= shown_step_) index = i;
    }
    shown_index_ = index;
    shown_step_ = frames[index]->step;
    return frames[index].get();
}

void SamplesPanel::draw_toolbar(PanelContext& ctx) {
    const auto& frames = ctx.snapshot.samples;
    if (ImGui::Checkbox(tr("Follow latest"), &follow_latest_)) {
        if (follow_latest_) playing_ = false;
    }
    item_tooltip(
        tr("Show the newest grid as training goes on. Scrubbing the slider turns this off."));
    ImGui::SameLine();
    if (ImGui::Button(playing_ ? tr("Pause##play") : tr("Play"),
                      ImVec2(4 * ImGui::GetFontSize(), 0))) {
        playing_ = !playing_;
        if (playing_) {
            follow_latest_ = false;
            if (shown_index_ + 1 >= frames.size()) shown_step_ = -1;  // from the start
            play_tick_ = Clock::now();
        }
    }
    item_tooltip(tr("Play the saved grids in order, looping, to watch the samples evolve."));
    ImGui::SameLine();
    ImGui::SetNextItemWidth(5 * ImGui::GetFontSize());
    if (ImGui::SliderFloat("##fps", &play_fps_, 1, 30, tr("%.0f fps")))
        ctx.settings.set_number("samples.play_fps", play_fps_);
    ImGui::SameLine();
    item_tooltip(tr("Playback speed, in grids per second."));
    ImGui::SameLine();
    if (ImGui::Checkbox(tr("Whole pixels"), &whole_pixels_))
        ctx.settings.set_number("samples.whole_pixels", whole_pixels_);
    item_tooltip(
        tr("Zoom by whole numbers only, so every image pixel is the same size on screen."));

    ImGui::SetNextItemWidth(-FLT_MIN);
    int index = static_cast<int>(shown_index_);
    char label[96];
    std::snprintf(label, sizeof label, tr("step %lld  (grid %d of %zu)"),
                  static_cast<long long>(frames[shown_index_]->step), index + 1, frames.size());
    ImGui::BeginDisabled(frames.size() < 2);  // one grid: nothing to scrub yet
    const bool scrubbed =
        ImGui::SliderInt("##grid", &index, 0, static_cast<int>(frames.size()) - 1, label,
                         ImGuiSliderFlags_AlwaysClamp | ImGuiSliderFlags_NoInput);
    ImGui::EndDisabled();
    if (scrubbed) {
        index = std::clamp(index, 0, static_cast<int>(frames.size()) - 1);
        follow_latest_ = false;
        playing_ = false;
        shown_index_ = static_cast<size_t>(index);
        shown_step_ = frames[shown_index_]->step;
    }
    item_tooltip(
        tr("Scrub back through the saved grids (arrow keys step while the grid is hovered)."));
}

void SamplesPanel::cell_uv(int index, ImVec2* uv0, ImVec2* uv1) const {
    const float tw = static_cast<float>(grid_texture_.width());
    const float th = static_cast<float>(grid_texture_.height());
    const int stride = cell_ + kPadding;
    const float x = static_cast<float>(kPadding + (index % grid_cols_) * stride);
    const float y = static_cast<float>(kPadding + (index / grid_cols_) * stride);
    *uv0 = ImVec2(x / tw, y / th);
    *uv1 = ImVec2((x + cell_) / tw, (y + cell_) / th);
}

void SamplesPanel::draw_grid(PanelContext& ctx) {
    const ImVec2 avail = ImGui::GetContentRegionAvail();
    const float tw = static_cast<float>(grid_texture_.width());
    const float th = static_cast<float>(grid_texture_.height());
    float zoom = std::max(0.1f, std::min(avail.x / tw, avail.y / th));
    if (whole_pixels_ && zoom >= 1) zoom = std::floor(zoom);
    const ImVec2 size(std::floor(tw * zoom), std::floor(th * zoom));
    ImGui::SetCursorPosX(ImGui::GetCursorPosX() + std::max(0.0f, (avail.x - size.x) / 2));
    const ImVec2 origin = ImGui::GetCursorScreenPos();

    const ImVec2 pixel = draw_image(grid_texture_, size);
    ClassRows::draw_row_labels(ctx.snapshot, ImVec2(origin.x, origin.y + kPadding * zoom),
                               (cell_ + kPadding) * zoom, cell_ * zoom);
    const int hovered = grid_cell_at(pixel, grid_count_, grid_cols_, cell_, kPadding);
    const bool image_hovered = ImGui::IsItemHovered();
    if (hovered >= 0 && ImGui::IsItemClicked(ImGuiMouseButton_Left)) {
        selected_ = hovered;
        ctx.settings.set_number("samples.selected", selected_);
    }
    if (hovered >= 0 && image_hovered && ImGui::IsMouseReleased(ImGuiMouseButton_Right)) {
        context_cell_ = hovered;
        ImGui::OpenPopup("cell menu");
    }
    // Arrow keys step through the saved grids while the mouse is over the grid.
    if (image_hovered && !ImGui::GetIO().WantTextInput) {
        const auto& frames = ctx.snapshot.samples;
        int step = ImGui::IsKeyPressed(ImGui::GetKeyIndex(ImGuiKey_LeftArrow))    ? -1
                   : ImGui::IsKeyPressed(ImGui::GetKeyIndex(ImGuiKey_RightArrow)) ? 1
                                                                                  : 0;
        if (step != 0) {
            const int last = static_cast<int>(frames.size()) - 1;
            const int index = std::clamp(static_cast<int>(shown_index_) + step, 0, last);
            follow_latest_ = false;
            playing_ = false;
            shown_step_ = frames[index]->step;
        }
    }

    ImDrawList* draw = ImGui::GetWindowDrawList();
    const float thickness = std::max(1.0f, std::round(2 * ctx.ui_scale));
    auto cell_rect = [&](int index, ImVec2* min, ImVec2* max) {
        const int stride = cell_ + kPadding;
        *min = ImVec2(origin.x + (kPadding + (index % grid_cols_) * stride) * zoom,
                      origin.y + (kPadding + (index / grid_cols_) * stride) * zoom);
        *max = ImVec2(min->x + cell_ * zoom, min->y + cell_ * zoom);
    };
    ImVec2 min, max;
    if (a_ >= 0 && a_ < grid_count_)
        cell_rect(a_, &min, &max), tag_cell(draw, min, max, kAColor, "A", thickness);
    if (b_ >= 0 && b_ < grid_count_)
        cell_rect(b_, &min, &max), tag_cell(draw, min, max, kBColor, "B", thickness);
    if (selected_ >= 0 && selected_ < grid_count_)
        cell_rect(selected_, &min, &max),
            tag_cell(draw, min, max, kSelectedColor, nullptr, thickness);
    if (hovered >= 0) {
        cell_rect(hovered, &min, &max);
        tag_cell(draw, min, max, kHoverColor, nullptr, thickness);
        if (!ImGui::IsPopupOpen("cell menu")) {
            ImGui::BeginTooltip();
            ImGui::Text(tr("Sample #%d, step %lld"), hovered, static_cast<long long>(shown_step_));
            ImGui::TextDisabled("%s", tr("Click to enlarge; right-click to use it as A or B."));
            ImGui::EndTooltip();
        }
    }
    draw_cell_menu(ctx);
}

void SamplesPanel::draw_cell_menu(PanelContext& ctx) {
    if (!ImGui::BeginPopup("cell menu")) return;
    ImGui::TextDisabled(tr("Sample #%d"), context_cell_);
    ImGui::Separator();
    if (ImGui::MenuItem(tr("Enlarge"))) {
        selected_ = context_cell_;
        ctx.settings.set_number("samples.selected", selected_);
    }
    if (ImGui::MenuItem(tr("Set as A (walk start)"))) {
        a_ = context_cell_;
        ctx.settings.set_number("samples.walk_a", a_);
    }
    if (ImGui::MenuItem(tr("Set as B (walk end)"))) {
        b_ = context_cell_;
        ctx.settings.set_number("samples.walk_b", b_);
    }
    ImGui::EndPopup();
}

void SamplesPanel::draw_side(PanelContext& ctx, float width) {
    draw_enlarged(ctx, width);
    ImGui::Spacing();
    ImGui::Separator();
    ImGui::Spacing();
    draw_interpolation(ctx, width);
    if (!ClassRows::active(ctx.snapshot)) return;
    ImGui::Spacing();
    ImGui::Separator();
    ImGui::Spacing();
    class_picker_.draw(ctx, width);
}

void SamplesPanel::draw_enlarged(PanelContext& ctx, float width) {
    if (selected_ < 0 || selected_ >= grid_count_ || !grid_texture_.valid()) {
        text_wrapped(tr("Click a sample to see it large here."));
        hint(tr("Right-click one to make it an end of the latent walk below."));
        return;
    }
    ImGui::Text(tr("Sample #%d"), selected_);
    ImGui::SameLine();
    ImGui::TextDisabled(tr("step %lld"), static_cast<long long>(shown_step_));
    // Leave the lower part of the column to the latent walk.
    const float limit = std::min(width, ImGui::GetWindowHeight() * 0.45f);
    const float zoom = std::max(1.0f, std::floor(limit / cell_));
    ImVec2 uv0, uv1;
    cell_uv(selected_, &uv0, &uv1);
    ImGui::Image(grid_texture_.imgui_id(), ImVec2(cell_ * zoom, cell_ * zoom), uv0, uv1,
                 ImVec4(1, 1, 1, 1), ImGui::GetStyleColorVec4(ImGuiCol_Border));
    ImGui::TextDisabled(tr("%.0f x zoom"), zoom);
    ImGui::SameLine();
    if (ImGui::SmallButton(tr("Set as A"))) {
        a_ = selected_;
        ctx.settings.set_number("samples.walk_a", a_);
    }
    ImGui::SameLine();
    if (ImGui::SmallButton(tr("Set as B"))) {
        b_ = selected_;
        ctx.settings.set_number("samples.walk_b", b_);
    }
}

void SamplesPanel::update_interpolation(PanelContext& ctx) {
    const TrainerSnapshot& s = ctx.snapshot;
    const Tensor& z = class_rows_.cell_noise(s);  // (64, z_dim), or a row per class
    if (!z.defined() || z.dim() != 2 || z.size(0) < 1) return;
    const int rows = static_cast<int>(z.size(0));
    a_ = std::clamp(a_, 0, rows - 1);
    b_ = std::clamp(b_, 0, rows - 1);

    if (pending_request_ && s.generated_request == pending_request_ && s.generated) {
        pending_request_ = 0;
        walk_frame_ = s.generated;
        shown_walk_ = pending_walk_;
        walk_error_.clear();
        if (showable(walk_frame_->images))
            walk_texture_.upload_image(
                make_grid(walk_frame_->images, static_cast<int>(walk_frame_->images.size(0)), 0));
        else
            walk_error_ = tr("The generator answered with an unexpected shape.");
    }
    const auto now = Clock::now();
    const double since = seconds_between(last_request_, now);
    if (pending_request_ && since > kRequestTimeoutS) pending_request_ = 0;

    const WalkKey want{z, a_, b_, walk_steps_, spherical_};
    const bool stale = !walk_frame_ || !(shown_walk_ == want) || walk_frame_->step != s.step;
    const bool ready = s.state != TrainerState::Loading && s.state != TrainerState::Failed;
    if (!stale || pending_request_ || !ready || since < kRefreshIntervalS) return;
    try {
        const Tensor walk = interpolate_latents(
            z, a_, b_, walk_steps_, spherical_ ? Interpolation::spherical : Interpolation::linear);
        pending_request_ = ctx.trainer.generate(  // (steps, z_dim), in A's class if any
            walk, class_rows_.walk_labels(s, a_, walk_steps_));
        pending_walk_ = want;
        last_request_ = now;
    } catch (const std::exception& e) {
        walk_error_ = e.what();
        last_request_ = now;  // do not retry every frame
    }
}

void SamplesPanel::draw_interpolation(PanelContext& ctx, float width) {
    ImGui::TextUnformatted(tr("Latent walk"));
    item_tooltip(
        tr("Images the generator makes from noise vectors between the fixed noise of sample A and "
           "sample B, re-rendered as training goes on."));
    const Tensor& z = ctx.snapshot.fixed_noise;
    if (!z.defined()) {
        ImGui::TextDisabled("%s", tr("Needs a model with a generator."));
        return;
    }
    const int last = static_cast<int>(class_rows_.cell_noise(ctx.snapshot).size(0)) - 1;
    const float field_w = 5.5f * ImGui::GetFontSize();
    ImGui::SetNextItemWidth(field_w);
    if (ImGui::InputInt("A", &a_)) {
        a_ = std::clamp(a_, 0, last);
        ctx.settings.set_number("samples.walk_a", a_);
    }
    ImGui::SameLine();
    ImGui::SetNextItemWidth(field_w);
    if (ImGui::InputInt("B", &b_)) {
        b_ = std::clamp(b_, 0, last);
        ctx.settings.set_number("samples.walk_b", b_);
    }
    ImGui::SetNextItemWidth(width - ImGui::CalcTextSize(tr("steps")).x -
                            ImGui::GetStyle().ItemSpacing.x);
    if (ImGui::SliderInt(tr("steps"), &walk_steps_, 2, 32, tr("%d images"),
                         ImGuiSliderFlags_AlwaysClamp))
        ctx.settings.set_number("samples.walk_steps", walk_steps_);
    if (ImGui::RadioButton(tr("linear"), !spherical_)) {
        spherical_ = false;
        ctx.settings.set_number("samples.walk_spherical", 0);
    }
    item_tooltip(tr("Straight line: (1 - t) zA + t zB."));
    ImGui::SameLine();
    if (ImGui::RadioButton(tr("spherical (slerp)"), spherical_)) {
        spherical_ = true;
        ctx.settings.set_number("samples.walk_spherical", 1);
    }
    item_tooltip(
        tr("Along the great circle between zA and zB. Gaussian noise lives near a sphere; a "
           "straight line cuts through its inside, where the generator was never trained."));

    if (!walk_error_.empty()) error_text(walk_error_);
    if (!walk_frame_ || !walk_texture_.valid()) {
        ImGui::TextDisabled("%s", tr("Rendering the walk..."));
        return;
    }
    const int count = static_cast<int>(walk_frame_->images.size(0));
    const int per_row = std::min(count, 5);
    const float gap = std::max(1.0f, std::round(2 * ctx.ui_scale));
    const float cell = std::floor((width - gap * (per_row - 1)) / per_row);
    ImGui::PushStyleVar(ImGuiStyleVar_ItemSpacing, ImVec2(gap, gap));
    for (int i = 0; i < count; ++i) {
        if (i % per_row != 0) ImGui::SameLine();
        const float u0 = static_cast<float>(i) / count, u1 = static_cast<float>(i + 1) / count;
        ImGui::Image(walk_texture_.imgui_id(), ImVec2(cell, cell), ImVec2(u0, 0), ImVec2(u1, 1));
        if (ImGui::IsItemHovered())
            ImGui::SetTooltip("t = %.2f", count > 1 ? static_cast<double>(i) / (count - 1) : 0.0);
    }
    ImGui::PopStyleVar();
    ImGui::TextDisabled(pending_request_ ? tr("#%d to #%d, %s, step %lld, updating")
                                         : tr("#%d to #%d, %s, step %lld"),
                        shown_walk_.a, shown_walk_.b,
                        shown_walk_.spherical ? "slerp" : tr("linear"),
                        static_cast<long long>(walk_frame_->step));
}

void SamplesPanel::draw_export(PanelContext& ctx) {
    ImGui::Separator();
    const ImGuiStyle& style = ImGui::GetStyle();
    const float button_w = 6.5f * ImGui::GetFontSize();
    const float delay_w = 9 * ImGui::GetFontSize();
    const float avail_w = ImGui::GetContentRegionAvail().x;
    // PNG and GIF share a line when both paths get a useful width; else each has its own line.
    const float shared_w = (avail_w - 2 * button_w - delay_w - 5 * style.ItemSpacing.x) / 2;
    const bool one_line = shared_w >= 8 * ImGui::GetFontSize();
    const float min_w = 4 * ImGui::GetFontSize();
    const float png_w =
        one_line ? shared_w : std::max(min_w, avail_w - button_w - style.ItemSpacing.x);
    const float gif_w =
        one_line ? shared_w
                 : std::max(min_w, avail_w - button_w - delay_w - 2 * style.ItemSpacing.x);
    if (path_field("##png path", png_path_, sizeof png_path_, png_w))
        ctx.settings.set_text("samples.png_path", png_path_);
    item_tooltip(tr("Where Save PNG writes the grid shown above; folders are created."));
    ImGui::SameLine();
    if (ImGui::Button(tr("Save PNG"), ImVec2(button_w, 0)) && grid_frame_) {
        try {
            namespace fs = std::filesystem;
            if (const fs::path dir = fs::path(png_path_).parent_path(); !dir.empty())
                fs::create_directories(dir);
            save_image_grid(png_path_, grid_frame_->images, grid_cols_, kPadding);
            export_message_ =
                format_text(tr("Wrote %s (step %lld)"), fs::absolute(png_path_).string().c_str(),
                            static_cast<long long>(grid_frame_->step));
            export_is_error_ = false;
        } catch (const std::exception& e) {
            export_message_ = tr_error(e.what());
            export_is_error_ = true;
        }
    }
    if (one_line) ImGui::SameLine(0, 2 * style.ItemSpacing.x);
    if (path_field("##gif path", gif_path_, sizeof gif_path_, gif_w))
        ctx.settings.set_text("samples.gif_path", gif_path_);
    item_tooltip(tr(
        "Where Save GIF writes every saved grid as one animation, each captioned with its step."));
    ImGui::SameLine();
    if (gif_job_.running()) {
        if (ImGui::Button(tr("Cancel"), ImVec2(button_w, 0))) gif_job_.cancel();
    } else if (ImGui::Button(tr("Save GIF"), ImVec2(button_w, 0))) {
        gif_job_.start(gif_path_, ctx.snapshot.samples, grid_cols_, gif_delay_cs_);
        export_message_.clear();
    }
    ImGui::SameLine();
    ImGui::SetNextItemWidth(-FLT_MIN);
    int delay_ms = gif_delay_cs_ * 10;
    if (ImGui::SliderInt("##gif delay", &delay_ms, 10, 1000, tr("%d ms/frame"),
                         ImGuiSliderFlags_AlwaysClamp)) {
        gif_delay_cs_ = std::clamp(delay_ms / 10, 1, 100);
        ctx.settings.set_number("samples.gif_delay_cs", gif_delay_cs_);
    }
    item_tooltip(tr("How long each grid stays in the GIF."));

    if (gif_job_.running()) {
        char overlay[64];
        std::snprintf(overlay, sizeof overlay, tr("writing GIF: %.0f%%"),
                      100 * gif_job_.progress());
        ImGui::ProgressBar(gif_job_.progress(), ImVec2(-FLT_MIN, 0), overlay);
    } else if (export_is_error_) {
        ImGui::TextColored(tone_colour(Tone::error), "%s", export_message_.c_str());
    } else if (!export_message_.empty()) {
        ImGui::TextDisabled("%s", export_message_.c_str());
    } else {
        ImGui::TextDisabled(tr("%zu saved grids, steps %lld to %lld"), ctx.snapshot.samples.size(),
                            static_cast<long long>(ctx.snapshot.samples.front()->step),
                            static_cast<long long>(ctx.snapshot.samples.back()->step));
    }
}

GANVAS_REGISTER_PANEL(SamplesPanel, 20, "Samples");

}  // namespace ganvas::gui
