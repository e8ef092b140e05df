// `ganvas bench --profile`: an op profile (backend/op_profile.h) as a table for
// people and as JSON for scripts, both in ms per training step.
#pragma once

#include <cstdint>
#include <string>

#include <nlohmann/json.hpp>

#include "backend/op_profile.h"

namespace ganvas::cli {

// The name the table and the JSON give the time that belongs to no op.
inline constexpr const char* kOutsideOps = "(outside ops)";

// Rows by total time: op | forward | backward | optimizer | total | share | calls,
// then the time outside ops and the total; `steps` the profile covered.
std::string profile_table(const std::string& model, const OpProfile& profile, int64_t steps);

// [{"op", "forward_ms", "backward_ms", "optimizer_ms", "calls"}, ...] per step, by
// total time, the time outside ops last (calls 0): the rows add up to the wall time.
// Calls are per step too: a whole number unless the steps differ.
nlohmann::ordered_json profile_json(const OpProfile& profile, int64_t steps);

}  // namespace ganvas::cli
