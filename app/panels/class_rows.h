// The Samples tab for a conditional generator (cdcgan28): its grid has one row per
// class (core's class_grid: the same noise down each column), so each row is labelled
// with its class; the latent walk stays in the class of its start; and a class picker
// draws N fresh samples of any class on demand.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>

#include <imgui.h>

#include "gl/texture.h"
#include "panels/panel.h"

namespace ganvas::gui {

class ClassRows {
public:
    // Whether the snapshot's grid is class rows.
    static bool active(const TrainerSnapshot& s) { return s.classes > 0; }
    // Class c's name: the data's, else its number.
    static std::string class_name(const TrainerSnapshot& s, int64_t c);

    // The noise behind each grid cell: the fixed noise itself, or class_grid's for class
    // rows. The same tensor while the fixed noise is, so the walk's cache key holds.
    const Tensor& cell_noise(const TrainerSnapshot& s);
    // For class rows, the class of cell `a`, `steps` times, so the walk keeps it;
    // otherwise undefined (the generator reads noise alone).
    Tensor walk_labels(const TrainerSnapshot& s, int a, int steps) const;

    // Each row's class name, right-aligned to the left of a grid drawn at `origin`
    // (screen pixels) whose rows are `row_pitch` apart and cells `cell` high.
    static void draw_row_labels(const TrainerSnapshot& s, ImVec2 origin, float row_pitch,
                                float cell);

private:
    Tensor source_, cells_;  // the fixed noise seen last and its cells' noise
};

class ClassPicker {
public:
    void draw(PanelContext& ctx, float width);

private:
    using Clock = std::chrono::steady_clock;
    void request(PanelContext& ctx);
    void take_answer(const TrainerSnapshot& s);

    int class_ = 0, count_ = 16;
    uint64_t draws_ = 0;  // the seed of the next draw: a draw is reproducible
    uint64_t pending_ = 0;
    Tensor pending_noise_, pending_labels_;  // asked again if the answer is dropped
    Clock::time_point asked_{};
    std::shared_ptr<const SampleFrame> frame_;
    int frame_class_ = 0;
    uint64_t frame_seed_ = 0;
    gl::Texture texture_;
};

}  // namespace ganvas::gui
