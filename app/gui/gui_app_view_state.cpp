// GuiApp's view state (gui/gui_app_internal.h): the UI scale and theme, the
// language, presentation mode and the sidebar, and restoring their defaults.
#include "gui/gui_app_internal.h"

#include <imgui.h>

#include <algorithm>
#include <cmath>
#include <cstdio>

#include "gui/fonts.h"
#include "gui/theme.h"

namespace ganvas::gui {

int GuiApp::window_height() const {
    int w = 0, h = 0;
    window_.size(&w, &h);
    return h;
}

// The scale everything is drawn at: the user's, or in presentation mode the
// one that makes type about 3% of the window's height.
float GuiApp::effective_scale() const {
    return presentation_.on() ? presentation_font_pixels(font_height_) / kBaseFontPixels
                              : ui_scale_;
}

void GuiApp::apply_scale() {
    font_height_ = window_height();
    const float scale = effective_scale();
    window_.set_font(std::round(kBaseFontPixels * scale),
                     i18n::current_language() == i18n::Language::Chinese);
    apply_theme(settings_.text("ui.theme", "dark"), scale, antialias());
    // A large pointer that students can follow; ImGui draws it (and hides the system's).
    ImGui::GetIO().MouseDrawCursor = presentation_.on();
    ImGui::GetStyle().MouseCursorScale = 1.6f * scale;
    scale_dirty_ = false;
}

void GuiApp::set_theme(const std::string& name) {
    settings_.set_text("ui.theme", name);
    scale_dirty_ = true;  // the next frame applies it
}

// Smooth lines by default, except on a software renderer, where the frame rate matters more.
bool GuiApp::antialias() const {
    return settings_.number("ui.antialias", window_.software_renderer() ? 0 : 1) != 0;
}

// Switched live: the labels change next frame, the font gains the catalog's glyphs.
void GuiApp::set_language(i18n::Language language) {
    // Chinese without a font to draw it would be boxes: stay in English.
    if (language == i18n::Language::Chinese && cjk_font_path().empty())
        language = i18n::Language::English;
    if (language == i18n::current_language() && !scale_dirty_ && !shortcuts_.empty()) return;
    i18n::set_language(language);
    for (const std::string& error : i18n::ensure_catalog_loaded())
        std::fprintf(stderr, "ganvas: %s\n", error.c_str());
    // The help's descriptions are in the language.
    shortcuts_ = window_shortcuts(tabs_.workspace_names(), static_cast<int>(tabs_.entries().size()),
                                  tabs_.most_tabs());
    scale_dirty_ = true;
}

// Full screen (not for a screenshot, which keeps its --size), large type and
// pointer, the sidebar folded. Leaving gives back the window as it was.
void GuiApp::set_presentation(bool on) {
    if (on == presentation_.on()) return;
    presentation_.set(on);
    if (!scripted()) window_.set_fullscreen(on);
    scale_dirty_ = true;
}

bool GuiApp::sidebar_shown() const {
    if (!tabs_.target_shows_session()) return false;  // a lab has its own controls
    return presentation_.on() ? presentation_.sidebar_shown() : !sidebar_folded_;
}

void GuiApp::toggle_sidebar() {
    if (presentation_.on()) {
        presentation_.toggle_sidebar();
        return;
    }
    sidebar_folded_ = !sidebar_folded_;
    settings_.set_number("ui.sidebar_folded", sidebar_folded_ ? 1 : 0);
}

void GuiApp::set_scale(float scale) {
    ui_scale_ = std::clamp(std::round(scale * 10) / 10, 0.5f, 3.0f);
    settings_.set_number("ui.scale", ui_scale_);
    scale_dirty_ = true;
}

// Between frames' panels: the old panels are gone before any draws again.
void GuiApp::restore_defaults() {
    restore_pending_ = false;
    settings_.restore_view_defaults();
    ui_scale_ = 1.0f;
    sidebar_folded_ = false;
    scale_dirty_ = true;
    tabs_.rebuild();
}

}  // namespace ganvas::gui
