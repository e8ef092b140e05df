#include "panels/panel_registry.h"

#include <algorithm>

#include "panels/panel.h"

namespace ganvas::gui {
namespace {

// A function's static, not a global: registrars in other files run during
// static initialisation, in an order C++ leaves open, possibly before a
// global here would have been constructed.
std::vector<PanelEntry>& entries() {
    static std::vector<PanelEntry> all;
    return all;
}

}  // namespace

bool register_panel(PanelEntry entry) {
    entries().push_back(std::move(entry));
    return true;
}

std::vector<PanelEntry> registered_panels() {
    std::vector<PanelEntry> sorted = entries();
    std::stable_sort(sorted.begin(), sorted.end(), [](const PanelEntry& a, const PanelEntry& b) {
        return a.order != b.order ? a.order < b.order : a.title < b.title;
    });
    return sorted;
}

std::vector<std::unique_ptr<Panel>> make_panels(const std::vector<PanelEntry>& entries,
                                                const PanelStart& start) {
    std::vector<std::unique_ptr<Panel>> panels;
    for (const PanelEntry& e : entries) panels.push_back(e.make(start));
    return panels;
}

}  // namespace ganvas::gui
