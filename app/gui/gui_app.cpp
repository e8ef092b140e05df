#include "gui/gui_app.h"

#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <memory>
#include <stdexcept>
#include <string>
#include <system_error>

#include "gui/gui_app_internal.h"
#include "gui/workspaces.h"

namespace ganvas::gui {

GuiApp::GuiApp(const GuiOptions& options, Window& window, Settings& settings, bool persist)
    : options_(options),
      window_(window),
      settings_(settings),
      persist_(persist),
      tabs_(arrange_workspaces(registered_panels()), PanelStart{options.lab, options.tensorboard}) {
    if (!options.audit_layout.empty()) tour_ = std::make_unique<LayoutTour>(options.audit_layout);
    for (const std::string& problem : arrange_workspaces(registered_panels()).problems)
        std::fprintf(stderr, "ganvas: %s\n", problem.c_str());
    // --tab wins, then --workspace, then the tab last shown.
    if (!options.tab.empty())
        tabs_.want(tabs_.index(options.tab));
    else if (!options.tensorboard.empty())
        tabs_.want(tabs_.index("TensorBoard"));
    else if (!options.workspace.empty())
        tabs_.want_workspace(find_workspace(tabs_.workspaces(), options.workspace));
    else
        tabs_.want(tabs_.index(settings.text("window.tab", "")));
    ui_scale_ = static_cast<float>(
        std::clamp(options.scale > 0 ? options.scale : settings.number("ui.scale", 1.0), 0.5, 3.0));
    sidebar_folded_ = settings.number("ui.sidebar_folded", 0) != 0;
    // The command line wins, then the language last chosen, then $LANG.
    const auto chosen = i18n::parse_language(
        !options.lang.empty() ? options.lang : settings.text("ui.language", ""));
    set_language(chosen ? *chosen : i18n::language_from_environment());
    if (!options.theme.empty()) set_theme(options.theme);  // as if chosen
    if (options.presentation) set_presentation(true);

    TrainerOptions t;
    // The command line wins, then the session the user last applied, then the default.
    t.config.model =
        !options.model.empty() ? options.model : settings.text("session.model", "dcgan28");
    t.config.data =
        !options.data.empty() ? options.data : settings.text("session.data", "fashion-mnist");
    t.config.batch = settings.integer("session.batch", 64, 1, int64_t{1} << 20);
    t.config.seed = static_cast<uint64_t>(settings.integer("session.seed", 0, 0, INT64_MAX));
    // --device, else the device last applied; where its GPU is gone the session says
    // so in one line.
    t.config.device =
        options.device ? *options.device
                       : parse_device(settings.text("session.device", "cpu")).value_or(Device::cpu);
    t.checkpoint = options.checkpoint;
    t.settings = options.settings;
    t.work_dir = (std::filesystem::path(config_dir()) / "session").string();
    t.budget = 3000;
    if (scripted()) {
        t.work_dir = make_screenshot_work_dir();
        if (options.train_steps > 0) t.budget = options.train_steps;
        t.start_running = options.train_steps > 0;
    }
    trainer_ = std::make_unique<LiveTrainer>(t);
    screenshot_work_dir_ = scripted() ? t.work_dir : "";
    if (!options.lesson.empty())
        lesson_.open(lessons::lesson_path(options.lesson), options.lesson_step - 1);
}

// A fresh private folder: a name built from the pid could be planted or left from before.
std::string GuiApp::make_screenshot_work_dir() {
    std::string pattern =
        (std::filesystem::temp_directory_path() / "ganvas-screenshot-XXXXXX").string();
    if (!::mkdtemp(pattern.data()))
        throw std::runtime_error(
            pattern + ": cannot create the screenshot's work folder: " + std::strerror(errno));
    return pattern;
}

GuiApp::~GuiApp() {
    trainer_.reset();
    if (!screenshot_work_dir_.empty()) std::filesystem::remove_all(screenshot_work_dir_);
}

int run_gui(const GuiOptions& options, std::string* why) {
    // A screenshot or an audit is taken with the defaults and leaves the user's settings alone.
    const bool persist = options.screenshot.empty() && options.audit_layout.empty();
    const std::string dir = config_dir();
    std::string settings_error;
    Settings settings =
        persist ? Settings::load((std::filesystem::path(dir) / "settings.json").string(),
                                 &settings_error)
                : Settings();
    if (!settings_error.empty()) std::fprintf(stderr, "ganvas: %s\n", settings_error.c_str());
    int width = options.width, height = options.height;
    if (persist) {
        width = static_cast<int>(settings.integer("window.width", width, 320, 16384));
        height = static_cast<int>(settings.integer("window.height", height, 240, 16384));
        std::error_code ec;
        std::filesystem::create_directories(dir, ec);
    }
    auto window =
        Window::open(width, height, "Ganvas",
                     persist ? (std::filesystem::path(dir) / "imgui.ini").string() : "", why);
    if (!window) return -1;
    GuiApp app(options, *window, settings, persist);
    return app.run();
}

}  // namespace ganvas::gui
