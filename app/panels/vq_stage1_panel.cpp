#include "panels/vq_stage1_panel.h"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <string>
#include <tuple>

#include "analysis/pca.h"
#include "i18n/tr.h"
#include "panels/session_start.h"
#include "widgets/tooltip.h"

namespace ganvas::gui {
namespace {

constexpr int kGroupsPerRow = 4;

// Which views this panel needs; without them (another model) it explains itself.
bool has_views(const ModelViews& v) {
    for (const char* name : {"originals", "reconstructions", "codes", "code_ids", "code_images",
                             "codebook", "encoder_outputs", "usage", "steps_unused"})
        if (!v.find(name).defined()) return false;
    return true;
}

// The image's (1, 28, 28) slice of a batch (N, 1, 28, 28).
Tensor image_at(const Tensor& batch, int64_t i) {
    Tensor one = Tensor::empty({1, batch.size(2), batch.size(3)});
    const int64_t n = one.numel();
    std::copy(batch.data() + i * n, batch.data() + (i + 1) * n, one.data());
    return one;
}

double hyper_value(const TrainerSnapshot& s, const char* name, double fallback) {
    for (auto& h : s.hyper_params)
        if (h.name == name) return h.value;
    return fallback;
}

}  // namespace

ImU32 code_colour(int64_t code, int alpha) {
    const float hue = std::fmod(static_cast<float>(code) * 0.618034f, 1.0f);
    const float sat = code % 2 ? 0.55f : 0.85f;  // neighbours differ in saturation too
    const float val = code % 3 == 0 ? 0.95f : 0.75f;
    float r, g, b;
    ImGui::ColorConvertHSVtoRGB(hue, sat, val, r, g, b);
    return IM_COL32(static_cast<int>(r * 255), static_cast<int>(g * 255), static_cast<int>(b * 255),
                    alpha);
}

void VqStage1Panel::upload(const ModelViews& v) {
    auto fill = [](std::vector<gl::Texture>& textures, const Tensor& batch) {
        textures.resize(static_cast<size_t>(batch.size(0)));
        for (int64_t i = 0; i < batch.size(0); ++i) textures[i].upload_image(image_at(batch, i));
    };
    fill(originals_, v.find("originals"));
    fill(reconstructions_, v.find("reconstructions"));
    fill(code_images_, v.find("code_images"));
    codes_ = v.find("codes");
    code_ids_ = v.find("code_ids");
    // The scatter is display work: computed here, once per new views, not in the model.
    std::tie(codebook_pca_, encoder_pca_) =
        project_together(v.find("codebook"), v.find("encoder_outputs"));
    usage_ = v.find("usage");
    steps_unused_ = v.find("steps_unused");
}

void VqStage1Panel::draw(PanelContext& ctx) {
    const TrainerSnapshot& s = ctx.snapshot;
    if (!settings_loaded_) {
        sort_usage_ = ctx.settings.number("vq1.sort_usage", 0) != 0;
        settings_loaded_ = true;
    }
    metrics_ = s.metrics;
    if (!s.views || !has_views(*s.views)) {
        draw_other_model(ctx);
        return;
    }
    if (s.views != views_) {
        views_ = s.views;
        upload(*views_);
    }
    const ImVec2 avail = ImGui::GetContentRegionAvail();
    const float sc = ctx.ui_scale;
    const float left_w = std::max(300.0f * sc, avail.x * 0.52f);
    const float right_w = std::max(200.0f * sc, avail.x - left_w - 8 * sc);
    const float plots_h = std::max(150.0f * sc, avail.y * 0.27f);
    const float top_h = std::max(300.0f * sc, avail.y - plots_h - 8 * sc);

    ImGui::BeginChild("vq1_left", ImVec2(left_w, top_h));
    ImGui::Text(tr("Step %lld"), static_cast<long long>(views_->step));
    ImGui::SameLine();
    help_marker(
        tr("A VQGAN's first stage is an autoencoder whose bottleneck is a list of codes: the "
           "encoder turns each 4x4 patch of a 28x28 image into a vector, the vector is replaced by "
           "the nearest of K codebook vectors, and the decoder rebuilds the image from the 7x7 "
           "grid of codes alone. Stage 2 then learns which code grids are likely."));
    draw_images(ctx, left_w);
    const float pca_h = ImGui::GetContentRegionAvail().y;
    if (pca_h > 80 * sc) draw_pca(ctx, left_w - 8 * sc, pca_h);
    ImGui::EndChild();
    ImGui::SameLine();
    ImGui::BeginChild("vq1_right", ImVec2(right_w, top_h));
    const float usage_h = top_h * 0.40f;
    draw_usage(ctx, right_w - 8 * sc, usage_h);
    draw_time_plots(ctx, right_w - 8 * sc, ImGui::GetContentRegionAvail().y);
    ImGui::EndChild();
    draw_plots(ctx, avail.x, ImGui::GetContentRegionAvail().y);
}

void VqStage1Panel::draw_other_model(PanelContext& ctx) {
    const TrainerSnapshot& s = ctx.snapshot;
    if (s.config.model == "vqgan28") {
        if (s.state == TrainerState::Failed) {  // the data or the model could not be loaded
            error_text(s.notice_is_error ? tr_phrase(s.notice) : tr("The session failed."));
        } else {
            text_wrapped(tr("Building the vqgan28 session…"));  // its views come with it
            ctx.animating = true;
        }
        return;
    }
    text_wrapped(
        tr("Stage 1 of a VQGAN: train the vqgan28 model (Experiment tab, or ganvas "
           "--model vqgan28) to see its reconstructions, code maps and codebook here."));
    ImGui::Spacing();
    ImGui::BeginDisabled(s.state == TrainerState::Loading);
    if (ImGui::Button(tr("Train vqgan28 here"))) {
        SessionConfig vq = s.config;
        vq.model = "vqgan28";
        vq.vq.clear();
        start_session(ctx, vq);
        ctx.trainer.run();
    }
    ImGui::EndDisabled();
    item_tooltip(
        tr("Starts a new session: vqgan28 on the same data, batch, seed and device, "
           "running at once. The current session's steps and weights are replaced; "
           "save the experiment first (Ctrl+S) to keep it."));
}

void VqStage1Panel::draw_images(PanelContext& ctx, float width) {
    const float sc = ctx.ui_scale;
    const float gap = 4 * sc;
    // Three squares per group: original, reconstruction, code map.
    const float cell = std::clamp((width / kGroupsPerRow - 16 * sc) / 3 - gap, 28 * sc, 84 * sc);
    ImGui::TextDisabled("%s", tr("original | reconstruction | code map   (hover a code cell)"));
    const int n = static_cast<int>(originals_.size());
    int hovered = -1, hr = -1, hc = -1;
    for (int i = 0; i < n; ++i) {
        if (i % kGroupsPerRow != 0) ImGui::SameLine(0, 16 * sc);
        ImGui::BeginGroup();
        ImGui::PushID(i);
        ImGui::Image(originals_[i].imgui_id(), ImVec2(cell, cell));
        ImGui::SameLine(0, gap);
        const ImVec2 rec_pos = ImGui::GetCursorScreenPos();
        ImGui::Image(reconstructions_[i].imgui_id(), ImVec2(cell, cell));
        if (ImGui::IsItemHovered())
            wrapped_tooltip(
                tr("The decoder's reconstruction from the 7x7 codes alone (eval mode)."));
        if (i == hovered_image_ && hovered_row_ >= 0) {  // the hovered code's patch
            const float step = cell / 7;
            const ImVec2 a(rec_pos.x + hovered_col_ * step, rec_pos.y + hovered_row_ * step);
            ImGui::GetWindowDrawList()->AddRect(a, ImVec2(a.x + step, a.y + step),
                                                IM_COL32(255, 60, 60, 255), 0, 0, 1.5f * sc);
        }
        ImGui::SameLine(0, gap);
        const int before = hovered_row_;
        hovered_row_ = -1;
        draw_code_map(ctx, i, cell);
        if (hovered_row_ >= 0) hovered = i, hr = hovered_row_, hc = hovered_col_;
        hovered_row_ = before;
        ImGui::PopID();
        ImGui::EndGroup();
    }
    hovered_image_ = hovered;
    hovered_row_ = hr;
    hovered_col_ = hc;
}

void VqStage1Panel::draw_code_map(PanelContext& ctx, int image, float size) {
    const int64_t h = codes_.size(1), w = codes_.size(2);
    const ImVec2 p0 = ImGui::GetCursorScreenPos();
    ImGui::InvisibleButton("codes", ImVec2(size, size));
    ImDrawList* dl = ImGui::GetWindowDrawList();
    const float cw = size / static_cast<float>(w), ch = size / static_cast<float>(h);
    const int64_t* c = codes_.data_i64() + image * h * w;
    for (int64_t r = 0; r < h; ++r)
        for (int64_t q = 0; q < w; ++q) {
            const ImVec2 a(p0.x + q * cw, p0.y + r * ch);
            dl->AddRectFilled(a, ImVec2(a.x + cw, a.y + ch), code_colour(c[r * w + q]));
        }
    if (!ImGui::IsItemHovered()) return;
    const ImVec2 m = ImGui::GetIO().MousePos;
    const int col = std::clamp(static_cast<int>((m.x - p0.x) / cw), 0, static_cast<int>(w) - 1);
    const int row = std::clamp(static_cast<int>((m.y - p0.y) / ch), 0, static_cast<int>(h) - 1);
    const ImVec2 a(p0.x + col * cw, p0.y + row * ch);
    dl->AddRect(a, ImVec2(a.x + cw, a.y + ch), IM_COL32(255, 255, 255, 255), 0, 0,
                2 * ctx.ui_scale);
    hovered_row_ = row;
    hovered_col_ = col;
    draw_code_tooltip(c[row * w + col], row, col);
}

void VqStage1Panel::draw_code_tooltip(int64_t code, int row, int col) {
    const int64_t* ids = code_ids_.data_i64();
    const int64_t u = code_ids_.numel();
    const int64_t slot = std::find(ids, ids + u, code) - ids;
    ImGui::BeginTooltip();
    ImGui::Text(tr("code %lld  (cell row %d, column %d)"), static_cast<long long>(code), row, col);
    if (slot < u && slot < static_cast<int64_t>(code_images_.size())) {
        const gl::Texture& t = code_images_[slot];
        // The 4x4 pixels this cell covers, from a grid decoded with this code everywhere.
        const float x0 = col * 4.0f / 28.0f, y0 = row * 4.0f / 28.0f;
        ImGui::Image(t.imgui_id(), ImVec2(72, 72), ImVec2(x0, y0),
                     ImVec2(x0 + 4.0f / 28.0f, y0 + 4.0f / 28.0f));
        ImGui::SameLine();
        ImGui::Image(t.imgui_id(), ImVec2(72, 72));
        ImGui::TextDisabled("%s", tr("left: the patch this code decodes to here;\nright: a 7x7 "
                                     "grid of this code alone, decoded"));
    }
    if (code < usage_.numel())
        ImGui::Text(tr("chosen %.0f times in the last steps"), usage_.data()[code]);
    ImGui::EndTooltip();
}

void VqStage1Panel::draw_usage(PanelContext& ctx, float width, float height) {
    const float sc = ctx.ui_scale;
    const int64_t k = usage_.numel();
    const double dead_after = hyper_value(ctx.snapshot, "dead_after", 20);
    int64_t used = 0, dead = 0;
    for (int64_t i = 0; i < k; ++i) {
        used += usage_.data()[i] > 0;
        dead += steps_unused_.data()[i] >= dead_after;
    }
    ImGui::Text(tr("Codebook usage: %lld of %lld codes used lately, %lld dead"),
                static_cast<long long>(used), static_cast<long long>(k),
                static_cast<long long>(dead));
    ImGui::SameLine();
    help_marker(
        tr("How often each code was chosen over the steps since the previous picture (one bar per "
           "code, coloured as on the code maps). A healthy codebook spreads its bars; a collapsed "
           "one uses a handful of codes. Red ticks: dead codes, unused for dead_after steps "
           "(restart_dead moves them onto encoder outputs)."));
    if (ImGui::Checkbox(tr("sort by use"), &sort_usage_))
        ctx.settings.set_number("vq1.sort_usage", sort_usage_ ? 1 : 0);
    std::vector<int64_t> order(static_cast<size_t>(k));
    std::iota(order.begin(), order.end(), 0);
    const float* u = usage_.data();
    if (sort_usage_)
        std::stable_sort(order.begin(), order.end(),
                         [u](int64_t a, int64_t b) { return u[a] > u[b]; });
    const float h = std::max(40 * sc, height - ImGui::GetTextLineHeightWithSpacing() * 2.5f);
    const ImVec2 p0 = ImGui::GetCursorScreenPos();
    ImGui::InvisibleButton("usage", ImVec2(width, h));
    ImDrawList* dl = ImGui::GetWindowDrawList();
    dl->AddRectFilled(p0, ImVec2(p0.x + width, p0.y + h), IM_COL32(25, 25, 30, 255));
    const float top = std::max(1.0f, *std::max_element(u, u + k));
    const float bw = width / static_cast<float>(k);
    for (int64_t j = 0; j < k; ++j) {
        const int64_t code = order[j];
        const float bh = (h - 4) * u[code] / top;
        const float x = p0.x + j * bw;
        dl->AddRectFilled(ImVec2(x, p0.y + h - bh), ImVec2(x + std::max(1.0f, bw - 0.5f), p0.y + h),
                          code_colour(code));
        if (steps_unused_.data()[code] >= dead_after)
            dl->AddRectFilled(ImVec2(x, p0.y + h - 3 * sc),
                              ImVec2(x + std::max(1.0f, bw), p0.y + h), IM_COL32(230, 50, 50, 255));
    }
    if (ImGui::IsItemHovered()) {
        const int64_t j = std::clamp<int64_t>(
            static_cast<int64_t>((ImGui::GetIO().MousePos.x - p0.x) / bw), 0, k - 1);
        const int64_t code = order[j];
        ImGui::SetTooltip(tr("code %lld: chosen %.0f times; last chosen %.0f steps ago"),
                          static_cast<long long>(code), u[code], steps_unused_.data()[code]);
    }
}

void VqStage1Panel::draw_pca(PanelContext& ctx, float width, float height) {
    const float sc = ctx.ui_scale;
    ImGui::TextUnformatted(tr("Codebook and encoder outputs, first two principal axes"));
    ImGui::SameLine();
    help_marker(
        tr("Each large dot is a codebook vector (coloured as on the code maps; hollow: not chosen "
           "lately), each small dot an encoder output of the images above, coloured by the code it "
           "was snapped to. The codebook and commitment losses pull codes and outputs together; "
           "codes far from every output are dead. PCA keeps the two directions of most variance of "
           "all the vectors, so distances are only roughly those of the full space."));
    const float h = std::max(60 * sc, height - ImGui::GetTextLineHeightWithSpacing() - 4 * sc);
    const ImVec2 p0 = ImGui::GetCursorScreenPos();
    ImGui::InvisibleButton("pca", ImVec2(width, h));
    ImDrawList* dl = ImGui::GetWindowDrawList();
    dl->AddRectFilled(p0, ImVec2(p0.x + width, p0.y + h), IM_COL32(25, 25, 30, 255));
    const int64_t k = codebook_pca_.size(0), m = encoder_pca_.size(0);
    float lo[2] = {1e30f, 1e30f}, hi[2] = {-1e30f, -1e30f};
    for (const Tensor* t : {&codebook_pca_, &encoder_pca_})
        for (int64_t i = 0; i < t->size(0); ++i)
            for (int d = 0; d < 2; ++d) {
                lo[d] = std::min(lo[d], t->data()[i * 2 + d]);
                hi[d] = std::max(hi[d], t->data()[i * 2 + d]);
            }
    const float margin = 10 * sc;
    auto to_screen = [&](const float* xy) {
        auto f = [&](int d, float extent) {
            const float span = std::max(hi[d] - lo[d], 1e-12f);
            return margin + (xy[d] - lo[d]) / span * (extent - 2 * margin);
        };
        return ImVec2(p0.x + f(0, width), p0.y + h - f(1, h));
    };
    const int64_t* codes = codes_.data_i64();
    for (int64_t i = 0; i < m && i < codes_.numel(); ++i)
        dl->AddCircleFilled(to_screen(encoder_pca_.data() + i * 2), 1.6f * sc,
                            code_colour(codes[i], 110));
    const float* u = usage_.data();
    int64_t nearest = -1;
    float best = 8 * sc * 8 * sc;
    const ImVec2 mouse = ImGui::GetIO().MousePos;
    const bool hovered = ImGui::IsItemHovered();
    for (int64_t c = 0; c < k; ++c) {
        const ImVec2 p = to_screen(codebook_pca_.data() + c * 2);
        if (u[c] > 0)
            dl->AddCircleFilled(p, 3.5f * sc, code_colour(c));
        else
            dl->AddCircle(p, 3.5f * sc, code_colour(c, 160), 0, 1.0f);
        const float d2 = (p.x - mouse.x) * (p.x - mouse.x) + (p.y - mouse.y) * (p.y - mouse.y);
        if (hovered && d2 < best) best = d2, nearest = c;
    }
    if (nearest >= 0) {
        dl->AddCircle(to_screen(codebook_pca_.data() + nearest * 2), 6 * sc,
                      IM_COL32(255, 255, 255, 255), 0, 1.5f);
        ImGui::SetTooltip(tr("code %lld: chosen %.0f times lately"),
                          static_cast<long long>(nearest), u[nearest]);
    }
}

void VqStage1Panel::draw_time_plots(PanelContext& ctx, float width, float height) {
    if (!metrics_) return;
    const MetricHistory& m = *metrics_;
    auto series = [&](const char* name, ImU32 colour, const char* help) {
        PlotSeries s;
        s.name = name;
        s.colour = colour;
        s.help = help;
        s.steps = m.steps;
        if (const auto* c = m.column(name)) s.values = *c;
        return s;
    };
    PlotOptions o;
    o.scale = ctx.ui_scale;
    const float h = (height - 8 * ctx.ui_scale) / 2;
    std::vector<PlotSeries> a = {
        series("perplexity", IM_COL32(90, 200, 120, 255),
               tr("exp(entropy) of the batch's code histogram: the number of equally used codes "
                  "that would give the same spread. K when all codes are used evenly.")),
        series("used_codes", IM_COL32(235, 200, 70, 255),
               tr("Distinct codes chosen in the batch."))};
    o.help = tr("How much of the codebook each batch uses.");
    plots_[5].draw(tr("Perplexity and used codes"), a, o, ImVec2(width, h));
    std::vector<PlotSeries> b = {series("dead_codes", IM_COL32(230, 90, 90, 255),
                                        tr("Codes not chosen for dead_after steps."))};
    o.help = tr("Codes nobody chose for dead_after steps (a setting of the model).");
    o.y_include = true;  // a count: 0 at the bottom, not a band around it
    o.y_include_lo = 0;
    o.y_include_hi = 1;
    plots_[6].draw(tr("Dead codes"), b, o, ImVec2(width, h));
}

void VqStage1Panel::draw_plots(PanelContext& ctx, float width, float height) {
    if (!metrics_) return;
    const MetricHistory& m = *metrics_;
    struct Term {
        const char* title;
        const char* column;
        ImU32 colour;
        const char* help;
    };
    const Term terms[] = {
        {tr("Reconstruction (L1)"), "rec", IM_COL32(80, 160, 240, 255),
         tr("mean |x - x̂|: how far reconstructions are from the images.")},
        {tr("Codebook"), "codebook", IM_COL32(235, 200, 70, 255),
         tr("|sg[z] - e|²: pulls each chosen code towards the encoder outputs snapped to it. 0 "
            "with EMA updates, which move the codes directly.")},
        {tr("Commitment"), "commitment", IM_COL32(160, 130, 240, 255),
         tr("β |z - sg[e]|² (β = 0.25): keeps the encoder's outputs near the codes they chose.")},
        {tr("GAN"), "gan", IM_COL32(240, 135, 60, 255),
         tr("Generator hinge loss -mean D(x̂) of the autoencoder, and the discriminator's hinge "
            "loss 0.5 (mean relu(1 - D(x)) + mean relu(1 + D(x̂))).")},
        {tr("Adaptive weight λ"), "lambda", IM_COL32(90, 200, 120, 255),
         tr("λ = |∇ L_rec| / (|∇ L_GAN| + 1e-4) at the decoder's last layer, clamped to [0, 1e4]: "
            "the GAN term gets as much say over that layer as the reconstruction term.")},
    };
    const float sc = ctx.ui_scale;
    const float w = (width - 4 * 8 * sc) / 5;
    PlotOptions o;
    o.scale = sc;
    o.smoothing = 0.6;
    for (int i = 0; i < 5; ++i) {
        if (i) ImGui::SameLine(0, 8 * sc);
        std::vector<PlotSeries> series(1);
        series[0].name = terms[i].column;
        series[0].colour = terms[i].colour;
        series[0].help = terms[i].help;
        series[0].steps = m.steps;
        if (const auto* c = m.column(terms[i].column)) series[0].values = *c;
        if (i == 3) {
            PlotSeries d;
            d.name = "d_loss";
            d.colour = IM_COL32(230, 90, 90, 255);
            d.help = tr("The patch discriminator's hinge loss.");
            d.steps = m.steps;
            if (const auto* c = m.column("d_loss")) d.values = *c;
            series.push_back(d);
        }
        o.help = terms[i].help;
        ImGui::BeginChild(terms[i].column, ImVec2(w, height));
        plots_[i].draw(terms[i].title, series, o, ImVec2(w, height - 4 * sc));
        ImGui::EndChild();
    }
}

GANVAS_REGISTER_PANEL(VqStage1Panel, 120, "VQ Stage 1");

}  // namespace ganvas::gui
