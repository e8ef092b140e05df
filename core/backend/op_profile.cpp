#include "backend/op_profile.h"

#include <algorithm>
#include <chrono>
#include <exception>
#include <map>
#include <stdexcept>

namespace ganvas {

namespace detail {
std::atomic<bool> g_op_profile_on{false};
}  // namespace detail

namespace {

// One thread's profile; only that thread reads or writes it, so it needs no lock.
struct Profiler {
    bool active = false;
    bool in_boundary_hook = false;  // ops the hook itself dispatches are not boundaries
    OpProfileOptions options;
    double started = 0;
    double last_boundary = 0;
    OpProfileRow* current = nullptr;  // the op charged until the next boundary; null: none
    // A map's nodes never move, so `current` stays valid as rows are added.
    std::map<std::string, OpProfileRow, std::less<>> rows;
    std::array<double, kPhaseCount> outside_ops{};
    std::exception_ptr hook_error;  // from a boundary in a destructor; stop rethrows it

    double now() {
        if (options.at_boundary) {
            in_boundary_hook = true;
            struct Reset {
                bool& flag;
                ~Reset() { flag = false; }
            } reset{in_boundary_hook};
            options.at_boundary();
        }
        if (options.clock) return options.clock();
        return std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch())
            .count();
    }

    // Charges the time since the last boundary to the current op (or to no op) in `phase`.
    void charge_until_now(Phase phase) {
        const double t = now();
        const double elapsed = t - last_boundary;
        last_boundary = t;
        const size_t i = static_cast<size_t>(phase);
        if (current)
            current->seconds[i] += elapsed;
        else
            outside_ops[i] += elapsed;
    }
};

thread_local Profiler t_profiler;
thread_local Phase t_phase = Phase::forward;

bool profiling_this_thread() {
    return detail::g_op_profile_on.load(std::memory_order_relaxed) && t_profiler.active &&
           !t_profiler.in_boundary_hook;
}

}  // namespace

void detail::op_started(const char* op) {
    if (!profiling_this_thread()) return;
    Profiler& p = t_profiler;
    p.charge_until_now(t_phase);
    auto it = p.rows.find(std::string_view(op));
    if (it == p.rows.end()) {
        it = p.rows.emplace(op, OpProfileRow{}).first;
        it->second.op = op;
    }
    ++it->second.calls[static_cast<size_t>(t_phase)];
    p.current = &it->second;
}

void start_op_profile(OpProfileOptions options) {
    bool expected = false;
    if (!detail::g_op_profile_on.compare_exchange_strong(expected, true))
        throw std::logic_error("start_op_profile: a profile is already running");
    Profiler& p = t_profiler;
    p = Profiler{};
    p.options = std::move(options);
    try {
        p.started = p.last_boundary = p.now();
    } catch (...) {
        p = Profiler{};
        detail::g_op_profile_on.store(false, std::memory_order_relaxed);
        throw;
    }
    p.active = true;
}

OpProfile stop_op_profile() {
    Profiler& p = t_profiler;
    if (!p.active) return {};
    struct End {  // stopped however this returns, a hook's exception included
        Profiler& p;
        ~End() {
            p = Profiler{};
            detail::g_op_profile_on.store(false, std::memory_order_relaxed);
        }
    } end{p};
    if (p.hook_error) std::rethrow_exception(p.hook_error);
    p.charge_until_now(t_phase);
    OpProfile profile;
    profile.wall_seconds = p.last_boundary - p.started;
    profile.outside_ops_seconds = p.outside_ops;
    for (auto& [name, row] : p.rows) profile.ops.push_back(std::move(row));
    std::stable_sort(profile.ops.begin(), profile.ops.end(),
                     [](const OpProfileRow& a, const OpProfileRow& b) {
                         return a.total_seconds() > b.total_seconds();
                     });
    return profile;
}

PhaseScope::PhaseScope(Phase phase) : previous_(t_phase) {
    if (profiling_this_thread()) {
        t_profiler.charge_until_now(previous_);
        t_profiler.current = nullptr;
    }
    t_phase = phase;
}

PhaseScope::~PhaseScope() {
    if (profiling_this_thread()) {
        try {
            t_profiler.charge_until_now(t_phase);
        } catch (...) {  // a destructor must not throw: the hook's error waits for stop
            if (!t_profiler.hook_error) t_profiler.hook_error = std::current_exception();
        }
        t_profiler.current = nullptr;
    }
    t_phase = previous_;
}

}  // namespace ganvas
