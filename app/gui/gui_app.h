// GuiApp: the window's main loop. Each frame: poll input, take the newest
// training snapshot, draw the menu bar, the workspace bar, the Experiment
// sidebar (beside the panels that show the session), the workspace's tabs and
// the status bar, render. Training itself runs on the LiveTrainer's thread.
#pragma once

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "backend/device.h"

namespace ganvas::gui {

struct GuiOptions {
    std::string screenshot;        // write a PNG of the window here, then exit
    int frames = 5;                // frames rendered before the screenshot
    std::string tab;               // the tab to show ("Losses", "Samples", ...; any case)
    std::string workspace;         // the workspace to show ("Train", "VQGAN", ...; any case)
    double scale = 0;              // the UI scale (0.5–3); 0: the one last chosen
    bool presentation = false;     // start in presentation mode
    std::string audit_layout;      // visit every tab, write what is clipped or missing here, exit
    int64_t train_steps = 0;       // steps trained before the screenshot
    std::string timing;            // write frame and training timings as JSON here ("-": stdout)
    bool continuous = false;       // draw every frame (up to 60 fps), as while the user interacts
    std::string model, data;       // the session to start with; empty: the last one applied
    std::optional<Device> device;  // where it trains; unset: the last one applied
    std::string lab;               // the GAN Lab's start (parse_toy_lab_spec); empty: its default
    std::string checkpoint;        // a `ganvas train` checkpoint to open (its model, data, curves)
    std::vector<std::pair<std::string, double>> settings;  // model settings (--set)
    std::string lang;         // "en" or "zh-CN"; empty: the language last chosen, else $LANG
    std::string theme;        // "dark" or "light"; empty: the theme last chosen, else dark
    std::string tensorboard;  // a TensorBoard log folder to open in the TensorBoard tab
    std::string lesson;       // a lesson to open (a name in assets/lessons or a file); empty: none
    int lesson_step = 1;      // at this step (1-based)
    int width = 1280, height = 800;
};

// Opens the window and runs until it closes. Returns the exit status; when no
// window can be opened it returns -1 and `why` says why (the caller falls back
// to a headless run).
int run_gui(const GuiOptions& options, std::string* why);

}  // namespace ganvas::gui
