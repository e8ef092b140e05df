// `ganvas [--screenshot FILE ...]`: the window, or, where no window can open,
// the default experiment headless.
#include <cstdio>
#include <filesystem>

#include "cli/args.h"
#include "cli/commands.h"
#include "data/dataset.h"
#include "gui/gui_app.h"
#include "gui/workspaces.h"
#include "i18n/tr.h"
#include "lessons/lesson_file.h"
#include "train/session.h"
#include "train/toy_lab.h"

namespace ganvas::cli {

int run_window(const Argv& argv) {
    Args args(
        argv,
        "ganvas [--screenshot FILE.png [--frames N] [--tab NAME | --workspace NAME]] "
        "[--presentation] [...]",
        {{"screenshot", "FILE.png", "render the window, save it as a PNG, exit"},
         {"frames", "N", "frames drawn before the screenshot (default 5)"},
         {"tab", "NAME", "the tab to show, in its workspace (Losses, Samples, ...; any case)"},
         {"workspace", "NAME", "the workspace to show (Train, GAN & WGAN, ...; any case)"},
         {"scale", "S", "the UI scale, 0.5 to 3 (default: the last chosen, else 1)"},
         {"presentation", "", "presentation mode: full screen, large type and pointer (F11)"},
         {"audit-layout", "FILE.json",
          "show every tab in turn, write the clipped text and missing glyphs found, exit"},
         {"train-steps", "K", "steps trained before the screenshot (default 0)"},
         {"size", "WxH", "the window's size (default 1280x800)"},
         {"timing", "FILE.json|-", "write frame and training timings as JSON (-: stdout)"},
         {"continuous", "", "draw every frame, as while the user interacts"},
         {"model", "M", "the model to start with"},
         {"data", "D", "the data set to start with"},
         {"device", "cpu|gpu", "where the session trains (default: the last one applied)"},
         {"columns", "COLS.json", "tfrecord: data's feature columns (instead of image=, label=)"},
         {"set", "NAME=V,...", "the model's settings"},
         {"checkpoint", "RUN/checkpoint.safetensors", "open a train run: its model, data, curves"},
         {"lab", "SPEC", "the GAN Lab's start: data=ring8,objective=minimax,..."},
         {"lang", "en|zh-CN", "the interface's language (default: the last chosen, else $LANG)"},
         {"theme", "dark|light", "the colours (default: the last chosen, else dark)"},
         {"tensorboard", "DIR", "open a TensorBoard log folder in the TensorBoard tab"},

         {"lesson", "NAME|FILE.json", "open a lesson (assets/lessons/NAME.json, or a file)"},
         {"lesson-step", "N", "at step N (default 1)"}});
    gui::GuiOptions options;
    options.screenshot = args.str("screenshot");
    options.frames = static_cast<int>(args.integer("frames", 5, 1, 100000));
    options.tab = args.str("tab");
    options.workspace = args.str("workspace");
    {
        // A name that is not there fails now, with the names that are, not in the window.
        const gui::Arrangement arrangement = gui::arrange_workspaces(gui::registered_panels());
        std::string names;
        for (const gui::Workspace& w : arrangement.workspaces)
            names += (names.empty() ? "" : ", ") + w.name;
        if (!options.workspace.empty() &&
            gui::find_workspace(arrangement.workspaces, options.workspace) < 0)
            throw UsageError("--workspace: no workspace named '" + options.workspace + "' (" +
                             names + ")");
    }
    options.presentation = args.has("presentation");
    options.audit_layout = args.str("audit-layout");
    options.scale = args.number("scale", 0, 0.5, 3);
    options.train_steps = args.integer("train-steps", 0, 0, 100000000);
    options.timing = args.str("timing");
    options.continuous = args.has("continuous");
    options.model = args.str("model");
    options.data = args.str("data");
    if (args.has("device")) options.device = args.device();
    options.lab = args.str("lab");
    options.checkpoint = args.str("checkpoint");
    options.settings = args.settings("set");
    options.lang = args.str("lang");
    options.theme = args.str("theme");
    if (!options.theme.empty() && options.theme != "dark" && options.theme != "light")
        throw UsageError("--theme wants dark or light, not '" + options.theme + "'");
    options.tensorboard = args.str("tensorboard");
    if (!options.tensorboard.empty() && !std::filesystem::exists(options.tensorboard))
        throw UsageError("--tensorboard " + options.tensorboard + ": no such folder");
    options.lesson = args.str("lesson");
    options.lesson_step = static_cast<int>(args.integer("lesson-step", 1, 1, 100));
    if (args.has("lesson-step") && options.lesson.empty())
        throw UsageError("--lesson-step needs --lesson");
    if (!options.lesson.empty()) {
        // A bad lesson file fails here, naming the file and the field, not in the window.
        try {
            const lessons::Lesson lesson = lessons::read_lesson(
                lessons::lesson_path(options.lesson), lessons::window_vocabulary());
            if (options.lesson_step > static_cast<int>(lesson.steps.size()))
                throw UsageError("--lesson-step " + std::to_string(options.lesson_step) + ": " +
                                 lesson.file + " has " + std::to_string(lesson.steps.size()) +
                                 " steps");
        } catch (const lessons::LessonError& e) {
            throw UsageError(std::string("--lesson: ") + e.what());
        }
    }
    if (!options.lang.empty() && !i18n::parse_language(options.lang))
        throw UsageError("--lang wants en or zh-CN, not '" + options.lang + "'");
    if (!options.checkpoint.empty()) {
        if (args.has("model") || args.has("data") || args.has("columns"))
            throw UsageError(
                "--checkpoint opens the run's own model and data; leave out --model, "
                "--data and --columns");
        checkpoint_session_config(options.checkpoint);  // a bad file fails here, with its name
    }
    if (args.has("columns")) {
        try {
            options.data = data_spec_with_columns(options.data, args.str("columns"));
        } catch (const std::runtime_error& e) {
            throw UsageError(e.what());
        }
    }
    try {
        parse_toy_lab_spec(options.lab);  // a bad --lab fails here, not in the window
    } catch (const std::invalid_argument& e) {
        throw UsageError(std::string("--lab: ") + e.what());
    }
    if (args.has("size")) {
        const std::string size = args.str("size");
        int w = 0, h = 0;
        if (std::sscanf(size.c_str(), "%dx%d", &w, &h) != 2 || w < 320 || h < 240 || w > 8192 ||
            h > 8192)
            throw UsageError("--size wants WIDTHxHEIGHT between 320x240 and 8192x8192, not '" +
                             size + "'");
        options.width = w;
        options.height = h;
    }
    std::string why;
    const int status = gui::run_gui(options, &why);
    if (status != -1) return status;
    if (!options.screenshot.empty() || !options.audit_layout.empty() || !argv.empty()) {
        std::fprintf(stderr, "ganvas: cannot open the window: %s\n", why.c_str());
        return 1;
    }
    // Continues (or just reports) an earlier default run rather than refusing it.
    const bool earlier = std::filesystem::exists("runs/default/checkpoint.safetensors");
    std::fprintf(stderr,
                 "ganvas: cannot open the window: %s.\n"
                 "ganvas: %s the default experiment headless instead (dcgan28 on Fashion-MNIST, "
                 "3000 steps, in runs/default)\n",
                 why.c_str(), earlier ? "continuing" : "running");
    Argv defaults = {"--model", "dcgan28", "--steps", "3000", "--out", "runs/default"};
    if (earlier) defaults.push_back("--resume");
    return run_train(defaults);
}

}  // namespace ganvas::cli
