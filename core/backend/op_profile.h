// Where a training step's time goes: wall time per (phase, op), for `ganvas bench
// --profile`.
//
// Every op starts in dispatch(), which calls note_op_start(); the autograd engine
// and the optimizers mark their phase with a PhaseScope. While profiling, the time
// from one boundary (an op's start, a phase's entry or exit) to the next is charged
// to the op that was current, in the phase that was current: an op's own host work
// and kernel, and whatever the caller did before the next op (the tape node an op
// records, the model's glue code). A composite op that dispatches others is charged
// only until its first inner op starts. Time after a phase boundary and before the
// next op starts (the engine sorting the tape, an optimizer's loop setup, the code
// between training steps) belongs to no op; the profile counts it per phase as
// "outside ops", so the rows and that remainder add up to the profiled wall time.
//
// Off by default; then a dispatch costs one relaxed atomic load and a branch. Only
// the thread that called start_op_profile() is profiled (the training thread); ops
// that other threads dispatch meanwhile (the window's drawing) are not seen.
#pragma once

#include <array>
#include <atomic>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace ganvas {

enum class Phase : uint8_t { forward, backward, optimizer };
constexpr size_t kPhaseCount = 3;

// Time and calls of one op kind ("conv2d", "conv2d_weight", "adam_step").
struct OpProfileRow {
    std::string op;
    std::array<double, kPhaseCount> seconds{};  // indexed by Phase
    std::array<int64_t, kPhaseCount> calls{};
    double total_seconds() const { return seconds[0] + seconds[1] + seconds[2]; }
    int64_t total_calls() const { return calls[0] + calls[1] + calls[2]; }
};

struct OpProfile {
    std::vector<OpProfileRow> ops;                          // most total time first
    std::array<double, kPhaseCount> outside_ops_seconds{};  // before an op of the phase started
    double wall_seconds = 0;  // from start to stop: the rows plus outside_ops_seconds
};

struct OpProfileOptions {
    // Seconds on a monotonic clock; steady_clock when empty. Tests pass their own.
    std::function<double()> clock;
    // Runs at every boundary before the clock is read. A GPU's kernels run after
    // their dispatch returns, so the bench waits for them here (the backend's
    // synchronize) to charge them to the op that queued them.
    std::function<void()> at_boundary;
};

// Starts profiling the calling thread, from zero. Throws std::logic_error if a
// profile is already running (on any thread).
void start_op_profile(OpProfileOptions options = {});
// Ends the calling thread's profile and returns it; an empty profile if this
// thread was not profiling.
OpProfile stop_op_profile();

// Sets the calling thread's phase for its lifetime (the autograd engine: backward;
// the optimizers' steps: optimizer); the phase outside any scope is forward. Nested
// scopes restore the phase they found (a gradient penalty's grad() inside a
// forward pass).
class PhaseScope {
public:
    explicit PhaseScope(Phase phase);
    ~PhaseScope();
    PhaseScope(const PhaseScope&) = delete;
    PhaseScope& operator=(const PhaseScope&) = delete;

private:
    Phase previous_;
};

namespace detail {
extern std::atomic<bool> g_op_profile_on;
void op_started(const char* op);
}  // namespace detail

// Called by dispatch() as each op starts.
inline void note_op_start(const char* op) {
    if (detail::g_op_profile_on.load(std::memory_order_relaxed)) [[unlikely]]
        detail::op_started(op);
}

}  // namespace ganvas
