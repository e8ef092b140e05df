#include "panels/feature_columns_panel.h"

#include <imgui.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <string>

#include "gui/fonts.h"
#include "gui/theme.h"
#include "i18n/tr.h"
#include "panels/feature_columns_cells.h"
#include "widgets/fit_text.h"
#include "widgets/format_numbers.h"
#include "widgets/path_field.h"
#include "widgets/tooltip.h"

namespace ganvas::gui {
namespace {

// Values sharing a hash bucket: light orange on the dark theme, deeper on the light one.
ImVec4 collision_colour() {
    const ImVec4 bg = ImGui::GetStyleColorVec4(ImGuiCol_WindowBg);
    return bg.x + bg.y + bg.z > 1.5f ? ImVec4(0.72f, 0.38f, 0.0f, 1.0f)
                                     : ImVec4(1.0f, 0.78f, 0.35f, 1.0f);
}
constexpr int kMinRecords = 4, kMaxRecords = 64;

// Raw values and names come from the user's files: their glyphs join the font atlas.
void note_model_glyphs(const FeatureColumnsModel& m) {
    for (const std::string& k : m.keys) note_glyphs(k);
    for (const ColumnView& c : m.columns) {
        note_glyphs(c.call);
        for (const ColumnRecord& r : c.records) note_glyphs(r.raw);
        for (const SharedBucket& b : c.collisions.shared)
            for (const std::string& s : b.raws) note_glyphs(s);
    }
}

}  // namespace

void FeatureColumnsPanel::load_settings(Settings& settings) {
    // An empty path (a lesson's way of asking for the demo table) means the demo files.
    set_paths(path_or(settings.text("feature_columns.records_path", ""), demo_records_path()),
              path_or(settings.text("feature_columns.columns_path", ""), demo_columns_path()));
    shown_records_ =
        static_cast<int>(settings.integer("feature_columns.records", 12, kMinRecords, kMaxRecords));
    selected_ = static_cast<int>(settings.integer("feature_columns.column", 0, 0, INT32_MAX));
    settings_loaded_ = true;
}

// The fields show paths inside the working folder relative to it, so the file's name
// is in view rather than the start of a long absolute path.
void FeatureColumnsPanel::set_paths(const std::string& records, const std::string& columns) {
    std::error_code ec;
    const std::string cwd = std::filesystem::current_path(ec).string();
    copy_to_buffer(records_path_, sizeof records_path_, display_path(records, cwd));
    copy_to_buffer(columns_path_, sizeof columns_path_, display_path(columns, cwd));
}

void FeatureColumnsPanel::start_loading() {
    loader_.start(records_path_, columns_path_, static_cast<size_t>(shown_records_));
}

void FeatureColumnsPanel::poll_loading(PanelContext& ctx) {
    if (loader_.busy() && !loader_.poll()) {
        ctx.animating = true;
        ctx.working = true;  // a screenshot waits for the tables
        return;
    }
    note_glyphs(loader_.error());
    const FeatureColumnsModel* m = model();
    if (!m || m == shown_model_) return;
    shown_model_ = m;
    note_model_glyphs(*m);
    // Remembered absolute, so a later run from another folder finds them.
    std::error_code ec;
    ctx.settings.set_text("feature_columns.records_path",
                          std::filesystem::absolute(m->data_path, ec).string());
    ctx.settings.set_text("feature_columns.columns_path",
                          std::filesystem::absolute(m->columns_path, ec).string());
    if (selected_ >= static_cast<int>(m->columns.size())) selected_ = 0;
}

void FeatureColumnsPanel::draw(PanelContext& ctx) {
    if (!settings_loaded_) {
        load_settings(ctx.settings);
        start_loading();
    }
    poll_loading(ctx);
    draw_files(ctx);
    draw_status(ctx);
    if (!model()) {
        if (!loader_.busy())
            hint(tr("Name a TFRecord file and a column file above, or press Demo table."));
        return;
    }
    const FeatureColumnsModel& m = *model();

    const float u = ctx.ui_scale;
    const ImVec2 avail = ImGui::GetContentRegionAvail();
    const float spacing = ImGui::GetStyle().ItemSpacing.y;
    const float top_h = std::max(160 * u, std::round((avail.y - spacing) * 0.56f));
    ImGui::BeginChild("columns", ImVec2(std::round(250 * u), top_h), true);
    draw_column_list(ctx);
    ImGui::EndChild();
    ImGui::SameLine();
    ImGui::BeginChild("detail", ImVec2(0, top_h), true);
    if (ImGui::BeginTabBar("feature_columns_views")) {
        if (ImGui::BeginTabItem(tr_id("Selected column"))) {
            if (!m.columns.empty()) draw_column(ctx, m.columns[selected_]);
            ImGui::EndTabItem();
        }
        if (ImGui::BeginTabItem(tr_id("Raw records"))) {
            draw_raw_records(ctx);
            ImGui::EndTabItem();
        }
        ImGui::EndTabBar();
    }
    ImGui::EndChild();
    ImGui::BeginChild("dense", ImVec2(-4 * u, 0), true);
    draw_dense(ctx);
    ImGui::EndChild();
}

void FeatureColumnsPanel::draw_files(PanelContext& ctx) {
    const ImGuiStyle& style = ImGui::GetStyle();
    const char* records_label = tr("TFRecord file");
    const char* columns_label = tr("Column file");
    const char* load_label = tr("Load files");
    const char* demo_label = tr("Demo table");
    // The two fields share what the labels and buttons leave of the line.
    const float fixed = ImGui::CalcTextSize(records_label).x +
                        ImGui::CalcTextSize(columns_label).x + ImGui::CalcTextSize(load_label).x +
                        ImGui::CalcTextSize(demo_label).x + 4 * style.FramePadding.x +
                        5 * style.ItemSpacing.x + 8 * ctx.ui_scale;
    const float avail_w = ImGui::GetContentRegionAvail().x;
    const float shared_w = (avail_w - fixed) / 2;
    // Too little room for both on one line: each path gets a line of its own, the buttons a third.
    const bool one_line = shared_w >= 120 * ctx.ui_scale;
    const float records_w = one_line ? shared_w
                                     : avail_w - ImGui::CalcTextSize(records_label).x -
                                           style.ItemSpacing.x - 8 * ctx.ui_scale;
    const float columns_w = one_line ? shared_w
                                     : avail_w - ImGui::CalcTextSize(columns_label).x -
                                           style.ItemSpacing.x - 8 * ctx.ui_scale;
    bool enter = false;
    ImGui::AlignTextToFramePadding();
    // A leading 'T' reaches a pixel left of where it starts: keep it inside the window.
    ImGui::SetCursorPosX(ImGui::GetCursorPosX() + std::ceil(ctx.ui_scale));
    ImGui::TextUnformatted(records_label);
    ImGui::SameLine();
    enter |=
        path_field("##records", records_path_, sizeof records_path_,
                   std::max(records_w, 60 * ctx.ui_scale), ImGuiInputTextFlags_EnterReturnsTrue);
    item_tooltip(tr("A TFRecord file of tf.Example records. Press Enter to load it."));
    if (one_line) ImGui::SameLine();
    ImGui::AlignTextToFramePadding();
    ImGui::TextUnformatted(columns_label);
    ImGui::SameLine();
    enter |=
        path_field("##columns", columns_path_, sizeof columns_path_,
                   std::max(columns_w, 60 * ctx.ui_scale), ImGuiInputTextFlags_EnterReturnsTrue);
    item_tooltip(tr("A column file: the tf.feature_column calls written as JSON."));
    if (one_line) ImGui::SameLine();
    if (ImGui::Button(load_label) || enter) start_loading();
    ImGui::SameLine();
    if (ImGui::Button(demo_label)) {
        set_paths(demo_records_path(), demo_columns_path());
        start_loading();
    }
    item_tooltip(tr("300 product records shipped with Ganvas, and columns of every kind."));
}

void FeatureColumnsPanel::draw_status(PanelContext& ctx) {
    const FeatureColumnsModel* m = model();
    const std::string& error = loader_.error();
    ImGui::AlignTextToFramePadding();
    if (loader_.busy()) {
        ImGui::TextDisabled("%s", tr("Reading the records and applying the columns…"));
    } else if (m) {
        const std::string data = std::filesystem::path(m->data_path).filename().string();
        const std::string columns = std::filesystem::path(m->columns_path).filename().string();
        // Cut before the slider at the line's end; the whole line is its tooltip.
        const std::string line = format_text(
            tr("%s: %zu records · %s: %zu columns · %lld values per dense row"), data.c_str(),
            m->total_records, columns.c_str(), m->columns.size(), static_cast<long long>(m->width));
        const float room = ImGui::GetContentRegionAvail().x - std::round(170 * ctx.ui_scale) -
                           ImGui::GetStyle().ItemSpacing.x;
        ImGui::TextDisabled("%s", fit_text(line, std::max(room, 0.0f)).c_str());
        if (ImGui::IsItemHovered()) ImGui::SetTooltip("%s", line.c_str());
    } else {
        ImGui::TextUnformatted("");
    }
    // How many records the tables show, at the line's right end.
    const float slider_w = std::round(170 * ctx.ui_scale);
    ImGui::SameLine();
    ImGui::SetCursorPosX(
        std::max(ImGui::GetCursorPosX(), ImGui::GetWindowContentRegionMax().x - slider_w));
    ImGui::SetNextItemWidth(slider_w);
    if (ImGui::SliderInt("##shown", &shown_records_, kMinRecords, kMaxRecords,
                         tr("%d records shown"), ImGuiSliderFlags_AlwaysClamp))
        ctx.settings.set_number("feature_columns.records", shown_records_);
    if (ImGui::IsItemDeactivatedAfterEdit()) start_loading();
    if (!error.empty()) {
        ImGui::PushStyleColor(ImGuiCol_Text, tone_colour(Tone::error));
        ImGui::TextWrapped(m ? tr("Could not load: %s (still showing the files loaded before)")
                             : tr("Could not load: %s"),
                           tr_error(error).c_str());
        ImGui::PopStyleColor();
    }
}

void FeatureColumnsPanel::draw_column_list(PanelContext& ctx) {
    ImGui::TextUnformatted(tr("Feature columns"));
    ImGui::Separator();
    for (int i = 0; i < static_cast<int>(model()->columns.size()); ++i) {
        const ColumnView& c = model()->columns[i];
        ImGui::PushID(i);
        if (ImGui::Selectable(fit_text(c.name, ImGui::GetContentRegionAvail().x).c_str(),
                              selected_ == i)) {
            selected_ = i;
            ctx.settings.set_number("feature_columns.column", i);
        }
        if (ImGui::IsItemHovered()) wrapped_tooltip(c.call.c_str());
        ImGui::Indent();
        // Cut to the list's width; the name's tooltip shows the whole call.
        const std::string kind = c.dense ? format_text(tr("%s · width %lld"), c.kind.c_str(),
                                                       static_cast<long long>(c.width))
                                         : format_text(tr("%s · ids only"), c.kind.c_str());
        ImGui::TextDisabled("%s", fit_text(kind, ImGui::GetContentRegionAvail().x).c_str());
        ImGui::Unindent();
        ImGui::PopID();
    }
}

void FeatureColumnsPanel::draw_column(PanelContext& ctx, const ColumnView& c) {
    ImGui::PushTextWrapPos(0);
    ImGui::TextUnformatted(c.call.c_str());
    ImGui::PopTextWrapPos();
    if (!c.ids_from.empty())
        ImGui::TextDisabled(tr("ids from %s, in 0 … %lld"), c.ids_from.c_str(),
                            static_cast<long long>(c.buckets - 1));
    if (c.hashed) draw_collisions(c);
    if (c.table.empty()) {
        draw_records_table(ctx, c);
        return;
    }
    // An embedding column: its table beside the records, the hovered record's rows lit.
    const float table_w =
        std::round(std::min(ImGui::GetContentRegionAvail().x * 0.3f,
                            std::max(140.0f, 40.0f * c.table_cols) * ctx.ui_scale));
    ImGui::BeginChild("column_records", ImVec2(-table_w, 0));
    draw_records_table(ctx, c);
    ImGui::EndChild();
    ImGui::SameLine();
    ImGui::BeginChild("embedding_table", ImVec2(0, 0));
    static const std::vector<int64_t> kNone;
    const bool hovered =
        hovered_record_ >= 0 && hovered_record_ < static_cast<int>(c.records.size());
    draw_embedding_table(c, hovered ? c.records[hovered_record_].ids : kNone, ctx.ui_scale);
    ImGui::EndChild();
}

void FeatureColumnsPanel::draw_collisions(const ColumnView& c) {
    const BucketCollisions& k = c.collisions;
    ImGui::PushStyleColor(ImGuiCol_Text, k.shared.empty() ? ImGui::GetStyleColorVec4(ImGuiCol_Text)
                                                          : collision_colour());
    const char* format =
        tr("Hash collisions: %lld distinct values fell into %lld of %lld buckets; %lld share one.");
    ImGui::TextWrapped(format, static_cast<long long>(k.distinct),
                       static_cast<long long>(k.buckets_used), static_cast<long long>(c.buckets),
                       static_cast<long long>(k.colliding()));
    ImGui::PopStyleColor();
    if (k.shared.empty()) return;
    // The fullest two buckets, wrapped; all of them on hover.
    constexpr size_t kBuckets = 2, kNames = 3;
    std::string text = shared_buckets_text(k, kBuckets, kNames);
    if (k.shared.size() > kBuckets) {
        char more[128];
        std::snprintf(more, sizeof more, tr("and %zu more"), k.shared.size() - kBuckets);
        text.append("   ").append(more);
    }
    ImGui::PushTextWrapPos(0);
    ImGui::TextDisabled(tr("Shared buckets: %s"), text.c_str());
    ImGui::PopTextWrapPos();
    if (ImGui::IsItemHovered()) {
        const std::string all = shared_buckets_text(k, k.shared.size(), SIZE_MAX);
        wrapped_tooltip(all.c_str());
    }
}

void FeatureColumnsPanel::draw_records_table(PanelContext& ctx, const ColumnView& c) {
    const float u = ctx.ui_scale;
    const bool has_ids = !c.ids_from.empty();
    const int columns = 2 + (has_ids ? 1 : 0) + (c.dense ? 1 : 0);
    const ImGuiTableFlags flags = ImGuiTableFlags_RowBg | ImGuiTableFlags_BordersInnerV |
                                  ImGuiTableFlags_ScrollY | ImGuiTableFlags_SizingFixedFit;
    if (!ImGui::BeginTable("records", columns, flags)) return;
    ImGui::TableSetupScrollFreeze(0, 1);
    ImGui::TableSetupColumn("#", ImGuiTableColumnFlags_WidthFixed);
    // Text columns as wide as their longest entry, within a share of the table.
    const float avail = ImGui::GetContentRegionAvail().x;
    const char* raw_header = tr("raw feature");
    const char* ids_header = c.weighted ? tr("ids (weights)") : tr("categorical ids");
    float raw_w = ImGui::CalcTextSize(raw_header).x, ids_w = ImGui::CalcTextSize(ids_header).x;
    for (const ColumnRecord& r : c.records) {
        raw_w = std::max(raw_w, ImGui::CalcTextSize(r.raw.c_str()).x);
        ids_w = std::max(ids_w, ImGui::CalcTextSize(ids_text(r.ids, r.weights).c_str()).x);
    }
    ImGui::TableSetupColumn(raw_header, ImGuiTableColumnFlags_WidthFixed,
                            std::min(raw_w, std::max(120 * u, avail * 0.4f)));
    if (has_ids)
        ImGui::TableSetupColumn(ids_header, ImGuiTableColumnFlags_WidthFixed,
                                std::min(ids_w, std::max(90 * u, avail * 0.3f)));
    if (c.dense)
        ImGui::TableSetupColumn(c.embedding ? tr("embedding row") : tr("column output"),
                                ImGuiTableColumnFlags_WidthStretch);
    ImGui::TableHeadersRow();
    // The record under the mouse, for the embedding table beside: rows are one line each.
    hovered_record_ = -1;
    const float mouse_y = ImGui::GetMousePos().y;
    const bool table_hovered = ImGui::IsWindowHovered(ImGuiHoveredFlags_ChildWindows);
    const float row_h = ImGui::GetTextLineHeight() + 2 * ImGui::GetStyle().CellPadding.y;
    for (size_t i = 0; i < c.records.size(); ++i) {
        const ColumnRecord& r = c.records[i];
        ImGui::TableNextRow();
        const float row_top = ImGui::GetCursorScreenPos().y;
        if (table_hovered && mouse_y >= row_top && mouse_y < row_top + row_h)
            hovered_record_ = static_cast<int>(i);
        ImGui::TableNextColumn();
        ImGui::TextDisabled("%zu", i);
        ImGui::TableNextColumn();
        ImGui::TextUnformatted(r.raw.c_str());
        if (has_ids) {
            ImGui::TableNextColumn();
            const std::string ids = ids_text(r.ids, r.weights);
            // An id whose bucket other values share is marked; hover names them.
            const SharedBucket* shared = nullptr;
            for (int64_t id : r.ids)
                if (c.hashed && !shared) shared = shared_bucket(c.collisions, id);
            if (shared) ImGui::PushStyleColor(ImGuiCol_Text, collision_colour());
            ImGui::TextUnformatted(ids.empty() ? tr("no ids") : ids.c_str());
            if (shared) {
                ImGui::PopStyleColor();
                if (ImGui::IsItemHovered()) {
                    std::string values;
                    for (const std::string& v : shared->raws)
                        values += (values.empty() ? "" : ", ") + v;
                    ImGui::SetTooltip(tr("Bucket %lld holds %zu values: %s"),
                                      static_cast<long long>(shared->bucket), shared->raws.size(),
                                      values.c_str());
                }
            }
        }
        if (c.dense) {
            ImGui::TableNextColumn();
            draw_output_cells(r.output, c, u);
        }
    }
    ImGui::EndTable();
}

void FeatureColumnsPanel::draw_raw_records(PanelContext& ctx) {
    const std::vector<std::string>& all_keys = model()->keys;
    if (all_keys.empty()) {
        hint(tr("These records hold no features to show."));
        return;
    }
    // An ImGui table holds at most 64 columns: the record number and 63 features.
    constexpr size_t kMostKeys = 63;
    const std::vector<std::string> keys(
        all_keys.begin(),
        all_keys.begin() + static_cast<std::ptrdiff_t>(std::min(all_keys.size(), kMostKeys)));
    if (all_keys.size() > kMostKeys)
        ImGui::TextDisabled(tr("The first %zu of %zu features"), keys.size(), all_keys.size());
    const ImGuiTableFlags flags = ImGuiTableFlags_RowBg | ImGuiTableFlags_BordersInnerV |
                                  ImGuiTableFlags_ScrollX | ImGuiTableFlags_ScrollY |
                                  ImGuiTableFlags_SizingFixedFit;
    if (!ImGui::BeginTable("raw", static_cast<int>(keys.size()) + 1, flags)) return;
    ImGui::TableSetupScrollFreeze(1, 1);
    ImGui::TableSetupColumn("#");
    for (const std::string& k : keys) ImGui::TableSetupColumn(k.c_str());
    ImGui::TableHeadersRow();
    for (size_t i = 0; i < model()->shown.size(); ++i) {
        const Example& e = model()->shown[i];
        ImGui::TableNextRow();
        ImGui::TableNextColumn();
        ImGui::TextDisabled("%zu", i);
        for (const std::string& k : keys) {
            ImGui::TableNextColumn();
            const auto it = e.find(k);
            const std::string text = raw_value_text(it == e.end() ? nullptr : &it->second);
            if (text == "—")
                ImGui::TextDisabled("%s", text.c_str());
            else
                ImGui::TextUnformatted(text.c_str());
        }
    }
    ImGui::EndTable();
    (void)ctx;
}

void FeatureColumnsPanel::draw_dense(PanelContext& ctx) {
    ImGui::TextUnformatted(tr("Dense input"));
    ImGui::SameLine();
    const char* format = tr("%zu records × %lld values: dense columns by name, concatenated");
    ImGui::TextDisabled(format, model()->dense.size(), static_cast<long long>(model()->width));
    const std::string highlight = model()->columns.empty() ? "" : model()->columns[selected_].name;
    draw_dense_heatmap(*model(), highlight, ctx.ui_scale);
}

GANVAS_REGISTER_PANEL(FeatureColumnsPanel, 45, "Feature columns");

}  // namespace ganvas::gui
