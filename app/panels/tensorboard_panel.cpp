#include "panels/tensorboard_panel.h"

#include <imgui.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <set>

#include "gui/fonts.h"
#include "gui/theme.h"
#include "i18n/tr.h"
#include "io/image_decode.h"
#include "widgets/image_view.h"
#include "widgets/tooltip.h"

namespace ganvas::gui {
namespace {

const char* const kPathSetting = "tensorboard.log_path";
const char* const kDefaultLogDir = "runs/tensorboard";

// What the background thread hands back: the runs, or why there are none.
template <typename Loaded>
Loaded read_log(const std::string& dir) {
    Loaded loaded;
    try {
        loaded.runs = read_tensorboard_log(dir);
    } catch (const std::exception& e) {
        loaded.error = e.what();
    }
    return loaded;
}

// User data (folder, tag and run names) may be in any script: the font learns its glyphs.
const char* noted(const std::string& text) {
    note_glyphs(text);
    return text.c_str();
}

}  // namespace

ImU32 run_colour(size_t i) {
    static const ImU32 kPalette[] = {IM_COL32(80, 160, 230, 255),  IM_COL32(240, 140, 50, 255),
                                     IM_COL32(90, 190, 100, 255),  IM_COL32(220, 80, 90, 255),
                                     IM_COL32(170, 120, 220, 255), IM_COL32(150, 110, 90, 255),
                                     IM_COL32(230, 130, 200, 255), IM_COL32(160, 160, 160, 255)};
    return kPalette[i % (sizeof kPalette / sizeof kPalette[0])];
}

TensorBoardPanel::TensorBoardPanel(const std::string& start) {
    if (start.empty()) return;
    copy_to_buffer(path_buf_, sizeof path_buf_, start);
    path_loaded_ = true;
    open(start);
}

void TensorBoardPanel::open(const std::string& dir) {
    if (dir != shown_dir_) {  // Read again keeps the image step; another folder starts over
        image_tag_ = 0;
        image_step_index_ = -1;
    }
    shown_dir_ = dir;
    loading_ = std::async(std::launch::async, [dir] { return read_log<Loaded>(dir); });
}

bool TensorBoardPanel::poll(bool wait) {
    if (!loading_.valid()) return false;
    if (!wait && loading_.wait_for(std::chrono::seconds(0)) != std::future_status::ready)
        return false;
    Loaded loaded = loading_.get();
    runs_ = std::move(loaded.runs);
    error_ = std::move(loaded.error);
    rebuild();
    return true;
}

void TensorBoardPanel::rebuild() {
    std::set<std::string> scalar_tags, image_tags;
    for (const TensorBoardRun& run : runs_) {
        for (const auto& [tag, points] : run.scalars) scalar_tags.insert(tag);
        for (const auto& [tag, points] : run.images) image_tags.insert(tag);
    }
    plots_.clear();
    for (const std::string& tag : scalar_tags) {
        auto plot = std::make_unique<TagPlot>();
        plot->tag = tag;
        for (size_t r = 0; r < runs_.size(); ++r) {
            const auto it = runs_[r].scalars.find(tag);
            if (it == runs_[r].scalars.end()) continue;
            std::vector<int64_t> steps;
            std::vector<float> values;
            for (const ScalarPoint& p : it->second) {
                steps.push_back(p.step);
                values.push_back(static_cast<float>(p.value));
            }
            plot->steps.push_back(std::move(steps));
            plot->values.push_back(std::move(values));
            PlotSeries s;
            s.name = runs_[r].name;
            s.colour = run_colour(r);
            plot->series.push_back(std::move(s));
        }
        // The vectors are in place now: the spans may point into them.
        for (size_t i = 0; i < plot->series.size(); ++i) {
            plot->series[i].steps = plot->steps[i];
            plot->series[i].values = plot->values[i];
        }
        plots_.push_back(std::move(plot));
    }
    image_tags_.assign(image_tags.begin(), image_tags.end());
    image_tag_ = std::clamp(image_tag_, 0, std::max(0, static_cast<int>(image_tags_.size()) - 1));
    shown_.clear();
    shown_.resize(runs_.size());
}

std::vector<int64_t> TensorBoardPanel::image_steps(const std::string& tag) const {
    std::set<int64_t> steps;
    for (const TensorBoardRun& run : runs_)
        if (const auto it = run.images.find(tag); it != run.images.end())
            for (const ImagePoint& p : it->second) steps.insert(p.step);
    return {steps.begin(), steps.end()};
}

void TensorBoardPanel::draw(PanelContext& ctx) {
    if (!path_loaded_) {
        copy_to_buffer(path_buf_, sizeof path_buf_,
                       ctx.settings.text(kPathSetting, kDefaultLogDir));
        path_loaded_ = true;
    }
    poll();
    if (loading()) {
        ctx.working = true;  // a screenshot waits for the log
        ctx.animating = true;
    }
    draw_toolbar(ctx);
    if (!error_.empty()) {
        error_text(error_);
    }
    if (runs_.empty()) {
        if (!loading() && error_.empty())
            hint(tr(
                "Give a TensorBoard log folder and press Open folder: each folder of event files "
                "(events.out.tfevents.*) in it is a run, plotted side by side. `ganvas train "
                "--tensorboard DIR` and the sidebar's \"Log to TensorBoard\" write one; so does "
                "PyTorch's torch.utils.tensorboard.SummaryWriter."));
        return;
    }
    draw_runs();
    ImGui::BeginChild("tensorboard body", ImVec2(0, 0), false);
    draw_scalars(ctx);
    draw_images(ctx);
    draw_texts();
    ImGui::EndChild();
}

void TensorBoardPanel::draw_toolbar(PanelContext& ctx) {
    ImGui::AlignTextToFramePadding();
    ImGui::TextUnformatted(tr("Log folder"));
    ImGui::SameLine();
    const ImGuiStyle& style = ImGui::GetStyle();
    const float buttons = ImGui::CalcTextSize(tr("Open folder")).x +
                          ImGui::CalcTextSize(tr("Read again")).x + 4 * style.FramePadding.x +
                          3 * style.ItemSpacing.x;
    ImGui::SetNextItemWidth(
        std::max(ImGui::GetFontSize() * 10, ImGui::GetContentRegionAvail().x - buttons));
    const bool entered = ImGui::InputText("##log folder", path_buf_, sizeof path_buf_,
                                          ImGuiInputTextFlags_EnterReturnsTrue);
    if (ImGui::IsItemEdited()) ctx.settings.set_text(kPathSetting, path_buf_);
    item_tooltip(
        tr("A folder of runs, as `tensorboard --logdir` takes: every folder in it that holds event "
           "files is a run. One event file works too."));
    ImGui::SameLine();
    ImGui::BeginDisabled(loading());
    if (ImGui::Button(tr("Open folder")) || entered) open(path_buf_);
    ImGui::SameLine();
    ImGui::BeginDisabled(shown_dir_.empty());
    if (ImGui::Button(tr("Read again"))) open(shown_dir_);
    ImGui::EndDisabled();
    ImGui::EndDisabled();
    item_tooltip(tr("Read the folder again: a run still training has logged more since."));
    if (loading()) {
        ImGui::SameLine();
        ImGui::TextDisabled("%s", tr("reading…"));
    }
}

void TensorBoardPanel::draw_runs() {
    if (runs_.size() == 1)
        ImGui::TextDisabled(tr("1 run in %s"), noted(shown_dir_));
    else
        ImGui::TextDisabled(tr("%d runs in %s"), static_cast<int>(runs_.size()), noted(shown_dir_));
    for (size_t r = 0; r < runs_.size(); ++r) {
        const TensorBoardRun& run = runs_[r];
        if (r > 0) ImGui::SameLine(0, ImGui::GetFontSize());
        const ImVec2 p = ImGui::GetCursorScreenPos();
        const float h = ImGui::GetTextLineHeight();
        ImGui::GetWindowDrawList()->AddRectFilled(
            ImVec2(p.x, p.y + h * 0.2f), ImVec2(p.x + h * 0.6f, p.y + h * 0.8f), run_colour(r));
        ImGui::Dummy(ImVec2(h * 0.7f, h));
        ImGui::SameLine(0, 2);
        ImGui::TextUnformatted(noted(run.name));
        if (ImGui::IsItemHovered())
            ImGui::SetTooltip(
                tr("events: %lld · files: %d · scalar tags: %d · image tags: %d"),
                static_cast<long long>(run.events), static_cast<int>(run.files.size()),
                static_cast<int>(run.scalars.size()), static_cast<int>(run.images.size()));
    }
    for (const TensorBoardRun& run : runs_)
        for (const std::string& warning : run.warnings) {
            ImGui::PushTextWrapPos(0);
            ImGui::TextColored(tone_colour(Tone::warning), "%s", noted(warning));
            ImGui::PopTextWrapPos();
        }
}

void TensorBoardPanel::draw_scalars(PanelContext& ctx) {
    if (plots_.empty()) return;
    if (!ImGui::CollapsingHeader(tr_id("Scalars"), ImGuiTreeNodeFlags_DefaultOpen)) return;
    float smoothing = static_cast<float>(
        std::clamp(ctx.settings.number("tensorboard.smoothing", 0.6), 0.0, 0.99));
    ImGui::SetNextItemWidth(ImGui::GetFontSize() * 8);
    if (ImGui::SliderFloat(tr("smoothing"), &smoothing, 0.0f, 0.99f, "%.2f"))
        ctx.settings.set_number("tensorboard.smoothing", std::clamp(smoothing, 0.0f, 0.99f));
    item_tooltip(
        tr("TensorBoard's smoothing: an exponential moving average of each line, the raw values "
           "faint behind it. 0: off."));
    PlotOptions options;
    options.scale = ctx.ui_scale;
    options.smoothing = std::isfinite(smoothing) ? smoothing : 0.6;
    const int columns = ImGui::GetContentRegionAvail().x > 900 * ctx.ui_scale ? 3 : 2;
    const float spacing = ImGui::GetStyle().ItemSpacing.x;
    const float w = (ImGui::GetContentRegionAvail().x - spacing * (columns - 1)) / columns;
    const float h = 190 * ctx.ui_scale;
    for (size_t i = 0; i < plots_.size(); ++i) {
        TagPlot& p = *plots_[i];
        if (i % columns != 0) ImGui::SameLine();
        ImGui::PushID(static_cast<int>(i));
        ImGui::BeginGroup();
        p.plot.draw(noted(p.tag), p.series, options, ImVec2(w, h));
        ImGui::EndGroup();
        ImGui::PopID();
    }
}

void TensorBoardPanel::draw_images(PanelContext& ctx) {
    if (image_tags_.empty()) return;
    if (!ImGui::CollapsingHeader(tr_id("Images by step"), ImGuiTreeNodeFlags_DefaultOpen)) return;
    if (image_tags_.size() > 1) {
        ImGui::SetNextItemWidth(ImGui::GetFontSize() * 10);
        if (ImGui::BeginCombo(tr("image tag"), noted(image_tags_[image_tag_]))) {
            for (size_t i = 0; i < image_tags_.size(); ++i)
                if (ImGui::Selectable(noted(image_tags_[i]), static_cast<int>(i) == image_tag_))
                    image_tag_ = static_cast<int>(i);
            ImGui::EndCombo();
        }
        ImGui::SameLine();
    }
    const std::string& tag = image_tags_[image_tag_];
    const std::vector<int64_t> steps = image_steps(tag);
    const int last = static_cast<int>(steps.size()) - 1;
    int index = image_step_index_ < 0 ? last : std::min(image_step_index_, last);
    ImGui::SetNextItemWidth(ImGui::GetContentRegionAvail().x * 0.6f);
    const std::string label = std::to_string(steps[index]);
    if (ImGui::SliderInt(tr("step shown"), &index, 0, last, label.c_str(),
                         ImGuiSliderFlags_AlwaysClamp))
        image_step_index_ = index == last ? -1 : index;  // at the end: follow new images
    item_tooltip(tr("Each run shows its latest image at or before this step."));
    const int64_t step = steps[index];

    const float cell = std::max(
        120.0f, std::min(ImGui::GetContentRegionAvail().x / std::max<size_t>(1, runs_.size()) -
                             ImGui::GetStyle().ItemSpacing.x,
                         360 * ctx.ui_scale));
    bool first = true;
    for (size_t r = 0; r < runs_.size(); ++r) {
        const auto it = runs_[r].images.find(tag);
        if (it == runs_[r].images.end()) continue;
        const ImagePoint* image = nullptr;
        for (const ImagePoint& p : it->second)
            if (p.step <= step) image = &p;
        if (!first) ImGui::SameLine();
        first = false;
        ImGui::BeginGroup();
        colour_label(run_colour(r), noted(runs_[r].name));
        Shown& shown = shown_[r];
        if (!image) {
            ImGui::TextDisabled(tr("no image yet at step %lld"), static_cast<long long>(step));
        } else {
            const std::string key = tag + "@" + std::to_string(image->step);
            if (shown.key != key) {
                shown.key = key;
                shown.error.clear();
                try {
                    const int channels = image->channels == 1 || image->channels == 2 ? 1 : 3;
                    const DecodedImage d = decode_image_pixels(image->encoded, channels, tag);
                    shown.texture.upload(d.width, d.height, d.channels, d.pixels.data());
                } catch (const std::exception& e) {
                    shown.error = e.what();
                }
            }
            ImGui::TextDisabled(tr("image of step %lld"), static_cast<long long>(image->step));
            if (!shown.error.empty()) {
                error_text(shown.error);
            } else if (shown.texture.valid()) {
                const float scale = cell / static_cast<float>(shown.texture.width());
                draw_image(shown.texture,
                           ImVec2(cell, static_cast<float>(shown.texture.height()) * scale));
            }
        }
        ImGui::EndGroup();
    }
}

void TensorBoardPanel::draw_texts() {
    bool any = false;
    for (const TensorBoardRun& run : runs_) any |= !run.texts.empty();
    if (!any || !ImGui::CollapsingHeader(tr_id("Text summaries"))) return;
    for (size_t r = 0; r < runs_.size(); ++r)
        for (const auto& [tag, texts] : runs_[r].texts) {
            if (texts.empty()) continue;
            colour_label(run_colour(r), noted(runs_[r].name + " · " + tag));
            ImGui::SameLine();
            ImGui::TextDisabled(tr("logged at step %lld"),
                                static_cast<long long>(texts.back().step));
            ImGui::Indent();
            ImGui::PushTextWrapPos(0);
            ImGui::TextUnformatted(noted(texts.back().text));
            ImGui::PopTextWrapPos();
            ImGui::Unindent();
        }
}

void tensorboard_log_checkbox(PanelContext& ctx) {
    bool on = !ctx.snapshot.tensorboard_run.empty();
    if (ImGui::Checkbox(tr("Log to TensorBoard"), &on))
        ctx.trainer.set_tensorboard(on ? ctx.settings.text(kPathSetting, kDefaultLogDir) : "");
    if (on) {
        ImGui::SameLine();
        ImGui::TextDisabled("%s", noted(ctx.snapshot.tensorboard_run));
    }
    item_tooltip(
        tr("Write this session's scalars, sample grids and settings as TensorBoard event files, in "
           "a new run folder under the TensorBoard tab's log folder."));
}

GANVAS_REGISTER_PANEL_MADE_BY(TensorBoardPanel, 140, "TensorBoard", [](const PanelStart& start) {
    return std::make_unique<TensorBoardPanel>(start.tensorboard);
});

}  // namespace ganvas::gui
