#include "panels/rf_sandbox_panel.h"

#include <imgui.h>
#include <imgui_internal.h>

#include <algorithm>
#include <cmath>
#include <set>

#include "analysis/receptive_field_file.h"
#include "i18n/tr.h"
#include "widgets/flow_row.h"
#include "widgets/tooltip.h"

namespace ganvas::gui {
namespace {

const ImU32 kUnit = IM_COL32(120, 170, 240, 255);
const ImU32 kPadUnit = IM_COL32(120, 120, 130, 255);
const ImU32 kEdge = IM_COL32(150, 150, 170, 60);
const ImU32 kLit = IM_COL32(90, 220, 120, 255);
const ImU32 kEmpty = IM_COL32(230, 90, 80, 255);
// The diagram's own dark ground, as the window's in the dark theme: in the light
// one its grey labels and yellow counts would not read on white.
const ImU32 kGround = IM_COL32(26, 26, 29, 255);

struct Preset {
    const char* name;
    const char* layers;
    int input;
};
// The presets, named in the current language.
std::vector<Preset> presets() {
    return {
        // The default: windows overlapping going down, uneven taps coming back up.
        {tr("down and up: 3x3, 3x3/2, transposed 3x3/2"),
         "conv 3 1 1 1;conv 3 2 1 1;deconv 3 2 1 1", 12},
        {tr("VGG block: 3x3, 3x3, pool"), "conv 3 1 1 1;conv 3 1 1 1;maxpool 2 2 0 1", 16},
        {tr("dilated 3x3: 1, 2, 4"), "conv 3 1 1 1;conv 3 1 2 2;conv 3 1 4 4", 20},
        {tr("strided 4x4/2 twice (DCGAN's D)"), "conv 4 2 1 1;conv 4 2 1 1", 16},
        {tr("transposed 3x3/2: checkerboard"), "deconv 3 2 1 1", 8},
        {tr("transposed 4x4/2 twice (DCGAN's G)"), "deconv 4 2 1 1;deconv 4 2 1 1", 5},
        {tr("upsample x2, then 3x3"), "upsample 1 1 0 2;conv 3 1 1 1", 8},
        {tr("bilinear x2, then 3x3 (resize-conv)"), "bilinear 1 1 0 2;conv 3 1 1 1", 8},
        {tr("bilinear x3: the middle phase reads one input"), "bilinear 1 1 0 3", 6},
        {tr("bicubic x2: four inputs per output"), "bicubic 1 1 0 2", 6},
    };
}

const char* kTypes[] = {"conv",     "maxpool",  "avgpool", "deconv",
                        "upsample", "bilinear", "bicubic", "elementwise"};

}  // namespace

void RfSandboxPanel::save(PanelContext& ctx) {
    ctx.settings.set_text("rf_sandbox.layers", encode_layers(layers_));
    ctx.settings.set_number("rf_sandbox.input", input_length_);
}

void RfSandboxPanel::draw_editor(PanelContext& ctx) {
    const float u = ctx.ui_scale;
    bool changed = false;
    ImGui::SetNextItemWidth(260 * u);
    if (ImGui::BeginCombo(tr("preset"), tr("load a preset..."))) {
        for (const Preset& p : presets())
            if (ImGui::Selectable(p.name)) {
                layers_ = decode_layers(p.layers);
                input_length_ = p.input;
                changed = true;
            }
        ImGui::EndCombo();
    }
    same_line_if_fits(labelled_width(160 * u, tr("input length")));
    ImGui::SetNextItemWidth(160 * u);
    changed |= ImGui::SliderInt(tr("input length"), &input_length_, 1, 48);
    item_tooltip(tr("How many input positions (one axis: the other works the same way)."));
    ImGui::SameLine();
    help_marker(
        tr("Build a stack of layers and read its receptive field. Field: how many input "
           "positions one unit sees. Stride: how far the field moves between neighbouring units "
           "(the product of the strides so far; a fraction after upsampling). Padding: how far "
           "the first unit's field reaches before the input. The diagram shows the input at the "
           "bottom and each layer above it; lines join each unit to the positions it reads; grey "
           "rings are padding. Hover a unit (or click to pin it) to light up everything it "
           "depends on. Upsample is nearest-neighbour; bilinear and bicubic "
           "(align_corners=False) sample at (u + 0.5) / scale - 0.5 and read the 2 or 4 inputs "
           "around that point, or one when it lands on an input."));

    // Every column at its own width, the table scrolling sideways where the window
    // is narrower than they are (1024 pixels in large type): squeezed to the
    // window, the last columns' numbers and headers were cut ("f", "5|", "-1").
    const ImGuiTableFlags flags = ImGuiTableFlags_RowBg | ImGuiTableFlags_BordersInnerV |
                                  ImGuiTableFlags_BordersOuter | ImGuiTableFlags_SizingFixedFit |
                                  ImGuiTableFlags_ScrollX;
    const ImGuiStyle& st = ImGui::GetStyle();
    const float header_h = 2 * ImGui::GetFontSize() + 2 * st.CellPadding.y;  // two-line headers
    const float row_h = ImGui::GetFrameHeight() + 2 * st.CellPadding.y;
    // Room for the scroll bar under the rows while last frame's table showed one.
    const ImGuiTable* shown = ImGui::TableFindByID(ImGui::GetID("stack"));
    const bool scrolls = shown && shown->InnerWindow && shown->InnerWindow->ScrollbarX;
    const float table_h = header_h + row_h * static_cast<float>(layers_.size()) + 2 /* borders */ +
                          (scrolls ? st.ScrollbarSize : 0);
    if (ImGui::BeginTable("stack", 12, flags, ImVec2(0, table_h))) {
        // Long headers on two lines: on one they made the table wider than a
        // 1280-pixel window and its last column was cut ("first unit s…").
        const char* headers[] = {tr("layer"),
                                 tr("type"),
                                 tr("kernel"),
                                 tr("stride"),
                                 tr("padding"),
                                 tr("dilation /\nscale"),
                                 "",
                                 tr("output"),
                                 tr("field"),
                                 tr("eff.\nstride"),
                                 tr("eff.\npadding"),
                                 tr("first unit\nsees")};
        for (const char* h : headers) ImGui::TableSetupColumn(h);
        ImGui::TableHeadersRow();
        int remove = -1;
        for (size_t i = 0; i < layers_.size(); ++i) {
            rf::Layer& l = layers_[i];
            ImGui::PushID(static_cast<int>(i));
            ImGui::TableNextRow();
            ImGui::TableSetColumnIndex(0);
            ImGui::AlignTextToFramePadding();
            ImGui::Text("L%zu", i + 1);
            ImGui::TableSetColumnIndex(1);
            ImGui::SetNextItemWidth(110 * u);
            const std::string kind = rf::kind_name(l.kind);
            if (ImGui::BeginCombo("##type", kind.c_str())) {
                for (const char* t : kTypes)
                    if (ImGui::Selectable(t, kind == t)) {
                        l.kind = rf::kind_from_name(t);
                        changed = true;
                    }
                ImGui::EndCombo();
            }
            auto number = [&](int column, const char* id, int64_t& v, int lo, int hi) {
                ImGui::TableSetColumnIndex(column);
                int x = static_cast<int>(v);
                ImGui::SetNextItemWidth(80 * u);
                if (ImGui::InputInt(id, &x)) {
                    v = std::clamp(x, lo, hi);
                    changed = true;
                }
            };
            const bool windowed = !rf::is_upsampling(l.kind) && l.kind != rf::Kind::elementwise;
            if (windowed) {
                number(2, "##k", l.kernel[0], 1, 15);
                number(3, "##s", l.stride[0], 1, 8);
                number(4, "##p", l.padding[0], 0, 16);
            }
            if (l.kind == rf::Kind::conv || l.kind == rf::Kind::deconv)
                number(5, "##d", l.dilation[0], 1, 8);
            if (rf::is_upsampling(l.kind)) number(5, "##scale", l.scale[0], 1, 8);
            ImGui::TableSetColumnIndex(6);
            if (ImGui::SmallButton("x")) remove = static_cast<int>(i);
            item_tooltip(tr("Remove this layer."));
            if (i < fields_.size()) {
                const rf::LayerField& f = fields_[i];
                const rf::AxisField& a = f.axis[0];
                ImGui::TableSetColumnIndex(7);
                ImGui::Text("%lld",
                            static_cast<long long>(f.output_size ? (*f.output_size)[0] : 0));
                ImGui::TableSetColumnIndex(8);
                std::string field = rf::field_text(f, std::nullopt);
                ImGui::TextUnformatted(field.substr(0, field.find(" x ")).c_str());
                if (a.period > 1)
                    item_tooltip(
                        tr("One field per output phase: neighbouring output units of an "
                           "upsampling see differently many inputs."));
                ImGui::TableSetColumnIndex(9);
                std::string stride = rf::stride_text(f);
                ImGui::TextUnformatted(stride.substr(0, stride.find('x')).c_str());
                ImGui::TableSetColumnIndex(10);
                ImGui::Text("%lld", static_cast<long long>(a.padding()));
                ImGui::TableSetColumnIndex(11);
                ImGui::Text("%lld..%lld", static_cast<long long>(a.lo[0]),
                            static_cast<long long>(a.hi[0]));
            }
            ImGui::PopID();
            // Square layers: the sandbox edits one axis and mirrors it.
            l.kernel[1] = l.kernel[0];
            l.stride[1] = l.stride[0];
            l.padding[1] = l.padding[0];
            l.dilation[1] = l.dilation[0];
            l.scale[1] = l.scale[0];
        }
        ImGui::EndTable();
        if (remove >= 0) {
            layers_.erase(layers_.begin() + remove);
            changed = true;
        }
    }
    if (ImGui::Button(tr("+ layer")) && layers_.size() < 8) {
        rf::Layer l;
        l.kind = rf::Kind::conv;
        l.kernel = {3, 3};
        l.padding = {1, 1};
        layers_.push_back(l);
        changed = true;
    }
    if (changed) {
        for (size_t i = 0; i < layers_.size(); ++i) layers_[i].name = layer_label(i + 1);
        save(ctx);
    }
}

void RfSandboxPanel::draw_diagram(PanelContext& ctx) {
    if (rows_.empty()) return;
    const float u = ctx.ui_scale;
    const ImVec2 avail = ImGui::GetContentRegionAvail();
    const ImVec2 p0 = ImGui::GetCursorScreenPos();
    const float row_gap = std::clamp(avail.y / static_cast<float>(rows_.size()), 40 * u, 110 * u);
    const ImVec2 box(avail.x, row_gap * static_cast<float>(rows_.size()));
    ImGui::InvisibleButton("diagram", box);
    const bool hovered = ImGui::IsItemHovered();
    ImDrawList* dl = ImGui::GetWindowDrawList();
    dl->AddRectFilled(p0, ImVec2(p0.x + box.x, p0.y + box.y), kGround,
                      ImGui::GetStyle().FrameRounding);

    // x of a unit: the centre of its field in input positions, so every row lines up
    // with the input below it. Position p of row r is unit p of that row.
    std::vector<rf::AxisField> axis(rows_.size());
    for (size_t r = 1; r < rows_.size(); ++r) axis[r] = fields_[r - 1].axis[0];
    auto centre = [&](size_t r, int64_t p) -> double {
        if (r == 0) return static_cast<double>(p);
        const rf::AxisField& a = axis[r];
        const int64_t ph = ((p % a.period) + a.period) % a.period;
        if (a.lo[ph] <= a.hi[ph]) return 0.5 * static_cast<double>(a.first(p) + a.last(p));
        return 0.5 *
               static_cast<double>(a.first(p - 1) + a.last(p - 1) + a.first(p + 1) +
                                   a.last(p + 1)) /
               2;
    };
    double xmin = 1e9, xmax = -1e9;
    for (size_t r = 0; r < rows_.size(); ++r)
        for (int64_t p = rows_[r].lo; p <= rows_[r].hi; ++p)
            xmin = std::min(xmin, centre(r, p)), xmax = std::max(xmax, centre(r, p));
    const float margin = 28 * u;
    const float scale = static_cast<float>((box.x - 2 * margin) / std::max(1.0, xmax - xmin));
    auto pos = [&](size_t r, int64_t p) {
        return ImVec2(p0.x + margin + scale * static_cast<float>(centre(r, p) - xmin),
                      p0.y + box.y - row_gap * (static_cast<float>(r) + 0.5f));
    };
    const float radius = std::clamp(scale * 0.3f, 2.0f, 7.0f * u);

    // The hovered (else the pinned) unit and everything it depends on, row by row
    // down to the input. A click pins the unit under the mouse.
    std::vector<std::set<int64_t>> lit(rows_.size());
    hovered_row_ = -1;
    if (hovered) {
        const ImVec2 m = ImGui::GetMousePos();
        float best = radius * 2.5f;
        for (size_t r = 0; r < rows_.size(); ++r)
            for (int64_t p = 0; p < rows_[r].length; ++p) {
                const ImVec2 q = pos(r, p);
                const float dist = std::hypot(q.x - m.x, q.y - m.y);
                if (dist < best) best = dist, hovered_row_ = static_cast<int>(r), hovered_unit_ = p;
            }
        if (ImGui::IsItemClicked() && hovered_row_ >= 0) {
            pinned_row_ = hovered_row_;
            pinned_unit_ = hovered_unit_;
        }
    }
    if (pinned_row_ >= static_cast<int>(rows_.size()) || pinned_row_ < 0 ||
        pinned_unit_ >= rows_[pinned_row_].length) {
        pinned_row_ = static_cast<int>(rows_.size()) - 1;  // the top row's middle unit
        pinned_unit_ = rows_.back().length / 2;
    }
    const int row_shown = hovered_row_ >= 0 ? hovered_row_ : pinned_row_;
    const int64_t unit_shown = hovered_row_ >= 0 ? hovered_unit_ : pinned_unit_;
    if (row_shown >= 0) {
        lit[row_shown].insert(unit_shown);
        for (int r = row_shown; r > 0; --r)
            for (int64_t p : lit[r])
                if (p >= 0 && p < rows_[r].length)
                    for (int64_t q : rows_[r].reads[p]) lit[r - 1].insert(q);
    }

    for (size_t r = 1; r < rows_.size(); ++r)
        for (int64_t p = 0; p < rows_[r].length; ++p)
            for (int64_t q : rows_[r].reads[p]) {
                const bool on = lit[r].count(p) > 0;
                dl->AddLine(pos(r, p), pos(r - 1, q), on ? kLit : kEdge, on ? 2.0f : 1.0f);
            }
    for (size_t r = 0; r < rows_.size(); ++r) {
        const SandboxRow& row = rows_[r];
        const ImVec2 label(p0.x, pos(r, 0).y - ImGui::GetFontSize() * 0.5f);
        dl->AddText(label, IM_COL32(200, 200, 200, 255),
                    r == 0 ? tr("in") : layer_label(r).c_str());
        for (int64_t p = row.lo; p <= row.hi; ++p) {
            const ImVec2 c = pos(r, p);
            const bool pad = p < 0 || p >= row.length;
            const bool on = lit[r].count(p) > 0;
            // A unit that reads nothing (a transposed conv's empty phase) is drawn red.
            const bool empty = r > 0 && !pad && row.reads[p].empty();
            if (pad)
                dl->AddCircle(c, radius, on ? kLit : kPadUnit, 0, 1.5f);
            else
                dl->AddCircleFilled(c, radius, on ? kLit : empty ? kEmpty : kUnit);
            // Overlaps: under each position, how many units above read it (convolution
            // windows overlapping); above each transposed-conv output, how many inputs land on it.
            if (!row.fan_out.empty() && scale >= 9 * u) {
                const std::string n = std::to_string(row.fan_out[static_cast<size_t>(p - row.lo)]);
                const ImVec2 t = ImGui::CalcTextSize(n.c_str());
                dl->AddText(ImVec2(c.x - t.x * 0.5f, c.y + radius + 1),
                            IM_COL32(200, 200, 120, 255), n.c_str());
            }
            if (r > 0 && !pad && scale >= 9 * u &&
                (fields_[r - 1].layer.kind == rf::Kind::deconv ||
                 rf::is_upsampling(fields_[r - 1].layer.kind))) {
                const std::string n = std::to_string(row.reads[p].size());
                const ImVec2 t = ImGui::CalcTextSize(n.c_str());
                dl->AddText(ImVec2(c.x - t.x * 0.5f, c.y - radius - t.y - 1),
                            IM_COL32(240, 160, 110, 255), n.c_str());
            }
        }
    }
    if (hovered_row_ > 0) {
        const std::set<int64_t>& in = lit[0];
        ImGui::SetTooltip(tr("L%d unit %lld reads %zu input positions (%lld..%lld)"), hovered_row_,
                          static_cast<long long>(hovered_unit_), in.size(),
                          static_cast<long long>(in.empty() ? 0 : *in.begin()),
                          static_cast<long long>(in.empty() ? 0 : *in.rbegin()));
    }
}

void RfSandboxPanel::draw(PanelContext& ctx) {
    if (!loaded_) {
        const Preset first = presets().front();
        layers_ = decode_layers(ctx.settings.text("rf_sandbox.layers", first.layers));
        if (layers_.empty()) layers_ = decode_layers(first.layers);
        input_length_ =
            static_cast<int>(ctx.settings.integer("rf_sandbox.input", first.input, 1, 48));
        loaded_ = true;
    }
    draw_editor(ctx);
    rf::Network net;
    net.layers = layers_;
    net.input_size = rf::Pair{input_length_, input_length_};
    try {
        fields_ = rf::compute(net);
        rows_ = sandbox_rows(layers_, input_length_);
        error_.clear();
    } catch (const std::exception& e) {
        error_ = e.what();
        rows_.clear();
    }
    if (!error_.empty()) {
        error_text(error_);
        return;
    }
    ImGui::PushTextWrapPos(0.0f);  // the tab's width is all it gets: wrap, do not cut
    ImGui::TextDisabled(
        "%s", tr("Each row is a layer above the input; lines join a unit to the positions it "
                 "reads. Hover a unit, or click to pin it, to light up all it depends on."));
    ImGui::TextDisabled(
        "%s", tr("yellow numbers: how many units above read a position (overlapping windows); "
                 "orange: how many inputs each output of an upsampling reads"));
    ImGui::PopTextWrapPos();
    ImGui::Separator();
    draw_diagram(ctx);
}

GANVAS_REGISTER_PANEL(RfSandboxPanel, 80, "RF Sandbox");

}  // namespace ganvas::gui
