#include "panels/feature_columns_cells.h"

#include <imgui.h>

#include <algorithm>
#include <cmath>

#include "i18n/tr.h"
#include "widgets/fit_text.h"

namespace ganvas::gui {
namespace {

const ImU32 kCellBorder = IM_COL32(20, 20, 24, 255);
const ImU32 kGroupLine = IM_COL32(235, 235, 235, 200);
// The selected column's mark: yellow on the dark theme, a deeper orange on the light one.
ImU32 highlight_colour() {
    const ImVec4 bg = ImGui::GetStyleColorVec4(ImGuiCol_WindowBg);
    return bg.x + bg.y + bg.z > 1.5f ? IM_COL32(205, 110, 0, 255) : IM_COL32(255, 210, 60, 255);
}

}  // namespace

void draw_output_cells(const std::vector<float>& output, const ColumnView& column, float ui_scale) {
    if (output.empty()) {
        ImGui::TextDisabled("—");
        return;
    }
    const float limit = column.output_limit;
    if (output.size() == 1 && !column.embedding) {  // a numeric column: the number says it
        ImGui::Text("%.3f", output[0]);
        ImGui::SameLine();
    }
    const float line = ImGui::GetTextLineHeight();
    const float avail = std::max(ImGui::GetContentRegionAvail().x, 30.0f);
    // Cells about as wide as the text is tall where they fit, never under 3 pixels: a
    // row longer than that (a large hash bucket) is squeezed, its strongest values kept.
    // Short rows (an embedding of a few values) get wider cells than long one-hot rows.
    const size_t bins = std::min(output.size(), static_cast<size_t>(avail / 3));
    const std::vector<float> shown = strongest_in_bins(output, bins);
    const float n = static_cast<float>(shown.size());
    const float widest = shown.size() <= 4 ? line * 2.0f : line * 1.2f;
    const float cell = std::floor(std::clamp(avail / n, 3.0f, std::max(3.0f, widest)));
    const ImVec2 origin = ImGui::GetCursorScreenPos();
    ImDrawList* draw = ImGui::GetWindowDrawList();
    for (size_t k = 0; k < shown.size(); ++k) {
        const ImVec2 a(origin.x + cell * k, origin.y + 1);
        const ImVec2 b(a.x + cell, a.y + line - 2);
        draw->AddRectFilled(a, b, signed_heat_colour(shown[k], limit));
        if (cell >= 6) draw->AddRect(a, ImVec2(b.x + 1, b.y), kCellBorder);
    }
    ImGui::Dummy(ImVec2(cell * n, line));
    if (ImGui::IsItemHovered()) {
        const float at = (ImGui::GetMousePos().x - origin.x) / (cell * n);
        const auto k = static_cast<int>(at * static_cast<float>(output.size()));
        if (k >= 0 && k < static_cast<int>(output.size()))
            ImGui::SetTooltip(tr("value %d: %.4f"), k, output[k]);
    }
    (void)ui_scale;
}

void draw_embedding_table(const ColumnView& c, const std::vector<int64_t>& lit_ids,
                          float ui_scale) {
    if (c.table_rows <= 0 || c.table_cols <= 0) return;
    ImGui::TextUnformatted(tr("Embedding table"));
    const float line = ImGui::GetTextLineHeight();
    const float label_w = ImGui::CalcTextSize(std::to_string(c.table_rows - 1).c_str()).x;
    const float avail = ImGui::GetContentRegionAvail().x - label_w - 8 * ui_scale;
    const float cell = std::floor(
        std::clamp(avail / static_cast<float>(c.table_cols), 2.0f, std::max(2.0f, line * 1.5f)));
    const float limit = c.output_limit;  // the records' strips' scale: a looked-up row matches
    const ImU32 lit_colour = highlight_colour();
    ImDrawList* draw = ImGui::GetWindowDrawList();
    ImGuiListClipper clipper;  // a table of thousands of buckets draws only what is in view
    clipper.Begin(static_cast<int>(c.table_rows), line);
    while (clipper.Step()) {
        for (int r = clipper.DisplayStart; r < clipper.DisplayEnd; ++r) {
            const ImVec2 origin = ImGui::GetCursorScreenPos();
            const std::string id = std::to_string(r);
            const bool lit = std::find(lit_ids.begin(), lit_ids.end(), r) != lit_ids.end();
            draw->AddText(ImVec2(origin.x + label_w - ImGui::CalcTextSize(id.c_str()).x, origin.y),
                          lit ? lit_colour : ImGui::GetColorU32(ImGuiCol_TextDisabled), id.c_str());
            const float x0 = origin.x + label_w + 6 * ui_scale;
            for (int64_t k = 0; k < c.table_cols; ++k) {
                const ImVec2 a(x0 + cell * static_cast<float>(k), origin.y + 1);
                draw->AddRectFilled(a, ImVec2(a.x + cell, a.y + line - 2),
                                    signed_heat_colour(c.table[r * c.table_cols + k], limit));
            }
            if (lit)
                draw->AddRect(
                    ImVec2(x0 - 1, origin.y),
                    ImVec2(x0 + cell * static_cast<float>(c.table_cols) + 1, origin.y + line - 1),
                    lit_colour, 0, 0, std::max(1.5f, 1.5f * ui_scale));
            ImGui::Dummy(
                ImVec2(label_w + 6 * ui_scale + cell * static_cast<float>(c.table_cols), line));
        }
    }
}

void draw_dense_heatmap(const FeatureColumnsModel& m, const std::string& highlight,
                        float ui_scale) {
    const int rows = static_cast<int>(m.dense.size());
    if (rows == 0 || m.width <= 0) return;
    ImDrawList* draw = ImGui::GetWindowDrawList();
    const float line = ImGui::GetTextLineHeight();
    const ImVec2 avail = ImGui::GetContentRegionAvail();
    const ImVec2 top = ImGui::GetCursorScreenPos();
    // Names on two staggered lines above the map, so neighbours may each take twice
    // their group's width before they would overlap.
    const float labels_h = 2 * line + 4 * ui_scale;
    const float margin = ImGui::CalcTextSize("00").x + 8 * ui_scale;  // record numbers
    // A value's share of the map's width, fractions of a pixel for wide rows; rows wider
    // than the map has pixels are squeezed, keeping each pixel's strongest value.
    const float map_px = std::max(avail.x - margin, 10.0f);
    const float cell_w = map_px / static_cast<float>(m.width);
    const size_t bins = std::min(static_cast<size_t>(m.width), static_cast<size_t>(map_px));
    const float bin_w = map_px / static_cast<float>(bins);
    const float cell_h =
        std::floor(std::clamp((avail.y - labels_h) / rows, 2.0f, std::max(2.0f, line * 1.1f)));
    const ImVec2 map(top.x + margin, top.y + labels_h);
    const float map_w = cell_w * static_cast<float>(m.width), map_h = cell_h * rows;

    for (int r = 0; r < rows; ++r) {
        const std::vector<float> row = strongest_in_bins(m.dense[r], bins);
        for (size_t k = 0; k < row.size(); ++k) {
            const ImVec2 a(map.x + bin_w * static_cast<float>(k), map.y + cell_h * r);
            draw->AddRectFilled(a, ImVec2(a.x + bin_w, a.y + cell_h),
                                signed_heat_colour(row[k], m.dense_limit));
        }
        // Record numbers where the rows are tall enough to read them.
        const int every = std::max(1, static_cast<int>(std::ceil(line / cell_h)));
        if (r % every == 0) {
            const std::string n = std::to_string(r);
            draw->AddText(ImVec2(map.x - 4 * ui_scale - ImGui::CalcTextSize(n.c_str()).x,
                                 map.y + cell_h * r + (cell_h - line) / 2),
                          ImGui::GetColorU32(ImGuiCol_TextDisabled), n.c_str());
        }
    }
    std::vector<std::pair<float, float>> spans;
    std::vector<std::string> names;
    int lit = -1;
    for (size_t g = 0; g < m.groups.size(); ++g) {
        const DenseGroup& group = m.groups[g];
        const float x0 = map.x + cell_w * group.offset, x1 = x0 + cell_w * group.width;
        spans.emplace_back(x0, x1);
        names.push_back(group.name);
        if (group.name == highlight) lit = static_cast<int>(g);
        if (g > 0)
            draw->AddLine(ImVec2(x0, map.y - 2), ImVec2(x0, map.y + map_h), kGroupLine,
                          std::max(1.5f, 1.5f * ui_scale));
    }
    const float gap = 6 * ui_scale;
    const auto line_y = [&](int l) { return top.y + l * (line + 2 * ui_scale); };
    // The selected column's whole name goes on the lower line, centred over its group;
    // the names it would cover there make room.
    float lit_x = 0, lit_w = 0;
    if (lit >= 0) {
        lit_w = ImGui::CalcTextSize(names[lit].c_str()).x;
        lit_x = std::clamp((spans[lit].first + spans[lit].second - lit_w) / 2, top.x,
                           std::max(top.x, top.x + avail.x - lit_w));
    }
    for (const LabelPlace& p : place_group_labels(spans, names, top.x, top.x + avail.x, 2, gap)) {
        if (static_cast<int>(p.group) == lit) continue;
        const float w = ImGui::CalcTextSize(p.text.c_str()).x;
        if (lit >= 0 && p.line == 1 && p.x < lit_x + lit_w + gap && p.x + w + gap > lit_x) continue;
        draw->AddText(ImVec2(p.x, line_y(p.line)), ImGui::GetColorU32(ImGuiCol_Text),
                      p.text.c_str());
    }
    if (lit >= 0) {
        const ImU32 colour = highlight_colour();
        draw->AddRect(ImVec2(spans[lit].first, map.y - 1),
                      ImVec2(spans[lit].second, map.y + map_h + 1), colour, 0, 0,
                      std::max(2.0f, 2 * ui_scale));
        draw->AddText(ImVec2(lit_x, line_y(1)), colour, names[lit].c_str());
    }
    ImGui::SetCursorScreenPos(map);
    ImGui::InvisibleButton("dense_map", ImVec2(std::max(map_w, 1.0f), std::max(map_h, 1.0f)));
    if (!ImGui::IsItemHovered()) return;
    const ImVec2 mouse = ImGui::GetMousePos();
    const int r = static_cast<int>((mouse.y - map.y) / cell_h);
    const int64_t k = static_cast<int64_t>((mouse.x - map.x) / cell_w);
    const DenseGroup* group = group_at(m.groups, k);
    if (r < 0 || r >= rows || !group || k >= static_cast<int64_t>(m.dense[r].size())) return;
    ImGui::SetTooltip(tr("record %d · %s, value %lld: %.4f"), r, group->name.c_str(),
                      static_cast<long long>(k - group->offset), m.dense[r][k]);
}

}  // namespace ganvas::gui
