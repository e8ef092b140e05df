// GuiApp as a lessons::LessonHost (gui/gui_app_internal.h): what a lesson step sets up.
#include "gui/gui_app_internal.h"

#include <string>
#include <variant>

namespace ganvas::gui {

void GuiApp::start_session(const lessons::LessonAction& a) {
    if (!a.checkpoint.empty()) {
        trainer_->open_checkpoint(a.checkpoint);
    } else {
        SessionConfig config;
        config.model = a.model;
        config.data = a.data;
        config.batch = a.batch.value_or(64);
        config.seed = a.seed.value_or(0);
        trainer_->configure(config);
    }
    for (const auto& [name, value] : a.settings) trainer_->set_hyper(name, value);
    if (a.train_steps > 0) {
        trainer_->set_budget(a.train_steps);
        trainer_->run();
    }
}

void GuiApp::set_view(const std::string& key, const std::variant<double, std::string>& value) {
    if (const double* number = std::get_if<double>(&value))
        settings_.set_number(key, *number);
    else
        settings_.set_text(key, std::get<std::string>(value));
}

void GuiApp::start_lab(const std::string& spec) {
    const PanelStart start{spec, ""};
    tabs_.remake(tabs_.index("GAN Lab"), &start);
}

void GuiApp::reload_tab(const std::string& title) {
    tabs_.remake(tabs_.index(title));
}

void GuiApp::show_tab(const std::string& title) {
    tabs_.want(tabs_.index(title));
}

}  // namespace ganvas::gui
