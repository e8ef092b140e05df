// The Experiment sidebar: what is trained on what (model, data, batch, seed,
// device), the run controls, every setting of the model with a tooltip, and
// saving or loading the whole experiment.
#pragma once

#include <map>
#include <string>

#include "panels/panel.h"

namespace ganvas::gui {

class ExperimentPanel : public Panel {
public:
    const char* title() const override { return "Experiment"; }
    void draw(PanelContext& ctx) override;

    // The experiment file Ctrl+S writes and Load reads.
    std::string experiment_path(const Settings& settings) const;
    // Opens the Reset question on the next frame: every way to reset (the button,
    // R, the menu, the alarm) asks before the run is thrown away.
    void ask_reset() { reset_asked_ = true; }

private:
    void draw_session(PanelContext& ctx);
    void draw_controls(PanelContext& ctx);
    // The Reset button's question: a reset throws the run's steps and weights away.
    void draw_reset_confirmation(PanelContext& ctx);
    void draw_settings(PanelContext& ctx);
    void draw_files(PanelContext& ctx);

    bool reset_asked_ = false;
    bool editing_ = false;  // the session fields hold the user's edits, not the snapshot's
    SessionConfig edit_;
    char data_buf_[512] = {};
    char path_buf_[512] = {};
    bool path_loaded_ = false;
};

}  // namespace ganvas::gui
