// Model tab.
#pragma once

#include "panels/panel.h"

namespace ganvas::gui {

class ModelPanel : public Panel {
public:
    const char* title() const override { return "Model"; }
    void draw(PanelContext& ctx) override;
};

}  // namespace ganvas::gui
