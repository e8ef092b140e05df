// Op cases of the layout family (none yet: its GPU kernels are still to come).
#pragma once

#include "core/backend/backend_ops/cases.h"

namespace ganvas::backend_ops {

inline std::vector<OpCase> layout_cases() {
    return {};
}

}  // namespace ganvas::backend_ops
