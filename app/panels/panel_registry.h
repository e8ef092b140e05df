// The panel registry: every tab of the window, each added by one line in its
// own .cpp, in the spirit of ImHex's ContentRegistry::Views:
//
//     GANVAS_REGISTER_PANEL(LossesPanel, 10, "Losses");
//
// The window builds its tabs, the View menu, the tab shortcuts and the F1 help
// from this list, so none of them can name a panel that is not there or miss
// one that is. Registration runs during static initialisation; ganvas_app is
// an OBJECT library (app/CMakeLists.txt) so no linker drops a panel's object
// file for being otherwise unreferenced.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace ganvas::gui {

class Panel;

// What the command line hands to the panels that start from it.
struct PanelStart {
    std::string lab;          // the GAN Lab's start (`ganvas --lab`); empty: its default
    std::string tensorboard;  // a log folder the TensorBoard tab opens (`ganvas --tensorboard`)
};

struct PanelEntry {
    int order = 0;           // tabs run by increasing order
    std::string title;       // the tab's name, as the panel's title() says it
    std::string class_name;  // for messages and tests
    std::string file;        // the .cpp that registered it (tests check the names agree)
    std::function<std::unique_ptr<Panel>(const PanelStart&)> make;
};

// Adds a panel; returns true so a static can hold the result.
bool register_panel(PanelEntry entry);

// Every registered panel, by order (then title, so the order is the same on
// every run whatever the static initialisation order was).
std::vector<PanelEntry> registered_panels();

// One fresh panel of each entry, in the entries' order.
std::vector<std::unique_ptr<Panel>> make_panels(const std::vector<PanelEntry>& entries,
                                                const PanelStart& start);

}  // namespace ganvas::gui

#define GANVAS_PANEL_REGISTRAR_NAME(Class) ganvas_panel_registered_##Class

// For a panel built by its default constructor.
#define GANVAS_REGISTER_PANEL(Class, order, title)                                        \
    [[maybe_unused]] static const bool GANVAS_PANEL_REGISTRAR_NAME(Class) =               \
        ::ganvas::gui::register_panel(                                                    \
            {(order), (title), #Class, __FILE__, [](const ::ganvas::gui::PanelStart&) {   \
                 return std::unique_ptr<::ganvas::gui::Panel>(std::make_unique<Class>()); \
             }})

// For a panel that starts from the command line: `make` is a callable taking
// a const PanelStart& and returning a std::unique_ptr<Class>.
#define GANVAS_REGISTER_PANEL_MADE_BY(Class, order, title, make)                              \
    [[maybe_unused]] static const bool GANVAS_PANEL_REGISTRAR_NAME(Class) =                   \
        ::ganvas::gui::register_panel(                                                        \
            {(order), (title), #Class, __FILE__, [](const ::ganvas::gui::PanelStart& start) { \
                 return std::unique_ptr<::ganvas::gui::Panel>((make)(start));                 \
             }})
