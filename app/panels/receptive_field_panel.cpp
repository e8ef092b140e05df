#include "panels/receptive_field_panel.h"

#include <imgui.h>

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "analysis/model_receptive_field.h"
#include "analysis/receptive_field_file.h"
#include "i18n/tr.h"
#include "ops/shape_ops.h"
#include "tensor/rng.h"
#include "widgets/format_numbers.h"
#include "widgets/tooltip.h"

namespace ganvas::gui {
namespace {

constexpr int kMaxMargin = 10;
const ImU32 kFieldFill = IM_COL32(90, 220, 120, 70);
const ImU32 kFieldLine = IM_COL32(90, 220, 120, 255);
const ImU32 kUnitLine = IM_COL32(255, 230, 90, 255);
const ImU32 kPadding = IM_COL32(52, 52, 58, 255);
const ImU32 kPaddingHatch = IM_COL32(80, 80, 88, 255);
const ImU32 kMap = IM_COL32(28, 36, 56, 255);
const ImU32 kGridLine = IM_COL32(255, 255, 255, 28);

// printf into a std::string (a translated format string and its arguments).
template <typename... Args>
std::string format(const char* fmt, Args... args) {
    const int n = std::snprintf(nullptr, 0, fmt, args...);
    std::string out(n > 0 ? static_cast<size_t>(n) : 0, '\0');
    if (n > 0) std::snprintf(out.data(), out.size() + 1, fmt, args...);
    return out;
}

// The input's note in the window's language, where it is one of core's fixed ones.
const char* input_note(const std::string& note) {
    if (note == "the image") return tr("the image");
    if (note == "no feature maps: every layer sees the whole input")
        return tr("no feature maps: every layer sees the whole input");
    return note.c_str();
}

bool drawn_as_grid(const rf::Layer& l) {
    return l.kind != rf::Kind::elementwise && l.kind != rf::Kind::dense;
}

std::string layer_summary(const rf::Layer& l) {
    auto pair = [](const rf::Pair& p) {
        return p[0] == p[1] ? std::to_string(p[0])
                            : std::to_string(p[0]) + "x" + std::to_string(p[1]);
    };
    std::string s = rf::kind_name(l.kind);
    switch (l.kind) {
        case rf::Kind::conv:
        case rf::Kind::deconv:
        case rf::Kind::maxpool:
        case rf::Kind::avgpool:
            // Appended piece by piece: GCC 12 warns falsely (-Wrestrict) on "x" + std::string.
            s += ' ';
            s += pair(l.kernel);
            if (l.kernel[0] == l.kernel[1]) s.append("x").append(pair(l.kernel));
            s.append(" /").append(pair(l.stride)).append(" pad ").append(pair(l.padding));
            if (l.dilation != rf::Pair{1, 1}) s.append(" dil ").append(pair(l.dilation));
            break;
        case rf::Kind::upsample:
        case rf::Kind::bilinear:
        case rf::Kind::bicubic:
            s.append(" x").append(pair(l.scale));
            break;
        default:
            break;
    }
    return s;
}

// Diagonal lines over a rectangle: the look of padding.
void hatch(ImDrawList* dl, ImVec2 a, ImVec2 b, float step) {
    dl->PushClipRect(a, b, true);
    const float h = b.y - a.y;
    for (float x = a.x - h; x < b.x; x += step)
        dl->AddLine(ImVec2(x, b.y), ImVec2(x + h, a.y), kPaddingHatch, 1.0f);
    dl->PopClipRect();
}

}  // namespace

void ReceptiveFieldPanel::rebuild(PanelContext& ctx) {
    model_ = ctx.snapshot.config.model;
    nets_.clear();
    reads_images_.clear();
    error_.clear();
    try {
        // The architecture does not depend on the weights: a fresh model of the same
        // name gives the live model's layers without touching the training thread.
        Rng rng(0);
        auto model = make_model(model_, rng);
        nets_ = rf::model_networks(*model, Batch{Tensor::zeros({1, 1, 28, 28}), Tensor{}});
        for (auto& n : nets_)
            reads_images_.push_back(static_cast<bool>(model->image_network(n.name)));
    } catch (const std::exception& e) {
        error_ = e.what();
    }
    const std::string wanted = ctx.settings.text("rf.network", "D");
    int index = 0;
    for (size_t i = 0; i < nets_.size(); ++i)
        if (nets_[i].name == wanted) index = static_cast<int>(i);
    choose_network(ctx, index);
}

void ReceptiveFieldPanel::choose_network(PanelContext& ctx, int index) {
    net_ = index;
    fields_.clear();
    nodes_.clear();
    dense_notes_.clear();
    hovered_ = pinned_ = Unit{};
    texture_key_.clear();
    if (nets_.empty()) return;
    const rf::Network& net = nets_[net_];
    try {
        fields_ = rf::compute(net);
    } catch (const std::exception& e) {
        error_ = e.what();
        return;
    }
    nodes_.push_back({-1, net.input_size.value_or(rf::Pair{1, 1}), 0});
    for (size_t i = 0; i < fields_.size(); ++i) {
        if (!drawn_as_grid(fields_[i].layer) || !fields_[i].output_size) {
            if (fields_[i].layer.kind == rf::Kind::dense)
                dense_notes_.push_back(net.name + "." + fields_[i].layer.name);
            continue;
        }
        nodes_.push_back({static_cast<int>(i), *fields_[i].output_size, 0});
    }
    // Each map's border shows how far the later layers' fields reach beyond it.
    for (size_t m = 0; m < nodes_.size(); ++m)
        for (size_t l = m + 1; l < nodes_.size(); ++l) {
            const rf::Pair last{nodes_[l].size[0] - 1, nodes_[l].size[1] - 1};
            auto first = rf::units_read(net, nodes_[m].layer, nodes_[l].layer, {0, 0});
            auto end = rf::units_read(net, nodes_[m].layer, nodes_[l].layer, last);
            for (int a = 0; a < 2; ++a) {
                if (first[a].first == INT64_MIN) continue;
                const int64_t reach =
                    std::max(-first[a].first, end[a].second - (nodes_[m].size[a] - 1));
                nodes_[m].margin = std::max<int>(
                    nodes_[m].margin, static_cast<int>(std::clamp<int64_t>(reach, 0, kMaxMargin)));
            }
        }
    // Start with the middle unit of the deepest map pinned, so the view explains itself.
    if (nodes_.size() > 1) {
        const Node& deep = nodes_.back();
        pinned_ = {static_cast<int>(nodes_.size() - 1), deep.size[0] / 2, deep.size[1] / 2};
    }
    ctx.settings.set_text("rf.network", net.name);
}

void ReceptiveFieldPanel::update_texture(PanelContext& ctx) {
    const TrainerSnapshot& s = ctx.snapshot;
    // The image the network works on: a data set image for networks that read
    // images (under the input), the newest generated sample for a generator (under its output).
    Tensor image;
    std::string key;
    if (net_ < static_cast<int>(reads_images_.size()) && reads_images_[net_]) {
        if (!s.dataset || s.dataset->size() == 0) return;
        // The slider's range (below): at most the first 10,000 images.
        const int64_t index = ctx.settings.integer("rf.sample", 0, 0,
                                                   std::min<int64_t>(s.dataset->size(), 10000) - 1);
        key = "data " + std::to_string(index) + " " + s.dataset->name;
        if (key != texture_key_) image = narrow(s.dataset->images, 0, index, 1);
        texture_node_ = 0;
    } else if (!s.samples.empty() && s.samples.back()) {
        key = "sample " + std::to_string(s.samples.back()->step);
        if (key != texture_key_) image = narrow(s.samples.back()->images, 0, 0, 1);
        texture_node_ = static_cast<int>(nodes_.size()) - 1;
    } else {
        return;
    }
    if (key == texture_key_) return;
    texture_key_ = key;
    // Only an image of the node's size lies under it.
    const Node& n = nodes_[texture_node_];
    if (image.size(2) != n.size[0] || image.size(3) != n.size[1]) {
        texture_node_ = -1;
        return;
    }
    texture_.upload_image(reshape(image, {image.size(1), image.size(2), image.size(3)}));
}

std::string ReceptiveFieldPanel::node_label(const Node& n) const {
    const rf::Network& net = nets_[net_];
    const std::string size = std::to_string(n.size[0]) + "x" + std::to_string(n.size[1]);
    if (n.layer < 0)
        return net.input_note.empty()
                   ? format(tr("input %s"), size.c_str())
                   : format(tr("input %s — %s"), size.c_str(), input_note(net.input_note));
    const rf::LayerField& f = fields_[n.layer];
    return format(tr("%s  %s  -> %s   field %s, stride %s"), f.layer.name.c_str(),
                  layer_summary(f.layer).c_str(), size.c_str(),
                  rf::field_text(f, net.input_size).c_str(), rf::stride_text(f).c_str());
}

void ReceptiveFieldPanel::draw_node(PanelContext& ctx, size_t index, float width,
                                    const Unit& active) {
    const Node& n = nodes_[index];
    const rf::Network& net = nets_[net_];
    // Wrapped: a layer's line ("c1 conv 4x4 /2 pad 1 -> 14x14 field ...") is wider than the
    // list at UI scale 1.5.
    text_wrapped(node_label(n).c_str());
    const int cols = static_cast<int>(n.size[1]) + 2 * n.margin;
    const int rows = static_cast<int>(n.size[0]) + 2 * n.margin;
    // Small enough that several maps fit the column; 7x7 maps get big cells.
    const float fit =
        std::min(width, 210 * ctx.ui_scale) / static_cast<float>(std::max(cols, rows));
    const float cell = std::clamp(fit, 2.0f, 20.0f * ctx.ui_scale);
    const ImVec2 p0 = ImGui::GetCursorScreenPos();
    const ImVec2 box(cell * cols, cell * rows);
    ImGui::PushID(static_cast<int>(index));
    ImGui::InvisibleButton("map", box);
    const bool hovered = ImGui::IsItemHovered();
    const bool clicked = ImGui::IsItemClicked();
    ImGui::PopID();
    ImDrawList* dl = ImGui::GetWindowDrawList();
    const ImVec2 m0(p0.x + cell * n.margin, p0.y + cell * n.margin);
    const ImVec2 m1(m0.x + cell * n.size[1], m0.y + cell * n.size[0]);
    auto at = [&](double r, double c) {
        return ImVec2(m0.x + cell * static_cast<float>(c), m0.y + cell * static_cast<float>(r));
    };

    dl->AddRectFilled(p0, ImVec2(p0.x + box.x, p0.y + box.y), kPadding);
    if (n.margin > 0) hatch(dl, p0, ImVec2(p0.x + box.x, p0.y + box.y), std::max(4.0f, cell));
    dl->AddRectFilled(m0, m1, kMap);
    if (static_cast<int>(index) == texture_node_ && texture_.valid())
        dl->AddImage(texture_.imgui_id(), m0, m1);
    if (cell >= 6)
        for (int64_t i = 1; i < std::max(n.size[0], n.size[1]); ++i) {
            if (i < n.size[0]) dl->AddLine(at(i, 0), at(i, n.size[1]), kGridLine);
            if (i < n.size[1]) dl->AddLine(at(0, i), at(n.size[0], i), kGridLine);
        }

    // The active unit's field on this map (maps before it) or the unit itself.
    if (active.node >= 0 && static_cast<int>(index) <= active.node) {
        const int target = nodes_[active.node].layer;
        auto range = rf::units_read(net, n.layer, target, {active.row, active.col});
        const bool global = range[0].first == INT64_MIN;
        const bool empty = range[0].first > range[0].second || range[1].first > range[1].second;
        if (!empty) {
            auto clip = [&](int64_t v, int a) {
                return global ? (v == INT64_MIN ? -0.0 : static_cast<double>(n.size[a]))
                              : std::clamp<double>(static_cast<double>(v), -n.margin,
                                                   n.size[a] + n.margin - 1);
            };
            const ImVec2 a = at(clip(range[0].first, 0), clip(range[1].first, 1));
            ImVec2 b = at(clip(range[0].second, 0) + (global ? 0 : 1),
                          clip(range[1].second, 1) + (global ? 0 : 1));
            const bool self = static_cast<int>(index) == active.node;
            dl->AddRectFilled(a, b, self ? IM_COL32(255, 230, 90, 90) : kFieldFill);
            dl->AddRect(a, b, self ? kUnitLine : kFieldLine, 0, 0, 2.0f);
        }
    }

    if (hovered) {
        const ImVec2 mouse = ImGui::GetMousePos();
        const int64_t c = static_cast<int64_t>(std::floor((mouse.x - m0.x) / cell));
        const int64_t r = static_cast<int64_t>(std::floor((mouse.y - m0.y) / cell));
        if (r >= 0 && c >= 0 && r < n.size[0] && c < n.size[1]) {
            hovered_ = {static_cast<int>(index), r, c};
            if (clicked) pinned_ = pinned_ == hovered_ ? Unit{} : hovered_;
        } else {
            ImGui::SetTooltip("%s", tr("padding: zeros beyond the edge of the map"));
        }
    }
    ImGui::Spacing();
}

void ReceptiveFieldPanel::draw_layers(PanelContext& ctx) {
    const float width = ImGui::GetContentRegionAvail().x - ImGui::GetStyle().ScrollbarSize;
    Unit active = hovered_.node >= 0 ? hovered_ : pinned_;
    hovered_ = Unit{};
    for (size_t i = 0; i < nodes_.size(); ++i) draw_node(ctx, i, width, active);
    char note[256];
    for (auto& layer : dense_notes_) {
        std::snprintf(note, sizeof note, tr("%s (dense): every unit sees the whole input"),
                      layer.c_str());
        hint(note);
    }
}

void ReceptiveFieldPanel::draw_selection(PanelContext& ctx, const Unit& active, float width) {
    const rf::Network& net = nets_[net_];
    if (active.node < 1) {
        ImGui::TextWrapped("%s",
                           tr("Hover a unit of any layer on the left, or click one to pin it."));
    } else {
        const Node& n = nodes_[active.node];
        const rf::LayerField& f = fields_[n.layer];
        auto in = rf::units_read(net, -1, n.layer, {active.row, active.col});
        ImGui::Text(tr("%s.%s, unit (row %lld, col %lld)%s"), net.name.c_str(),
                    f.layer.name.c_str(), static_cast<long long>(active.row),
                    static_cast<long long>(active.col), pinned_ == active ? tr("  (pinned)") : "");
        if (in[0].first > in[0].second || in[1].first > in[1].second) {
            ImGui::TextWrapped(
                "%s", tr("This output phase reads no input at all: only the bias reaches it."));
        } else {
            const int64_t h = in[0].second - in[0].first + 1, w = in[1].second - in[1].first + 1;
            const rf::Pair size = *net.input_size;
            const int64_t inside =
                (std::min(in[0].second, size[0] - 1) - std::max<int64_t>(in[0].first, 0) + 1) *
                (std::min(in[1].second, size[1] - 1) - std::max<int64_t>(in[1].first, 0) + 1);
            text_wrapped(
                format(tr("sees input rows %lld..%lld, cols %lld..%lld: %lld x %lld = %lld pixels"),
                       static_cast<long long>(in[0].first), static_cast<long long>(in[0].second),
                       static_cast<long long>(in[1].first), static_cast<long long>(in[1].second),
                       static_cast<long long>(h), static_cast<long long>(w),
                       static_cast<long long>(h * w))
                    .c_str());
            ImGui::Text(tr("%lld of them padding"),
                        static_cast<long long>(h * w - std::max<int64_t>(inside, 0)));
            item_tooltip(
                tr("Positions outside the input: the zeros of the convolutions' padding."));
        }
        const rf::AxisField& a = f.axis[0];
        if (a.period > 1 || f.axis[1].period > 1) {
            ImGui::TextWrapped(
                tr("After upsampling, neighbouring output units see differently sized fields: "
                   "this layer repeats every %lld x %lld units (its output phases), with fields "
                   "%s. This unit is phase (%lld, %lld)."),
                static_cast<long long>(a.period), static_cast<long long>(f.axis[1].period),
                rf::field_text(f, net.input_size).c_str(),
                static_cast<long long>(active.row % a.period),
                static_cast<long long>(active.col % f.axis[1].period));
        }
        if (reads_images_[net_]) {
            ErfUnit unit{model_, net.name, f.layer.name, {active.row, active.col}, in};
            erf_.draw_unit(ctx, unit, width);
        } else {
            ImGui::Spacing();
            // The ERF is a gradient with respect to an image; a generator reads noise.
            ImGui::TextWrapped(
                tr("%s does not read images (a generator reads noise), so it has no effective "
                   "receptive field over an image; pick a network that reads them."),
                net.name.c_str());
        }
    }
    erf_.draw_depth_experiment(ctx, width);
}

void ReceptiveFieldPanel::draw_toolbar(PanelContext& ctx) {
    ImGui::SetNextItemWidth(70 * ctx.ui_scale);
    if (ImGui::BeginCombo(tr("network"), nets_.empty() ? "" : nets_[net_].name.c_str())) {
        for (size_t i = 0; i < nets_.size(); ++i)
            if (ImGui::Selectable(nets_[i].name.c_str(), static_cast<int>(i) == net_))
                choose_network(ctx, static_cast<int>(i));
        ImGui::EndCombo();
    }
    item_tooltip(tr("Which of the model's networks to analyse."));
    if (net_ < static_cast<int>(reads_images_.size()) && reads_images_[net_] &&
        ctx.snapshot.dataset) {
        ImGui::SameLine();
        const int last = std::max(
            0, static_cast<int>(std::min<int64_t>(ctx.snapshot.dataset->size(), 10000)) - 1);
        int sample = static_cast<int>(ctx.settings.integer("rf.sample", 0, 0, last));
        ImGui::SetNextItemWidth(160 * ctx.ui_scale);
        if (ImGui::SliderInt(tr("image"), &sample, 0, last))
            ctx.settings.set_number("rf.sample", sample);
        item_tooltip(tr("Which data set image lies under the input grid."));
    }
    ImGui::SameLine();
    help_marker(
        tr("Each grid is a feature map of the network, one cell a unit (its channels stacked "
           "behind it). A unit's receptive field is the part of the input it can see: hover a "
           "cell, or click to pin it, and the field is drawn on the input and the units it reads "
           "on every layer between. The grey border is padding: zeros the convolutions read "
           "beyond the edge, which are part of the field but carry no information. The layers "
           "come from the model itself, through a traced forward pass."));
    hint(
        tr("A unit's receptive field is the part of the input it can see: hover or click a cell "
           "of any map and its field lights up on the input and on every layer between."));
}

void ReceptiveFieldPanel::draw(PanelContext& ctx) {
    if (ctx.snapshot.config.model != model_) rebuild(ctx);
    if (!error_.empty()) {
        failure_text(
            format_text(tr("Cannot analyse %s: %s"), model_.c_str(), tr_error(error_).c_str()));
        return;
    }
    if (nets_.empty()) return;
    update_texture(ctx);
    draw_toolbar(ctx);
    const ImVec2 avail = ImGui::GetContentRegionAvail();
    const float left = std::max(240.0f * ctx.ui_scale, avail.x * 0.38f);
    ImGui::BeginChild("rf_layers", ImVec2(left, 0), true);
    draw_layers(ctx);
    ImGui::EndChild();
    ImGui::SameLine();
    ImGui::BeginChild("rf_details", ImVec2(0, 0), false);
    const Unit active = hovered_.node >= 0 ? hovered_ : pinned_;
    draw_selection(ctx, active, ImGui::GetContentRegionAvail().x);
    ImGui::EndChild();
}

GANVAS_REGISTER_PANEL(ReceptiveFieldPanel, 70, "Receptive Field");

}  // namespace ganvas::gui
