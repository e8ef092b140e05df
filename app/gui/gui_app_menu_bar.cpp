// GuiApp's menu bar (gui/gui_app_internal.h): one function a menu.
#include "gui/gui_app_internal.h"

#include <imgui.h>

#include <string>
#include <vector>

#include "gui/dialogs.h"
#include "gui/fonts.h"

namespace ganvas::gui {

void GuiApp::draw_menu_bar() {
    if (!ImGui::BeginMenuBar()) return;
    draw_file_menu();
    draw_training_menu();
    draw_view_menu();
    lesson_.draw_menu();
    draw_help_menu();
    ImGui::EndMenuBar();
}

void GuiApp::draw_file_menu() {
    if (!ImGui::BeginMenu(tr_id("File"))) return;
    if (menu_item(tr("Save experiment"), Action::SaveExperiment))
        run_action(Action::SaveExperiment);
    if (menu_item(tr("Load experiment"), Action::LoadExperiment))
        run_action(Action::LoadExperiment);
    ImGui::Separator();
    // The tab holds the folder field: the log opens there.
    if (ImGui::MenuItem(tr("Open TensorBoard log…"))) tabs_.want(tabs_.index("TensorBoard"));
    ImGui::Separator();
    if (menu_item(tr("Quit"), Action::Quit)) run_action(Action::Quit);
    ImGui::EndMenu();
}

void GuiApp::draw_training_menu() {
    if (!ImGui::BeginMenu(tr_id("Training"))) return;
    if (menu_item(tr("Run / pause"), Action::RunPause)) run_action(Action::RunPause);
    if (menu_item(tr("Single step"), Action::Step)) run_action(Action::Step);
    if (menu_item(tr("Reset…"), Action::Reset)) run_action(Action::Reset);
    if (ImGui::MenuItem(tr("Restore last good checkpoint"))) trainer_->restore_last_good();
    ImGui::EndMenu();
}

void GuiApp::draw_view_menu() {
    if (!ImGui::BeginMenu(tr_id("View"))) return;
    const std::vector<Workspace>& spaces = tabs_.workspaces();
    const int shown = tabs_.target_workspace();
    for (size_t w = 0; w < spaces.size(); ++w)
        if (menu_item(tr(spaces[w].name.c_str()), Action::ShowWorkspace, static_cast<int>(w),
                      static_cast<int>(w) == shown))
            tabs_.want_workspace(static_cast<int>(w));
    ImGui::Separator();
    if (shown >= 0) {
        const std::vector<int>& tabs = spaces[shown].tabs;
        for (size_t i = 0; i < tabs.size(); ++i)
            if (menu_item(tr(tabs_.entries()[tabs[i]].title.c_str()), Action::ShowTab,
                          static_cast<int>(i), tabs[i] == tabs_.target_tab()))
                tabs_.want(tabs[i]);
    }
    if (menu_item(tr("Next tab"), Action::NextTab)) run_action(Action::NextTab);
    if (menu_item(tr("Previous tab"), Action::PreviousTab)) run_action(Action::PreviousTab);
    ImGui::Separator();
    if (menu_item(tr("Experiment sidebar"), Action::ToggleSidebar, -1, sidebar_shown()))
        toggle_sidebar();
    if (menu_item(tr("Presentation"), Action::Presentation, -1, presentation_.on()))
        set_presentation(!presentation_.on());
    float scale = ui_scale_;
    ImGui::SetNextItemWidth(ImGui::GetFontSize() * 8);
    if (ImGui::SliderFloat(tr("UI scale"), &scale, 0.5f, 3.0f, "%.1f")) set_scale(scale);
    if (ImGui::IsItemHovered())
        ImGui::SetTooltip(tr("%s and %s too"), menu_shortcut(shortcuts_, Action::LargerUi).c_str(),
                          menu_shortcut(shortcuts_, Action::SmallerUi).c_str());
    // Each item shows the key that switches to it from the other.
    const bool light = settings_.text("ui.theme", "dark") == "light";
    if (menu_item(tr("Dark theme"), Action::ToggleTheme, -1, !light)) set_theme("dark");
    if (menu_item(tr("Light theme"), Action::ToggleTheme, -1, light)) set_theme("light");
    if (ImGui::MenuItem(tr("Smooth lines"), nullptr, antialias())) {
        settings_.set_number("ui.antialias", antialias() ? 0 : 1);
        scale_dirty_ = true;
    }
    if (ImGui::IsItemHovered())
        // tr()'s literal stays whole, for tests/app/test_translations.cpp to find.
        // clang-format off
        ImGui::SetTooltip(tr("Anti-aliased lines and edges. Off by default with software OpenGL (%s), where it costs frame rate."),
                          window_.renderer().c_str());
    // clang-format on
    draw_language_menu();
    ImGui::Separator();
    if (ImGui::MenuItem(tr("Restore defaults…"))) ask_restore_ = true;
    ImGui::EndMenu();
}

void GuiApp::draw_language_menu() {
    if (!ImGui::BeginMenu(tr_id("Language"))) return;
    const bool chinese = i18n::current_language() == i18n::Language::Chinese;
    if (ImGui::MenuItem("English", nullptr, !chinese)) {
        set_language(i18n::Language::English);
        settings_.set_text("ui.language", "en");
    }
    const bool have_font = !cjk_font_path().empty();
    if (ImGui::MenuItem("简体中文", nullptr, chinese, have_font)) {
        set_language(i18n::Language::Chinese);
        settings_.set_text("ui.language", "zh-CN");
    }
    if (!have_font)
        ImGui::TextDisabled("%s", tr("Chinese needs a CJK font: apt-get install fonts-noto-cjk"));
    ImGui::EndMenu();
}

void GuiApp::draw_help_menu() {
    if (!ImGui::BeginMenu(tr_id("Help"))) return;
    if (menu_item(tr("Keyboard shortcuts"), Action::Help)) show_help_ = true;
    ImGui::EndMenu();
}

// View → Restore defaults asks first: it forgets every view choice the user made.
void GuiApp::draw_restore_defaults() {
    if (draw_restore_defaults_question(&ask_restore_)) restore_pending_ = true;
}

}  // namespace ganvas::gui
