// Op cases of the spatial family (none yet: its GPU kernels are still to come).
#pragma once

#include "core/backend/backend_ops/cases.h"

namespace ganvas::backend_ops {

inline std::vector<OpCase> spatial_cases() {
    return {};
}

}  // namespace ganvas::backend_ops
