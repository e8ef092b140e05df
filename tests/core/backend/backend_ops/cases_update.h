// Op cases of the update family (none yet: its GPU kernels are still to come).
#pragma once

#include "core/backend/backend_ops/cases.h"

namespace ganvas::backend_ops {

inline std::vector<OpCase> update_cases() {
    return {};
}

}  // namespace ganvas::backend_ops
