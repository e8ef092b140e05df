// Losses tab.
#pragma once

#include "panels/panel.h"

namespace ganvas::gui {

class LossesPanel : public Panel {
public:
    const char* title() const override { return "Losses"; }
    void draw(PanelContext& ctx) override;
};

}  // namespace ganvas::gui
