#include "panels/model_panel.h"

#include <imgui.h>

#include <algorithm>
#include <cfloat>
#include <cmath>
#include <cstdio>

#include "analysis/model_receptive_field.h"
#include "gui/theme.h"
#include "i18n/tr.h"
#include "widgets/format_numbers.h"
#include "widgets/table_columns.h"
#include "widgets/table_sparkline.h"
#include "widgets/tooltip.h"

namespace ganvas::gui {
namespace {

const ImVec4 kParamColor(0.40f, 0.70f, 1.00f, 1);
const ImVec4 kGradColor(1.00f, 0.62f, 0.25f, 1);
const ImVec4 kRatioColor(0.55f, 0.85f, 0.45f, 1);

// What to look for, said once per column (header tooltips) and in the detail view.
const char* param_help() {
    return tr(
        "‖θ‖: the L2 norm of the layer's parameters, weight and bias taken together as one vector. "
        "Slow, steady change is normal; a norm that keeps growing means the weights are diverging, "
        "one collapsing towards 0 means the layer is being switched off.");
}
const char* grad_help() {
    return tr(
        "‖∂L/∂θ‖: the L2 norm of the gradient of the network's own loss at the measured step. Tiny "
        "values in early layers mean vanishing gradients (they stop learning); jumps by orders of "
        "magnitude mean exploding ones. In a GAN, D's gradients dwarfing G's often means D is "
        "winning and G gets little signal.");
}
const char* ratio_help() {
    return tr(
        "‖∂L/∂θ‖ / ‖θ‖: a hint of the relative update size. With plain SGD one step changes the "
        "weights by about lr × this fraction (Adam rescales gradients, so read it as a trend). "
        "Near 0: the layer barely moves; large: every step rewrites it.");
}
const char* batch_norm_help() {
    return tr(
        "BatchNorm: weight (γ) scales and bias (β) shifts each channel after normalising. A γ norm "
        "shrinking towards 0 silences channels; a growing β pushes activations into the flat part "
        "of the next nonlinearity. Their gradients do not grow with the scale of the layer "
        "before.");
}

// Each norm column holds the newest value and, beside it, a sparkline of its history.
enum Column { kName, kType, kOutput, kField, kParams, kShare, kTheta, kGrad, kRatio, kColumns };

void right_aligned(const std::string& text, bool disabled = false) {
    const float w = ImGui::CalcTextSize(text.c_str()).x;
    const float avail = ImGui::GetContentRegionAvail().x;
    if (avail > w) ImGui::SetCursorPosX(ImGui::GetCursorPosX() + avail - w);
    if (disabled)
        ImGui::TextDisabled("%s", text.c_str());
    else
        ImGui::TextUnformatted(text.c_str());
}

void value_cell(float v) {
    right_aligned(format_value(v), std::isnan(v));
}

// The newest value in a fixed-width slot, then the sparkline in the rest of the cell.
bool value_and_trend(const char* id, float now, const SparkSeries& series, bool log_scale,
                     const char* what, ImVec4 color) {
    const float slot = ImGui::CalcTextSize("-8.88e-88").x;
    const std::string text = format_value(now);
    const float x = ImGui::GetCursorPosX();
    ImGui::AlignTextToFramePadding();
    ImGui::SetCursorPosX(x + slot - ImGui::CalcTextSize(text.c_str()).x);
    if (std::isnan(now))
        ImGui::TextDisabled("%s", text.c_str());
    else
        ImGui::TextUnformatted(text.c_str());
    // SetCursorPosX rather than SameLine(x): inside a table SameLine's offset counts from the
    // column, GetCursorPosX's from the window.
    ImGui::SameLine();
    ImGui::SetCursorPosX(x + slot + ImGui::GetStyle().ItemInnerSpacing.x);
    return sparkline(id, series, log_scale, what, color);
}

const char* network_role(const std::string& prefix, const std::string& model) {
    if (prefix == "G") return tr("generator");
    if (prefix == "D")
        return model.find("wgan") != std::string::npos ? tr("critic") : tr("discriminator");
    if (prefix == "C") return tr("classifier");
    if (prefix == "E") return tr("encoder");
    return "";
}

int64_t total_parameters(const std::vector<LayerRow>& layers) {
    int64_t total = 0;
    for (const auto& row : layers)
        if (row.depth == 0) total += row.parameters;
    return total;
}

// The field column: read from a fresh model of the same name (the layers do not
// depend on the weights); empty if the model cannot be analysed.
std::map<std::string, std::string> receptive_field_texts(const std::string& model) {
    try {
        return rf::layer_field_texts(rf::model_networks(model));
    } catch (const std::exception&) {
        return {};
    }
}

}  // namespace

void ModelPanel::refresh(const TrainerSnapshot& s, bool log_scale) {
    if (s.layers == layers_ && s.param_norms == params_ && s.grad_norms == grads_ &&
        log_scale == log_scale_)
        return;
    layers_ = s.layers;
    params_ = s.param_norms;
    grads_ = s.grad_norms;
    log_scale_ = log_scale;
    norms_.assign(layers_ ? layers_->size() : 0, {});
    for (size_t i = 0; i < norms_.size(); ++i) {
        const std::string& name = (*layers_)[i].name;
        LayerNorms& n = norms_[i];
        if (params_) {
            n.param = combined_norm(*params_, columns_under(params_->names, name));
            n.param_plot = spark_series(n.param, params_->steps, log_scale);
        }
        if (grads_) {
            n.grad = combined_norm(*grads_, columns_under(grads_->names, name));
            n.grad_plot = spark_series(n.grad, grads_->steps, log_scale);
        }
        n.ratio = norm_ratio(n.grad, n.param);
    }
}

void ModelPanel::draw(PanelContext& ctx) {
    const TrainerSnapshot& s = ctx.snapshot;
    if (!s.layers || s.layers->empty()) {
        if (s.state == TrainerState::Failed)
            failure_text(
                format_text(tr("The model could not be built: %s"), tr_phrase(s.notice).c_str()));
        else
            ImGui::TextDisabled("%s", tr("Building the model…"));
        return;
    }
    if (!selection_loaded_) {
        selected_ = ctx.settings.text("model.selected", "");
        selection_loaded_ = true;
    }
    // Charts from the start: a first look should show what the tab is for.
    if (selected_.empty())
        for (const auto& row : *s.layers)
            if (row.depth > 0 && row.parameters > 0) {
                selected_ = row.name;
                break;
            }
    refresh(s, ctx.settings.number("model.log_scale", 1) != 0);
    if (s.config.model != model_name_) fields_ = receptive_field_texts(s.config.model);
    model_name_ = s.config.model;
    const std::vector<LayerRow>& layers = *layers_;

    draw_summary(ctx, layers);
    // The table takes what its rows need, up to about half the tab; the charts get the rest.
    const float row_h = ImGui::GetFrameHeight() + ImGui::GetStyle().CellPadding.y * 2;
    const float avail = ImGui::GetContentRegionAvail().y;
    const float wanted = row_h * (static_cast<float>(layers.size()) + 2.2f);  // + header, total
    draw_table(ctx, layers, std::clamp(wanted, std::min(avail, 8 * row_h), avail * 0.55f));
    ImGui::Spacing();
    draw_details(ctx, layers);
}

void ModelPanel::draw_summary(PanelContext& ctx, const std::vector<LayerRow>& layers) {
    const TrainerSnapshot& s = ctx.snapshot;
    int networks = 0;
    for (const auto& row : layers) networks += row.depth == 0;
    ImGui::AlignTextToFramePadding();
    ImGui::Text("%s", s.config.model.c_str());
    ImGui::SameLine();
    ImGui::TextDisabled(
        networks == 1 ? tr("· %d network · %s parameters") : tr("· %d networks · %s parameters"),
        networks, format_count(total_parameters(layers)).c_str());
    if (params_ && params_->rows() > 0) {
        ImGui::SameLine();
        ImGui::TextDisabled(tr("· norms at step %lld"),
                            static_cast<long long>(params_->steps.back()));
    }

    ImGui::SameLine();
    bool log_scale = log_scale_;
    if (ImGui::Checkbox(tr("Log scale"), &log_scale))
        ctx.settings.set_number("model.log_scale", log_scale ? 1 : 0);
    if (ImGui::IsItemHovered())
        wrapped_tooltip(
            tr("Plot log10 of the norms. Gradients move by orders of magnitude, which a linear "
               "axis flattens into a line at 0."));

    // The networks' gradients side by side: the quickest sign that one is starving the other.
    if (networks < 2 || !grads_) return;
    std::string line;
    float lo = FLT_MAX, hi = 0;
    std::string lo_name, hi_name;
    for (size_t i = 0; i < layers.size(); ++i) {
        if (layers[i].depth != 0) continue;
        const float g = latest(norms_[i].grad);
        line += (line.empty() ? "" : ",  ") + layers[i].name + " " + format_value(g);
        if (!(g > 0)) continue;
        if (g < lo) lo = g, lo_name = layers[i].name;
        if (g > hi) hi = g, hi_name = layers[i].name;
    }
    ImGui::TextDisabled(tr("‖∂L/∂θ‖ now: %s"), line.c_str());
    if (hi_name.empty() || lo_name == hi_name || hi < 10 * lo) return;
    ImGui::SameLine();
    ImGui::TextColored(tone_colour(Tone::warning), tr("%s's gradients are %.0f× %s's"),
                       hi_name.c_str(), hi / lo, lo_name.c_str());
    if (ImGui::IsItemHovered()) wrapped_tooltip(grad_help());
}

std::string ModelPanel::row_label(const LayerRow& row) const {
    std::string label = leaf_name(row.name);
    if (row.depth == 0) {
        const char* role = network_role(row.name, model_name_);
        if (*role) label += std::string("  ") + role;
    }
    return label;
}

// The Layer column's width: its widest label, indented by depth, beside a tree arrow.
float ModelPanel::name_column_width(const std::vector<LayerRow>& layers) const {
    const ImGuiStyle& style = ImGui::GetStyle();
    float widest = 0;
    for (const LayerRow& row : layers)
        widest = std::max(widest, ImGui::CalcTextSize(row_label(row).c_str()).x +
                                      static_cast<float>(row.depth) * style.IndentSpacing);
    return widest + ImGui::GetFontSize() + 4 * style.FramePadding.x;
}

void ModelPanel::draw_table(PanelContext& ctx, const std::vector<LayerRow>& layers, float height) {
    const ImGuiTableFlags flags = ImGuiTableFlags_Resizable | ImGuiTableFlags_RowBg |
                                  ImGuiTableFlags_BordersInnerV | ImGuiTableFlags_BordersOuter |
                                  ImGuiTableFlags_ScrollY | ImGuiTableFlags_SizingFixedFit;
    const float u = ctx.ui_scale;
    // What each column needs; on a narrow window (a projector at 1280 px and scale 1.5) the
    // least needed step aside: the details below the table repeat the type, the Receptive
    // Field tab draws the fields.
    const std::vector<TableColumn> columns = {{name_column_width(layers), 0},
                                              {118 * u, 1},
                                              {108 * u, 5},
                                              {70 * u, 3},
                                              {80 * u, 0},
                                              {60 * u, 2},
                                              {90 * u, 0},
                                              {90 * u, 0},
                                              {58 * u, 4}};
    const ImGuiStyle& style = ImGui::GetStyle();
    const std::vector<bool> shown =
        columns_that_fit(columns, ImGui::GetContentRegionAvail().x - style.ScrollbarSize,
                         2 * style.CellPadding.x + 1);
    // A new table for each model and UI scale: ImGui takes the widths above only when a table
    // is created (the user's own resizing is kept for that model and scale).
    char id[96];
    std::snprintf(id, sizeof id, "layers##%s@%.2f", model_name_.c_str(), u);
    if (!ImGui::BeginTable(id, kColumns, flags, ImVec2(0, height))) return;
    const auto setup = [&](const char* name, Column c, ImGuiTableColumnFlags f) {
        if (!shown[c]) f |= ImGuiTableColumnFlags_Disabled;
        const bool stretch = f & ImGuiTableColumnFlags_WidthStretch;
        ImGui::TableSetupColumn(name, f, stretch ? 0.0f : columns[c].min_width);
    };
    ImGui::TableSetupScrollFreeze(0, 1);
    setup(tr("Layer"), kName, ImGuiTableColumnFlags_NoHide);
    setup(tr("Type"), kType, 0);
    setup(tr("Output"), kOutput, 0);
    setup(tr("Field"), kField, 0);
    setup(tr("Parameters"), kParams, 0);
    setup(tr("Share"), kShare, 0);
    // On two lines: the stretched columns are too narrow for one at 1280 pixels.
    setup(tr("‖θ‖ now,\nover steps"), kTheta, ImGuiTableColumnFlags_WidthStretch);
    setup(tr("‖∂L/∂θ‖ now,\nover steps"), kGrad, ImGuiTableColumnFlags_WidthStretch);
    setup("grad/θ", kRatio, 0);

    const char* header_help[kColumns] = {
        tr("Networks and their layers; click a row to chart its tensors below."),
        tr("The module's class."),
        tr("The layer's output for one example, traced through a forward pass; B is the batch. — "
           "means the layer did not run."),
        tr("The receptive field: how many input pixels (per side) one unit of the layer's output "
           "can see, measured from the network's input (for a generator, the map its first layer "
           "is reshaped to). After upsampling, neighbouring units see differently many: one number "
           "per output phase (2|3|3|2). The Receptive Field tab draws them."),
        tr("Parameters of the module and its children; a network's row is its total."),
        tr("The share of all the model's parameters."),
        param_help(),
        grad_help(),
        ratio_help()};
    ImGui::TableNextRow(ImGuiTableRowFlags_Headers);
    for (int c = 0; c < kColumns; ++c) {
        if (!ImGui::TableSetColumnIndex(c)) continue;
        ImGui::TableHeader(ImGui::TableGetColumnName(c));
        if (ImGui::IsItemHovered()) wrapped_tooltip(header_help[c]);
    }

    const int64_t total = total_parameters(layers);
    for (size_t i = 0; i < layers.size();) i = draw_subtree(layers, i, total);

    ImGui::TableNextRow();
    ImGui::TableSetColumnIndex(kName);
    ImGui::TextDisabled("%s", tr("Total"));
    ImGui::TableSetColumnIndex(kParams);
    right_aligned(format_count(total));
    ImGui::EndTable();
    (void)ctx;
}

size_t ModelPanel::draw_subtree(const std::vector<LayerRow>& layers, size_t i, int64_t total) {
    const LayerRow& row = layers[i];
    const bool has_children = i + 1 < layers.size() && layers[i + 1].depth > row.depth;
    ImGui::TableNextRow(0, ImGui::GetFrameHeight());
    ImGui::TableSetColumnIndex(kName);
    ImGuiTreeNodeFlags flags = ImGuiTreeNodeFlags_SpanFullWidth | ImGuiTreeNodeFlags_OpenOnArrow |
                               ImGuiTreeNodeFlags_OpenOnDoubleClick |
                               ImGuiTreeNodeFlags_FramePadding;  // level with the sparklines
    if (row.depth == 0) flags |= ImGuiTreeNodeFlags_DefaultOpen;
    if (!has_children) flags |= ImGuiTreeNodeFlags_Leaf | ImGuiTreeNodeFlags_NoTreePushOnOpen;
    if (row.name == selected_) {
        flags |= ImGuiTreeNodeFlags_Selected;
        // The node's highlight stops at its column; the row's colour marks the whole row.
        ImGui::TableSetBgColor(ImGuiTableBgTarget_RowBg1,
                               ImGui::GetColorU32(ImGuiCol_Header, 0.45f));
    }

    const std::string label = row_label(row);
    ImGui::PushID(row.name.c_str());
    const bool open = ImGui::TreeNodeEx("node", flags, "%s", label.c_str());
    if (ImGui::IsItemClicked() && !ImGui::IsItemToggledOpen()) selected_ = row.name;
    if (ImGui::IsItemHovered() && row.depth > 0) ImGui::SetTooltip("%s", row.name.c_str());
    draw_cells(row, i, total);
    ImGui::PopID();

    size_t j = i + 1;
    if (has_children) {
        while (j < layers.size() && layers[j].depth > row.depth)
            j = open ? draw_subtree(layers, j, total) : j + 1;
        if (open) ImGui::TreePop();
    }
    return j;
}

void ModelPanel::draw_cells(const LayerRow& row, size_t i, int64_t total) {
    if (ImGui::TableSetColumnIndex(kType)) {
        ImGui::AlignTextToFramePadding();
        if (row.depth == 0)
            ImGui::TextDisabled("%s", row.type.c_str());
        else
            ImGui::TextUnformatted(row.type.c_str());
    }

    if (ImGui::TableSetColumnIndex(kOutput)) {
        ImGui::AlignTextToFramePadding();
        if (row.output.empty()) {
            ImGui::TextDisabled("—");
            if (ImGui::IsItemHovered())
                ImGui::SetTooltip("%s", tr("This module did not run in the traced pass."));
        } else {
            ImGui::TextUnformatted(format_batch_shape(row.output).c_str());
        }
    }

    if (ImGui::TableSetColumnIndex(kField)) {
        ImGui::AlignTextToFramePadding();
        if (auto it = fields_.find(row.name); it != fields_.end())
            ImGui::TextUnformatted(it->second.c_str());
    }

    ImGui::TableSetColumnIndex(kParams);
    ImGui::AlignTextToFramePadding();
    right_aligned(format_count(row.parameters), row.parameters == 0);

    if (ImGui::TableSetColumnIndex(kShare) && row.parameters > 0 && total > 0) {
        const double share = static_cast<double>(row.parameters) / total;
        ImGui::ProgressBar(static_cast<float>(share), ImVec2(-FLT_MIN, 0),
                           format_share(share).c_str());
    }

    if (row.parameters == 0) return;  // no tensors, no norms
    const LayerNorms& n = norms_[i];
    ImGui::TableSetColumnIndex(kTheta);
    if (value_and_trend("##theta", latest(n.param), n.param_plot, log_scale_, "‖θ‖", kParamColor))
        selected_ = row.name;
    ImGui::TableSetColumnIndex(kGrad);
    if (value_and_trend("##grad", latest(n.grad), n.grad_plot, log_scale_, "‖∂L/∂θ‖", kGradColor))
        selected_ = row.name;
    if (ImGui::TableSetColumnIndex(kRatio)) {
        ImGui::AlignTextToFramePadding();
        value_cell(latest(n.ratio));
    }
}

void ModelPanel::draw_details(PanelContext& ctx, const std::vector<LayerRow>& layers) {
    if (ctx.settings.text("model.selected", "") != selected_)
        ctx.settings.set_text("model.selected", selected_);
    const auto it = std::find_if(layers.begin(), layers.end(),
                                 [&](const LayerRow& r) { return r.name == selected_; });
    if (it == layers.end()) {
        ImGui::TextDisabled("%s",
                            tr("Click a layer to chart its weight and bias norms over training."));
        return;
    }
    const LayerRow& row = *it;
    ImGui::Text("%s", row.name.c_str());
    ImGui::SameLine();
    ImGui::TextDisabled(tr("%s · %s parameters · output %s"), row.type.c_str(),
                        format_count(row.parameters).c_str(),
                        format_batch_shape(row.output).c_str());
    if (row.type.find("Norm") != std::string::npos) {
        ImGui::SameLine();
        help_marker(batch_norm_help());
    }
    if (!params_ || row.parameters == 0) {
        ImGui::TextDisabled("%s", tr("This module has no parameters of its own to chart."));
        return;
    }
    const std::vector<size_t> columns = columns_under(params_->names, row.name);

    ImGui::BeginChild("charts");
    const float height = std::max(64 * ctx.ui_scale, ImGui::GetTextLineHeight() * 3.4f);
    const ImGuiTableFlags flags = ImGuiTableFlags_BordersInnerH | ImGuiTableFlags_SizingStretchSame;
    if (ImGui::BeginTable("tensors", 4, flags)) {
        ImGui::TableSetupColumn(tr("tensor"), ImGuiTableColumnFlags_WidthFixed, 110 * ctx.ui_scale);
        ImGui::TableSetupColumn("‖θ‖");
        ImGui::TableSetupColumn("‖∂L/∂θ‖");
        ImGui::TableSetupColumn("‖∂L/∂θ‖ / ‖θ‖");
        ImGui::TableNextRow(ImGuiTableRowFlags_Headers);
        const char* help[] = {tr("Each of the layer's parameter tensors."), param_help(),
                              grad_help(), ratio_help()};
        for (int c = 0; c < 4; ++c) {
            ImGui::TableSetColumnIndex(c);
            ImGui::TableHeader(ImGui::TableGetColumnName(c));
            if (ImGui::IsItemHovered()) wrapped_tooltip(help[c]);
        }
        const LayerNorms& n = norms_[static_cast<size_t>(it - layers.begin())];
        if (columns.size() > 1) draw_tensor_charts(tr("all together"), n.param, n.grad, height);
        for (size_t c : columns) {
            const std::string& name = params_->names[c];
            const std::vector<float>* grad = grads_ ? grads_->column(name) : nullptr;
            draw_tensor_charts(tensor_label(name, row.name), params_->columns[c],
                               grad ? *grad : std::vector<float>{}, height);
        }
        ImGui::EndTable();
    }
    ImGui::EndChild();
}

void ModelPanel::draw_tensor_charts(const std::string& label, const std::vector<float>& param,
                                    const std::vector<float>& grad, float height) {
    ImGui::TableNextRow();
    ImGui::PushID(label.c_str());
    ImGui::TableSetColumnIndex(0);
    ImGui::TextUnformatted(label.c_str());
    static const std::vector<int64_t> no_steps;
    const std::vector<int64_t>& param_steps = params_ ? params_->steps : no_steps;
    const std::vector<int64_t>& grad_steps = grads_ ? grads_->steps : no_steps;
    ImGui::TableSetColumnIndex(1);
    norm_chart("##theta", spark_series(param, param_steps, log_scale_), log_scale_, "‖θ‖",
               kParamColor, height);
    ImGui::TableSetColumnIndex(2);
    norm_chart("##grad", spark_series(grad, grad_steps, log_scale_), log_scale_, "‖∂L/∂θ‖",
               kGradColor, height);
    ImGui::TableSetColumnIndex(3);
    norm_chart("##ratio", spark_series(norm_ratio(grad, param), param_steps, log_scale_),
               log_scale_, "‖∂L/∂θ‖ / ‖θ‖", kRatioColor, height);
    ImGui::PopID();
}

GANVAS_REGISTER_PANEL(ModelPanel, 30, "Model");

}  // namespace ganvas::gui
