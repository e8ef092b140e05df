#include "backend/cpu/thread_scheduling.h"

#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>

namespace ganvas::cpu {
namespace {

// The kernel's struct sched_attr, first version (48 bytes). glibc before 2.41
// has no wrapper, and <linux/sched/types.h> clashes with <sched.h>.
struct SchedAttr {
    uint32_t size = sizeof(SchedAttr);
    uint32_t policy = 0;
    uint64_t flags = 0;
    int32_t nice = 0;
    uint32_t priority = 0;
    uint64_t runtime = 0, deadline = 0, period = 0;
};
static_assert(sizeof(SchedAttr) == 48);

constexpr uint64_t kKeepPolicy = 0x08;  // SCHED_FLAG_KEEP_POLICY

}  // namespace

bool lower_thread_priority(int nice) {
    bool ok = setpriority(PRIO_PROCESS, static_cast<id_t>(gettid()), nice) == 0;
#ifdef SCHED_IDLE
    if (nice > 0 && std::getenv("GANVAS_NO_SCHED_IDLE") == nullptr) {
        sched_param param{};
        ok = sched_setscheduler(0, SCHED_IDLE, &param) == 0 && ok;
    }
#endif
    return ok;
}

bool thread_is_lowered(pid_t tid) {
    errno = 0;
    const int nice = getpriority(PRIO_PROCESS, static_cast<id_t>(tid));
    if (nice > 0 && errno == 0) return true;
#ifdef SCHED_IDLE
    return sched_getscheduler(tid) == SCHED_IDLE;
#else
    return false;
#endif
}

bool request_time_slice(std::chrono::microseconds slice) {
    // sched_setattr sets the nice value too, so pass the current one.
    errno = 0;
    const int nice = getpriority(PRIO_PROCESS, static_cast<id_t>(gettid()));
    if (nice == -1 && errno != 0) return false;
    SchedAttr attr;
    attr.flags = kKeepPolicy;
    attr.nice = nice;
    attr.runtime = static_cast<uint64_t>(std::chrono::nanoseconds(slice).count());
    if (syscall(SYS_sched_setattr, 0, &attr, 0u) != 0) return false;
    return requested_time_slice_ns(gettid()) == attr.runtime;
}

uint64_t requested_time_slice_ns(pid_t tid) {
    SchedAttr attr;
    if (syscall(SYS_sched_getattr, tid, &attr, static_cast<unsigned>(sizeof attr), 0u) != 0)
        return 0;
    return attr.runtime;
}

void CpuPlacement::capture(int threads) {
    CPU_ZERO(&allowed_);
    active_ = sched_getaffinity(0, sizeof allowed_, &allowed_) == 0 && threads > 1 &&
              threads <= CPU_COUNT(&allowed_);
}

void CpuPlacement::keep_off(int caller_cpu, int* kept_off) const {
    if (!active_ || caller_cpu == *kept_off) return;
    *kept_off = caller_cpu;
    cpu_set_t cpus = allowed_;
    if (caller_cpu >= 0 && caller_cpu < CPU_SETSIZE) CPU_CLR(caller_cpu, &cpus);
    if (CPU_COUNT(&cpus) == 0) cpus = allowed_;
    sched_setaffinity(0, sizeof cpus, &cpus);  // refused (a cpuset changed): stays where it is
}

bool CpuPlacement::move_to(pid_t tid, int cpu) const {
    if (!active_ || tid <= 0 || cpu < 0 || cpu >= CPU_SETSIZE || !CPU_ISSET(cpu, &allowed_))
        return false;
    cpu_set_t cpus;
    CPU_ZERO(&cpus);
    CPU_SET(cpu, &cpus);
    return sched_setaffinity(tid, sizeof cpus, &cpus) == 0;
}

}  // namespace ganvas::cpu
