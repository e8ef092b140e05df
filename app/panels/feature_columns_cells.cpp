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
const ImU32 kHighlight = IM_COL32(255, 210, 60, 255);

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
    const float avail = ImGui::GetContentRegionAvail().x;
    const float n = static_cast<float>(output.size());
    // Cells as wide as the text is tall where they fit; never under 3 pixels.
    const float cell = std::floor(std::clamp(avail / n, 3.0f, std::max(3.0f, line * 1.2f)));
    const ImVec2 origin = ImGui::GetCursorScreenPos();
    ImDrawList* draw = ImGui::GetWindowDrawList();
    for (size_t k = 0; k < output.size(); ++k) {
        const ImVec2 a(origin.x + cell * k, origin.y + 1);
        const ImVec2 b(a.x + cell, a.y + line - 2);
        draw->AddRectFilled(a, b, signed_heat_colour(output[k], limit));
        if (cell >= 6) draw->AddRect(a, ImVec2(b.x + 1, b.y), kCellBorder);
    }
    ImGui::Dummy(ImVec2(cell * n, line));
    if (ImGui::IsItemHovered()) {
        const int k = static_cast<int>((ImGui::GetMousePos().x - origin.x) / cell);
        if (k >= 0 && k < static_cast<int>(output.size()))
            ImGui::SetTooltip(tr("value %d: %.4f"), k, output[k]);
    }
    (void)ui_scale;
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
    const float cell_w = std::max(1.0f, (avail.x - margin) / static_cast<float>(m.width));
    const float cell_h =
        std::floor(std::clamp((avail.y - labels_h) / rows, 2.0f, std::max(2.0f, line * 1.1f)));
    const ImVec2 map(top.x + margin, top.y + labels_h);
    const float map_w = cell_w * static_cast<float>(m.width), map_h = cell_h * rows;

    for (int r = 0; r < rows; ++r) {
        const std::vector<float>& row = m.dense[r];
        for (int64_t k = 0; k < m.width && k < static_cast<int64_t>(row.size()); ++k) {
            const ImVec2 a(map.x + cell_w * k, map.y + cell_h * r);
            draw->AddRectFilled(a, ImVec2(a.x + cell_w, a.y + cell_h),
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
    for (size_t g = 0; g < m.groups.size(); ++g) {
        const DenseGroup& group = m.groups[g];
        const float x0 = map.x + cell_w * group.offset, x1 = x0 + cell_w * group.width;
        const bool lit = group.name == highlight;
        if (g > 0)
            draw->AddLine(ImVec2(x0, map.y - 2), ImVec2(x0, map.y + map_h), kGroupLine,
                          std::max(1.5f, 1.5f * ui_scale));
        const float room = (x1 - x0) * 2 - 6 * ui_scale;
        const std::string name = fit_text(group.name, std::max(room, 0.0f));
        const float text_w = ImGui::CalcTextSize(name.c_str()).x;
        const float x = std::clamp((x0 + x1 - text_w) / 2, top.x, top.x + avail.x - text_w);
        const float y = top.y + (g % 2 == 0 ? 0 : line + 2 * ui_scale);
        draw->AddText(ImVec2(x, y), lit ? kHighlight : ImGui::GetColorU32(ImGuiCol_Text),
                      name.c_str());
        if (lit)
            draw->AddRect(ImVec2(x0, map.y - 1), ImVec2(x1, map.y + map_h + 1), kHighlight, 0, 0,
                          std::max(2.0f, 2 * ui_scale));
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
