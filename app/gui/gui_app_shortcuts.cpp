// GuiApp's actions (gui/gui_app_internal.h): each key press and each menu item
// with a shortcut does what that shortcut's action does.
#include "gui/gui_app_internal.h"

#include <imgui.h>

#include <string>
#include <vector>

namespace ganvas::gui {

// Every key press since the last frame counts, however quick (gui/key_queue.h).
void GuiApp::handle_shortcuts() {
    const std::vector<KeyPress> presses = window_.take_key_presses();
    // Keys typed into a text field are text, not commands.
    if (ImGui::GetIO().WantTextInput) return;
    for (const KeyPress& press : presses)
        if (const Shortcut* s = find_shortcut(shortcuts_, press)) {
            if (!lab_transport(s->action)) perform(*s);
        }
}

// Space, S and R on a lab with its own Play, Step and Reset act on that lab; in any
// other lab they do nothing, as the session they would steer is not on screen. The
// Training menu always steers the session.
bool GuiApp::lab_transport(Action action) {
    Transport t;
    if (action == Action::RunPause)
        t = Transport::RunPause;
    else if (action == Action::Step)
        t = Transport::Step;
    else if (action == Action::Reset)
        t = Transport::Reset;
    else
        return false;
    if (Panel* panel = tabs_.target_panel(); panel && panel->transport(t)) return true;
    return !tabs_.target_shows_session();
}

void GuiApp::perform(const Shortcut& s) {
    switch (s.action) {
        case Action::RunPause:
            trainer_->toggle_run();
            break;
        case Action::Step:
            trainer_->step_once();
            break;
        case Action::Reset:
            experiment_.ask_reset();
            break;
        case Action::SaveExperiment:
            trainer_->save_experiment(experiment_.experiment_path(settings_));
            break;
        case Action::LoadExperiment:
            trainer_->load_experiment(experiment_.experiment_path(settings_));
            break;
        case Action::LargerUi:
            set_scale(ui_scale_ + 0.1f);
            break;
        case Action::SmallerUi:
            set_scale(ui_scale_ - 0.1f);
            break;
        case Action::Help:
            show_help_ = !show_help_;
            break;
        case Action::Quit:
            window_.request_close();
            break;
        case Action::ToggleSidebar:
            toggle_sidebar();
            break;
        case Action::Presentation:
            set_presentation(!presentation_.on());
            break;
        case Action::ToggleTheme:
            set_theme(settings_.text("ui.theme", "dark") == "light" ? "dark" : "light");
            break;
        case Action::ShowWorkspace:
        case Action::ShowTab:
        case Action::NextTab:
        case Action::PreviousTab:
            tabs_.step(s);
            break;
    }
}

// Does what the shortcut for `action` (and `index`) does.
void GuiApp::run_action(Action action, int index) {
    for (const Shortcut& s : shortcuts_)
        if (s.action == action && s.index == index) return perform(s);
}

// A menu item that does what shortcut `action` does, labelled with its key.
bool GuiApp::menu_item(const char* label, Action action, int index, bool selected) {
    const std::string keys = menu_shortcut(shortcuts_, action, index);
    return ImGui::MenuItem(label, keys.empty() ? nullptr : keys.c_str(), selected);
}

}  // namespace ganvas::gui
