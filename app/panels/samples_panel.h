// Samples tab.
#pragma once

#include "panels/panel.h"

namespace ganvas::gui {

class SamplesPanel : public Panel {
public:
    const char* title() const override { return "Samples"; }
    void draw(PanelContext& ctx) override;
};

}  // namespace ganvas::gui
