#include "panels/class_rows.h"

#include <algorithm>
#include <cmath>

#include "gui/fonts.h"
#include "i18n/tr.h"
#include "io/image_png.h"
#include "widgets/tooltip.h"

namespace ganvas::gui {
namespace {

using i18n::tr;

// A dropped answer (a reset empties the trainer's queue) is asked for again after this.
constexpr double kRequestTimeoutS = 3.0;
// Training moves the generator on; the draw is re-rendered at most this often.
constexpr double kRefreshIntervalS = 1.0;
constexpr int kPickerColumns = 8;

}  // namespace

std::string ClassRows::class_name(const TrainerSnapshot& s, int64_t c) {
    if (s.dataset && c >= 0 && c < static_cast<int64_t>(s.dataset->class_names.size()))
        return s.dataset->class_names[c];
    return std::to_string(c);
}

const Tensor& ClassRows::cell_noise(const TrainerSnapshot& s) {
    if (!active(s) || !s.fixed_noise.defined() || s.fixed_noise.size(0) < kClassGridColumns)
        return s.fixed_noise;
    if (!source_.same(s.fixed_noise) ||
        cells_.size(0) != class_grid_rows(s.classes) * kClassGridColumns) {
        source_ = s.fixed_noise;
        cells_ = class_grid(s.fixed_noise, s.classes).noise;  // (classes * 8, z_dim)
    }
    return cells_;
}

Tensor ClassRows::walk_labels(const TrainerSnapshot& s, int a, int steps) const {
    if (!active(s)) return {};
    Tensor labels = Tensor::empty({steps}, DType::i64);  // (steps,)
    const int64_t c = std::clamp<int64_t>(a / kClassGridColumns, 0, class_grid_rows(s.classes) - 1);
    std::fill(labels.data_i64(), labels.data_i64() + steps, c);
    return labels;
}

void ClassRows::draw_row_labels(const TrainerSnapshot& s, ImVec2 origin, float row_pitch,
                                float cell) {
    if (!active(s)) return;
    ImDrawList* draw = ImGui::GetWindowDrawList();
    const float gap = ImGui::GetStyle().ItemSpacing.x;
    const ImU32 color = ImGui::GetColorU32(ImGuiCol_Text);
    for (int64_t c = 0; c < class_grid_rows(s.classes); ++c) {
        const std::string name = class_name(s, c);
        note_glyphs(name);
        const ImVec2 size = ImGui::CalcTextSize(name.c_str());
        const float y = origin.y + c * row_pitch + (cell - size.y) / 2;
        draw->AddText(ImVec2(origin.x - gap - size.x, y), color, name.c_str());
    }
}

void ClassPicker::request(PanelContext& ctx) {
    const TrainerSnapshot& s = ctx.snapshot;
    Rng rng(++draws_);
    pending_noise_ = rng.randn({count_, s.fixed_noise.size(1)});  // (N, z_dim)
    pending_labels_ = Tensor::empty({count_}, DType::i64);
    std::fill(pending_labels_.data_i64(), pending_labels_.data_i64() + count_, class_);
    pending_ = ctx.trainer.generate(pending_noise_, pending_labels_);
    asked_ = Clock::now();
}

void ClassPicker::take_answer(const TrainerSnapshot& s) {
    if (!pending_ || s.generated_request != pending_ || !s.generated) return;
    pending_ = 0;
    frame_ = s.generated;
    frame_class_ = static_cast<int>(pending_labels_.data_i64()[0]);
    frame_seed_ = draws_;
    const Tensor& images = frame_->images;  // (N, 1, 28, 28)
    texture_.upload_image(
        make_grid(images, std::min<int>(kPickerColumns, static_cast<int>(images.size(0))), 1));
}

void ClassPicker::draw(PanelContext& ctx, float width) {
    const TrainerSnapshot& s = ctx.snapshot;
    if (!ClassRows::active(s) || !s.fixed_noise.defined()) return;
    ImGui::TextUnformatted(tr("Draw a class"));
    item_tooltip(
        tr("New samples of the class you choose, from fresh noise, re-rendered as training goes "
           "on. Each draw has its own seed, so a draw can be repeated."));
    class_ = std::clamp(class_, 0, static_cast<int>(s.classes) - 1);
    bool changed = false;
    const std::string current = ClassRows::class_name(s, class_);
    note_glyphs(current);
    ImGui::SetNextItemWidth(width * 0.55f);
    if (ImGui::BeginCombo(tr("which class"), current.c_str())) {
        for (int c = 0; c < static_cast<int>(s.classes); ++c) {
            const std::string name = ClassRows::class_name(s, c);
            note_glyphs(name);
            ImGui::PushID(c);
            if (ImGui::Selectable(name.c_str(), c == class_)) {
                changed = c != class_;
                class_ = c;
            }
            ImGui::PopID();
        }
        ImGui::EndCombo();
    }
    ImGui::SetNextItemWidth(width * 0.55f);
    changed |= ImGui::SliderInt(tr("how many"), &count_, 1, 32, "%d", ImGuiSliderFlags_AlwaysClamp);
    count_ = std::clamp(count_, 1, 32);
    const bool ready = s.state != TrainerState::Loading && s.state != TrainerState::Failed;
    ImGui::BeginDisabled(!ready);
    // The first draw comes by itself, so the picker shows what it does.
    const bool first = !frame_ && !pending_ && ready;
    if (ImGui::Button(tr("Draw samples")) || (changed && ready) || first) request(ctx);
    ImGui::EndDisabled();
    item_tooltip(tr("Draw again with the next seed."));

    take_answer(s);
    // The same draw again when the answer was dropped, or, as training moves on, now and
    // then, so the samples show the generator of the moment.
    const double since = std::chrono::duration<double>(Clock::now() - asked_).count();
    const bool stale = !pending_ && frame_ && frame_->step != s.step && since > kRefreshIntervalS;
    if ((pending_ && since > kRequestTimeoutS) || (stale && ready)) {
        pending_ = ctx.trainer.generate(pending_noise_, pending_labels_);
        asked_ = Clock::now();
    }
    if (!frame_ || !texture_.valid()) {
        ImGui::TextDisabled("%s",
                            pending_ ? tr("Drawing...") : tr("Choose a class, then Draw samples."));
        return;
    }
    const float aspect = static_cast<float>(texture_.height()) / texture_.width();
    ImGui::Image(texture_.imgui_id(), ImVec2(width, std::floor(width * aspect)));
    const std::string name = ClassRows::class_name(s, frame_class_);
    ImGui::TextDisabled(tr("%d of %s, seed %llu, step %lld"),
                        static_cast<int>(frame_->images.size(0)), name.c_str(),
                        static_cast<unsigned long long>(frame_seed_),
                        static_cast<long long>(frame_->step));
}

}  // namespace ganvas::gui
