// TensorBoard tab: a TensorBoard log folder read into the window (data/
// tensorboard_reader.h), so a PyTorch run logged with torch.utils.tensorboard and a
// Ganvas run of the same model are compared on the same axes.
//
// A path field (remembered as tensorboard.log_path) opens the folder; it is read on
// a background thread, and again by Reload. Every scalar tag gets a plot with one
// line per run, in the run's colour of the legend above; the images of a tag are shown
// run beside run at the step a slider picks (each run's latest image at or before
// it); text summaries (a run's settings) sit below. A damaged file is read up to the
// damage and its one-line warning is shown.
#pragma once

#include <future>
#include <memory>
#include <string>
#include <vector>

#include "data/tensorboard_reader.h"
#include "gl/texture.h"
#include "panels/panel.h"
#include "widgets/plot.h"

namespace ganvas::gui {

class TensorBoardPanel : public Panel {
public:
    // `start`: a log folder to open at once (`ganvas --tensorboard DIR`); "": none.
    explicit TensorBoardPanel(const std::string& start = "");
    const char* title() const override { return "TensorBoard"; }
    void draw(PanelContext& ctx) override;

    // Starts reading `dir` in the background (replacing what is shown once read).
    void open(const std::string& dir);
    // Takes the folder read, if the background read has finished; true when it has.
    bool poll(bool wait = false);
    bool loading() const { return loading_.valid(); }
    const std::vector<TensorBoardRun>& runs() const { return runs_; }
    const std::string& error() const { return error_; }

    // One scalar tag's plot: a line per run holding the tag.
    struct TagPlot {
        std::string tag;
        std::vector<PlotSeries> series;  // spans into lines
        std::vector<std::vector<int64_t>> steps;
        std::vector<std::vector<float>> values;
        Plot plot;
    };
    const std::vector<std::unique_ptr<TagPlot>>& plots() const { return plots_; }
    // Every step at which some run logged an image under `tag`, ascending.
    std::vector<int64_t> image_steps(const std::string& tag) const;

private:
    struct Loaded {
        std::vector<TensorBoardRun> runs;
        std::string error;
    };
    void rebuild();
    void draw_toolbar(PanelContext& ctx);
    void draw_runs();
    void draw_scalars(PanelContext& ctx);
    void draw_images(PanelContext& ctx);
    void draw_texts();

    char path_buf_[1024] = {};
    bool path_loaded_ = false;  // the field holds the setting (or the start folder)
    std::string shown_dir_;     // the folder whose runs are shown
    std::future<Loaded> loading_;
    std::vector<TensorBoardRun> runs_;
    std::string error_;
    std::vector<std::unique_ptr<TagPlot>> plots_;
    std::vector<std::string> image_tags_;
    int image_tag_ = 0;
    int image_step_index_ = -1;  // into image_steps(tag); -1: the newest
    // A texture per run for the image shown, and which image it holds.
    struct Shown {
        gl::Texture texture;
        std::string key;  // tag and step
        std::string error;
    };
    std::vector<Shown> shown_;
};

// The sidebar's "Log to TensorBoard" checkbox: the session logs into a run folder
// under the TensorBoard tab's log folder.
void tensorboard_log_checkbox(PanelContext& ctx);

// The colour of run `i` in plots and the legend.
ImU32 run_colour(size_t i);

}  // namespace ganvas::gui
