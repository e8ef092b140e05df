#include "panels/session_start.h"

#include "backend/device.h"

namespace ganvas::gui {

void start_session(PanelContext& ctx, const SessionConfig& config) {
    ctx.trainer.configure(config);
    remember_session(ctx.settings, config);
}

void remember_session(Settings& settings, const SessionConfig& config) {
    settings.set_text("session.model", config.model);
    settings.set_text("session.data", config.data);
    settings.set_number("session.batch", static_cast<double>(config.batch));
    settings.set_number("session.seed", static_cast<double>(config.seed));
    settings.set_text("session.device", device_name(config.device));
}

}  // namespace ganvas::gui
