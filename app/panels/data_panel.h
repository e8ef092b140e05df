// Data tab.
#pragma once

#include "panels/panel.h"

namespace ganvas::gui {

class DataPanel : public Panel {
public:
    const char* title() const override { return "Data"; }
    void draw(PanelContext& ctx) override;
};

}  // namespace ganvas::gui
