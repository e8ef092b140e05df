#include "panels/data_panel.h"

#include <imgui.h>

#include <algorithm>
#include <cfloat>
#include <cmath>
#include <string>

#include "gui/fonts.h"
#include "i18n/tr.h"
#include "io/image_png.h"
#include "widgets/fit_text.h"
#include "widgets/format_numbers.h"
#include "widgets/gallery_pages.h"
#include "widgets/image_view.h"
#include "widgets/tooltip.h"

namespace ganvas::gui {
namespace {

constexpr int kPadding = 2;  // make_grid's, in texture pixels
constexpr int kGridSides[] = {5, 8, 10, 12, 16};

const ImU32 kSelectedColor = IM_COL32(255, 200, 60, 255);

const void* identity(const ImageDataset& d) {
    return d.images.id();
}

}  // namespace

void DataPanel::load_settings(Settings& settings) {
    side_ = static_cast<int>(settings.integer("data.grid", 10, 2, 32));
    filter_ = settings.integer("data.class", kAllClasses, kAllClasses, INT32_MAX);
    page_ = settings.integer("data.page", 0, 0, INT32_MAX);
    captions_ = settings.number("data.captions", 1) != 0;
    settings_loaded_ = true;
}

// A new snapshot may bring the same dataset in a new wrapper (after a reset):
// only new images mean new labels, counts and filtered indices.
void DataPanel::adopt(const std::shared_ptr<const ImageDataset>& dataset) {
    const bool same = dataset_ && identity(*dataset_) == identity(*dataset);
    dataset_ = dataset;
    if (same) return;
    // Names from the user's files (a folder dataset's class subfolders) may be Chinese.
    note_glyphs(dataset->name);
    for (const std::string& name : dataset->class_names) note_glyphs(name);
    labels_ = label_values(dataset->labels);
    if (static_cast<int64_t>(labels_.size()) != dataset->size()) labels_.clear();
    int64_t classes = static_cast<int64_t>(dataset->class_names.size());
    for (int64_t l : labels_) classes = std::max(classes, l + 1);
    counts_ = class_counts(labels_, classes);
    if (labels_.empty() || filter_ >= classes) filter_ = kAllClasses;
    shown_ = indices_with_label(labels_, dataset->size(), filter_);
    page_ = clamp_page(page_, static_cast<int64_t>(shown_.size()), per_page());
    if (selected_ >= dataset->size()) selected_ = -1;
}

void DataPanel::set_filter(Settings& settings, int64_t label) {
    if (label == filter_) return;
    filter_ = label;
    shown_ = indices_with_label(labels_, dataset_->size(), filter_);
    // Stay with the selected image when the new filter keeps it.
    const int64_t at = selected_ >= 0 ? position_of(shown_, selected_) : -1;
    set_page(settings, at >= 0 ? at / per_page() : 0);
    settings.set_number("data.class", static_cast<double>(filter_));
}

void DataPanel::set_page(Settings& settings, int64_t page) {
    page_ = clamp_page(page, static_cast<int64_t>(shown_.size()), per_page());
    settings.set_number("data.page", static_cast<double>(page_));
}

void DataPanel::select(Settings& settings, int64_t index) {
    if (!dataset_ || index < 0 || index >= dataset_->size()) return;
    selected_ = index;
    goto_index_ = static_cast<int>(index);
    if (position_of(shown_, index) < 0) set_filter(settings, kAllClasses);
    set_page(settings, position_of(shown_, index) / per_page());
}

std::string DataPanel::class_name(int64_t label) const {
    const auto& names = dataset_->class_names;
    return label >= 0 && label < static_cast<int64_t>(names.size()) ? names[label]
                                                                    : std::to_string(label);
}

std::string DataPanel::describe(int64_t index) const {
    // Appends rather than "#" + string: GCC 12 warns falsely (-Wrestrict) on the latter.
    std::string text = "#";
    text += format_count(index);
    if (!labels_.empty())
        text += format_text(tr(" · label %lld %s"), static_cast<long long>(labels_[index]),
                            class_name(labels_[index]).c_str());
    return text;
}

void DataPanel::draw(PanelContext& ctx) {
    const TrainerSnapshot& s = ctx.snapshot;
    if (!s.dataset) {
        if (s.state == TrainerState::Failed)
            failure_text(format_text(tr("The dataset could not be loaded: %s"),
                                     tr_phrase(s.notice).c_str()));
        else
            ImGui::TextDisabled("%s", tr("Loading the dataset…"));
        return;
    }
    if (s.dataset->size() == 0 || s.dataset->images.dim() != 4 ||
        s.dataset->images.dtype() != DType::f32) {
        note_glyphs(s.dataset->name);
        ImGui::TextDisabled(tr("%s holds no images to show."), s.dataset->name.c_str());
        return;
    }
    if (!settings_loaded_) load_settings(ctx.settings);
    adopt(s.dataset);

    draw_header(ctx);
    draw_controls(ctx);

    // The grid takes a square that fits beside the side column; the side column the rest.
    const float side_w = std::round(300 * ctx.ui_scale);
    const ImVec2 avail = ImGui::GetContentRegionAvail();
    const float grid_side =
        std::max(100.0f, std::min(avail.x - side_w - ImGui::GetStyle().ItemSpacing.x, avail.y));
    ImGui::BeginChild("grid", ImVec2(grid_side, grid_side), false, ImGuiWindowFlags_NoScrollbar);
    draw_grid(ctx, grid_side);
    ImGui::EndChild();
    ImGui::SameLine();
    // A small right margin keeps the counts off the window's edge.
    ImGui::BeginChild("side", ImVec2(-4 * ctx.ui_scale, 0), false);
    draw_selected(ctx, ImGui::GetContentRegionAvail().x);
    ImGui::Separator();
    draw_histogram(ctx);
    ImGui::EndChild();
}

void DataPanel::draw_header(PanelContext& ctx) {
    const ImageDataset& d = *dataset_;
    ImGui::Text("%s", d.name.empty() ? tr("dataset") : d.name.c_str());
    ImGui::SameLine();
    std::string size = std::to_string(d.images.size(3)) + "×" + std::to_string(d.images.size(2));
    if (d.images.size(1) != 1) size += "×" + std::to_string(d.images.size(1));
    std::string info =
        format_text(tr("· %s images · %s"), format_count(d.size()).c_str(), size.c_str());
    info +=
        labels_.empty() ? tr(" · no labels") : format_text(tr(" · %zu classes"), counts_.size());
    ImGui::TextDisabled("%s", info.c_str());
    (void)ctx;
}

void DataPanel::draw_controls(PanelContext& ctx) {
    Settings& settings = ctx.settings;
    const float u = ctx.ui_scale;

    // Class filter.
    ImGui::SetNextItemWidth(190 * u);
    ImGui::BeginDisabled(labels_.empty());
    const std::string current = filter_ == kAllClasses
                                    ? tr("all classes")
                                    : std::to_string(filter_) + " " + class_name(filter_);
    if (ImGui::BeginCombo("##class", current.c_str())) {
        if (ImGui::Selectable(tr("all classes"), filter_ == kAllClasses))
            set_filter(settings, kAllClasses);
        for (int64_t c = 0; c < static_cast<int64_t>(counts_.size()); ++c) {
            const std::string item =
                std::to_string(c) + " " + class_name(c) + "  (" + format_count(counts_[c]) + ")";
            if (ImGui::Selectable(item.c_str(), filter_ == c)) set_filter(settings, c);
        }
        ImGui::EndCombo();
    }
    ImGui::EndDisabled();
    if (ImGui::IsItemHovered(ImGuiHoveredFlags_AllowWhenDisabled))
        ImGui::SetTooltip("%s", labels_.empty()
                                    ? tr("This dataset has no labels to filter by.")
                                    : tr("Show one class only (or click a bar of the histogram)."));

    // Grid size: keep the first image of the page in view when it changes.
    ImGui::SameLine();
    ImGui::SetNextItemWidth(80 * u);
    const std::string grid_label = std::to_string(side_) + "×" + std::to_string(side_);
    if (ImGui::BeginCombo("##grid", grid_label.c_str())) {
        for (int side : kGridSides) {
            const std::string item = std::to_string(side) + "×" + std::to_string(side);
            if (ImGui::Selectable(item.c_str(), side == side_) && side != side_) {
                const int64_t first = page_ * per_page();
                side_ = side;
                settings.set_number("data.grid", side_);
                set_page(settings, first / per_page());
            }
        }
        ImGui::EndCombo();
    }
    if (ImGui::IsItemHovered()) ImGui::SetTooltip("%s", tr("Images per page"));

    // Pages: arrows, a slider, and the arrow keys while the mouse is over the tab.
    const int64_t items = static_cast<int64_t>(shown_.size());
    const int pages = static_cast<int>(page_count(items, per_page()));
    ImGui::SameLine();
    ImGui::BeginDisabled(page_ == 0);
    if (ImGui::ArrowButton("##prev", ImGuiDir_Left)) set_page(settings, page_ - 1);
    ImGui::EndDisabled();
    ImGui::SameLine(0, ImGui::GetStyle().ItemInnerSpacing.x);
    ImGui::SetNextItemWidth(170 * u);
    int page = static_cast<int>(page_) + 1;
    // "%d" stays for the slider to fill in.
    const std::string format = format_text(tr("page %%d of %d"), pages);
    if (ImGui::SliderInt("##page", &page, 1, std::max(pages, 1), format.c_str(),
                         ImGuiSliderFlags_AlwaysClamp))
        set_page(settings, page - 1);
    ImGui::SameLine(0, ImGui::GetStyle().ItemInnerSpacing.x);
    ImGui::BeginDisabled(page_ + 1 >= pages);
    if (ImGui::ArrowButton("##next", ImGuiDir_Right)) set_page(settings, page_ + 1);
    ImGui::EndDisabled();
    if (ImGui::IsWindowHovered(ImGuiHoveredFlags_ChildWindows) && !ImGui::GetIO().WantTextInput) {
        if (ImGui::IsKeyPressed(ImGui::GetKeyIndex(ImGuiKey_LeftArrow)))
            set_page(settings, page_ - 1);
        if (ImGui::IsKeyPressed(ImGui::GetKeyIndex(ImGuiKey_RightArrow)))
            set_page(settings, page_ + 1);
    }

    // Go to an index: select it and turn to its page. On a narrow window it starts a new line
    // rather than run past the edge.
    const ImGuiStyle& style = ImGui::GetStyle();
    const char* goto_label = tr("Go to index");
    const float goto_w = 90 * u + style.ItemInnerSpacing.x + ImGui::CalcTextSize(goto_label).x +
                         2 * style.FramePadding.x;
    ImGui::SameLine();
    if (ImGui::GetContentRegionAvail().x < goto_w) ImGui::NewLine();
    ImGui::SetNextItemWidth(90 * u);
    const bool entered =
        ImGui::InputInt("##goto", &goto_index_, 0, 0, ImGuiInputTextFlags_EnterReturnsTrue);
    goto_index_ = std::clamp<int>(goto_index_, 0, static_cast<int>(dataset_->size() - 1));
    if (ImGui::IsItemHovered())
        ImGui::SetTooltip(tr("A dataset index, 0 … %lld"),
                          static_cast<long long>(dataset_->size() - 1));
    ImGui::SameLine(0, style.ItemInnerSpacing.x);
    if (ImGui::Button(goto_label) || entered) select(settings, goto_index_);

    const char* labels_label = tr("Labels");
    ImGui::SameLine();
    if (ImGui::GetContentRegionAvail().x <
        ImGui::GetFrameHeight() + style.ItemInnerSpacing.x + ImGui::CalcTextSize(labels_label).x)
        ImGui::NewLine();
    ImGui::BeginDisabled(labels_.empty());
    if (ImGui::Checkbox(labels_label, &captions_)) settings.set_number("data.captions", captions_);
    ImGui::EndDisabled();
    if (ImGui::IsItemHovered()) ImGui::SetTooltip("%s", tr("Write each image's class on it"));

    const PageRange range = page_range(page_, items, per_page());
    if (items == 0) {
        ImGui::TextDisabled(tr("No images of class %s."), class_name(filter_).c_str());
        return;
    }
    std::string of = format_count(items);
    if (filter_ != kAllClasses) of.append(" ").append(class_name(filter_));
    ImGui::TextDisabled(
        labels_.empty() ? tr("Showing %s–%s of %s. Hover for the index, click to enlarge.")
                        : tr("Showing %s–%s of %s. Hover for index and label, click to enlarge."),
        format_count(range.begin + 1).c_str(), format_count(range.end).c_str(), of.c_str());
}

void DataPanel::upload_page() {
    const GridKey key{identity(*dataset_), filter_, page_, side_};
    if (grid_.valid() && key == grid_key_) return;
    const PageRange range = page_range(page_, static_cast<int64_t>(shown_.size()), per_page());
    // Always a full page of slots, so the grid keeps its size on the last page.
    const Tensor batch = gather_page(dataset_->images, shown_, range, per_page(), -1.0f);
    grid_.upload_image(make_grid(batch, side_, kPadding));
    grid_key_ = key;
}

void DataPanel::draw_grid(PanelContext& ctx, float side) {
    if (shown_.empty()) return;
    upload_page();
    const ImVec2 origin = ImGui::GetCursorScreenPos();
    const ImVec2 pixel = draw_image(grid_, ImVec2(side, side));
    const float scale = side / static_cast<float>(grid_.width());
    const PageRange range = page_range(page_, static_cast<int64_t>(shown_.size()), per_page());
    const int64_t count = range.end - range.begin;
    const int64_t cell_w = dataset_->images.size(3), cell_h = dataset_->images.size(2);

    // Under a class filter every caption would say the same thing.
    if (captions_ && !labels_.empty() && filter_ == kAllClasses)
        draw_captions(origin, scale, count);

    // Outline the enlarged image when it is on this page.
    const int64_t at = selected_ >= 0 ? position_of(shown_, selected_) : -1;
    if (at >= range.begin && at < range.end) {
        const ImVec2 min = cell_origin(origin, scale, at - range.begin);
        ImGui::GetWindowDrawList()->AddRect(min,
                                            ImVec2(min.x + cell_w * scale, min.y + cell_h * scale),
                                            kSelectedColor, 0, 0, std::max(2.0f, 2 * ctx.ui_scale));
    }

    const int64_t slot = grid_slot_at(pixel.x, pixel.y, side_, cell_w, cell_h, kPadding, count);
    if (slot < 0) return;
    const int64_t index = shown_[range.begin + slot];
    ImGui::SetTooltip("%s", describe(index).c_str());
    if (ImGui::IsItemClicked()) {
        selected_ = index;
        goto_index_ = static_cast<int>(index);  // the box shows where the enlarged image sits
    }
}

ImVec2 DataPanel::cell_origin(ImVec2 origin, float scale, int64_t slot) const {
    const int64_t cell_w = dataset_->images.size(3), cell_h = dataset_->images.size(2);
    return {origin.x + static_cast<float>(kPadding + (slot % side_) * (cell_w + kPadding)) * scale,
            origin.y + static_cast<float>(kPadding + (slot / side_) * (cell_h + kPadding)) * scale};
}

// Class names written under each image, when the cells are big enough to read them.
void DataPanel::draw_captions(ImVec2 origin, float scale, int64_t count) {
    const float cell_w = dataset_->images.size(3) * scale,
                cell_h = dataset_->images.size(2) * scale;
    const float line = ImGui::GetTextLineHeight();
    if (cell_h < 2.5f * line || cell_w < 2 * line) return;
    ImDrawList* draw = ImGui::GetWindowDrawList();
    const int64_t begin = page_range(page_, static_cast<int64_t>(shown_.size()), per_page()).begin;
    for (int64_t slot = 0; slot < count; ++slot) {
        const ImVec2 min = cell_origin(origin, scale, slot);
        const ImVec2 max(min.x + cell_w, min.y + cell_h);
        const std::string name = fit_name(class_name(labels_[shown_[begin + slot]]), cell_w - 3);
        draw->PushClipRect(min, max, true);
        draw->AddRectFilled(ImVec2(min.x, max.y - line), max, IM_COL32(0, 0, 0, 150));
        draw->AddText(ImVec2(min.x + 2, max.y - line), IM_COL32(235, 235, 235, 255), name.c_str());
        draw->PopClipRect();
    }
}

void DataPanel::draw_selected(PanelContext& ctx, float width) {
    if (selected_ < 0) {
        text_wrapped(tr("Click an image to see it larger with its index and label."));
        return;
    }
    if (!enlarged_.valid() || enlarged_images_ != identity(*dataset_) ||
        enlarged_index_ != selected_) {
        const Tensor one = gather_page(dataset_->images, {selected_}, {0, 1}, 1, -1.0f);
        const Shape& s = one.shape();  // (1, C, H, W)
        enlarged_.upload_image(make_view(one, {s[1], s[2], s[3]}));
        enlarged_images_ = identity(*dataset_);
        enlarged_index_ = selected_;
    }
    const float size = std::min(width, 240 * ctx.ui_scale);
    const float aspect = static_cast<float>(enlarged_.height()) / enlarged_.width();
    draw_image(enlarged_, ImVec2(size, size * aspect));
    ImGui::Text(tr("index %s"), format_count(selected_).c_str());
    if (!labels_.empty())
        ImGui::Text(tr("label %lld: %s"), static_cast<long long>(labels_[selected_]),
                    class_name(labels_[selected_]).c_str());
}

void DataPanel::draw_histogram(PanelContext& ctx) {
    if (labels_.empty()) {
        text_wrapped(tr("This dataset has no labels, so there is no class histogram."));
        return;
    }
    ImGui::TextUnformatted(tr("Classes"));
    ImGui::SameLine();
    ImGui::TextDisabled("%s", tr("(all images; click to filter)"));
    const int64_t most = counts_.empty() ? 0 : *std::max_element(counts_.begin(), counts_.end());
    const ImGuiTableFlags flags = ImGuiTableFlags_SizingFixedFit | ImGuiTableFlags_RowBg;
    if (!ImGui::BeginTable("histogram", 3, flags)) return;
    ImGui::TableSetupColumn("class", ImGuiTableColumnFlags_WidthFixed, 110 * ctx.ui_scale);
    ImGui::TableSetupColumn("bar", ImGuiTableColumnFlags_WidthStretch);
    ImGui::TableSetupColumn("count", ImGuiTableColumnFlags_WidthFixed);
    for (int64_t c = 0; c < static_cast<int64_t>(counts_.size()); ++c) {
        ImGui::TableNextRow();
        ImGui::TableNextColumn();
        ImGui::PushID(static_cast<int>(c));
        const std::string name = std::to_string(c) + " " + class_name(c);
        if (ImGui::Selectable(name.c_str(), filter_ == c, ImGuiSelectableFlags_SpanAllColumns))
            set_filter(ctx.settings, filter_ == c ? kAllClasses : c);
        ImGui::TableNextColumn();
        ImGui::ProgressBar(most > 0 ? static_cast<float>(counts_[c]) / most : 0,
                           ImVec2(-FLT_MIN, ImGui::GetTextLineHeight()), "");
        ImGui::TableNextColumn();
        ImGui::TextUnformatted(format_count(counts_[c]).c_str());
        ImGui::PopID();
    }
    ImGui::EndTable();
}

GANVAS_REGISTER_PANEL(DataPanel, 40, "Data");

}  // namespace ganvas::gui
