// The op profiler charges the time between boundaries to the op and phase that were
// current, on a clock the tests move by hand, so no result depends on real time.
#include "backend/op_profile.h"

#include <gtest/gtest.h>

#include <stdexcept>
#include <thread>

using namespace ganvas;

namespace {

double g_now = 0;  // the fake clock, in seconds

OpProfileOptions fake_clock() {
    g_now = 100;
    OpProfileOptions options;
    options.clock = [] { return g_now; };
    return options;
}

const OpProfileRow* find_row(const OpProfile& profile, const std::string& op) {
    for (const OpProfileRow& row : profile.ops)
        if (row.op == op) return &row;
    return nullptr;
}

double seconds(const OpProfile& profile, const std::string& op, Phase phase) {
    const OpProfileRow* row = find_row(profile, op);
    return row ? row->seconds[static_cast<size_t>(phase)] : -1;
}

int64_t calls(const OpProfile& profile, const std::string& op, Phase phase) {
    const OpProfileRow* row = find_row(profile, op);
    return row ? row->calls[static_cast<size_t>(phase)] : -1;
}

}  // namespace

TEST(OpProfile, ChargesTheTimeUntilTheNextBoundaryToTheCurrentOpAndPhase) {
    start_op_profile(fake_clock());
    g_now += 0.5;  // before any op: outside ops, forward
    note_op_start("conv2d");
    g_now += 1;
    note_op_start("relu");
    g_now += 2;
    {
        PhaseScope backward(Phase::backward);  // ends relu's forward time
        g_now += 0.25;                         // the engine's own work: outside ops
        note_op_start("conv2d");
        g_now += 4;
        note_op_start("relu");
        g_now += 8;
    }
    g_now += 16;  // between the engine and the optimizer: outside ops, forward
    {
        PhaseScope optimizer(Phase::optimizer);
        note_op_start("adam_step");
        g_now += 32;
        note_op_start("adam_step");
        g_now += 64;
    }
    const OpProfile profile = stop_op_profile();

    EXPECT_EQ(seconds(profile, "conv2d", Phase::forward), 1);
    EXPECT_EQ(seconds(profile, "relu", Phase::forward), 2);
    EXPECT_EQ(seconds(profile, "conv2d", Phase::backward), 4);
    EXPECT_EQ(seconds(profile, "relu", Phase::backward), 8);
    EXPECT_EQ(seconds(profile, "adam_step", Phase::optimizer), 96);
    EXPECT_EQ(seconds(profile, "adam_step", Phase::forward), 0);
    EXPECT_EQ(calls(profile, "conv2d", Phase::forward), 1);
    EXPECT_EQ(calls(profile, "conv2d", Phase::backward), 1);
    EXPECT_EQ(calls(profile, "adam_step", Phase::optimizer), 2);
    EXPECT_EQ(calls(profile, "adam_step", Phase::backward), 0);
    EXPECT_EQ(profile.outside_ops_seconds[0], 16.5);
    EXPECT_EQ(profile.outside_ops_seconds[1], 0.25);
    EXPECT_EQ(profile.outside_ops_seconds[2], 0);
    EXPECT_EQ(profile.wall_seconds, 0.5 + 1 + 2 + 0.25 + 4 + 8 + 16 + 32 + 64);
    ASSERT_EQ(profile.ops.size(), 3u);  // most total time first
    EXPECT_EQ(profile.ops[0].op, "adam_step");
    EXPECT_EQ(profile.ops[1].op, "relu");
    EXPECT_EQ(profile.ops[2].op, "conv2d");
}

TEST(OpProfile, StopChargesTheLastOpAndTheWallTimeIsEverythingCharged) {
    start_op_profile(fake_clock());
    note_op_start("mean");
    g_now += 3;
    const OpProfile profile = stop_op_profile();
    EXPECT_EQ(seconds(profile, "mean", Phase::forward), 3);
    EXPECT_EQ(profile.wall_seconds, 3);
}

TEST(OpProfile, RecordsNothingWhenOff) {
    note_op_start("conv2d");  // no profile running
    { PhaseScope backward(Phase::backward); }
    EXPECT_TRUE(stop_op_profile().ops.empty());

    start_op_profile(fake_clock());
    const OpProfile profile = stop_op_profile();
    EXPECT_TRUE(profile.ops.empty()) << "an op from before the start was kept";
    note_op_start("conv2d");  // after the stop
    EXPECT_TRUE(stop_op_profile().ops.empty());
}

TEST(OpProfile, NestedPhaseScopesRestoreThePhaseTheyFound) {
    start_op_profile(fake_clock());
    {
        PhaseScope backward(Phase::backward);
        {
            PhaseScope optimizer(Phase::optimizer);
            note_op_start("inner");
            g_now += 1;
        }
        note_op_start("middle");
        g_now += 1;
    }
    note_op_start("outer");
    g_now += 1;
    const OpProfile profile = stop_op_profile();
    EXPECT_EQ(calls(profile, "inner", Phase::optimizer), 1);
    EXPECT_EQ(calls(profile, "middle", Phase::backward), 1);
    EXPECT_EQ(calls(profile, "outer", Phase::forward), 1);
    EXPECT_EQ(seconds(profile, "middle", Phase::backward), 1);
    EXPECT_EQ(seconds(profile, "outer", Phase::forward), 1);
}

TEST(OpProfile, IgnoresOtherThreadsAndAllowsOneProfileAtATime) {
    start_op_profile(fake_clock());
    note_op_start("mine");
    std::thread other([] {
        PhaseScope backward(Phase::backward);
        note_op_start("theirs");
        g_now += 5;  // would end "mine" early if this thread counted
        EXPECT_THROW(start_op_profile(), std::logic_error);
        EXPECT_TRUE(stop_op_profile().ops.empty()) << "stopped another thread's profile";
    });
    other.join();
    g_now += 1;
    const OpProfile profile = stop_op_profile();
    EXPECT_EQ(find_row(profile, "theirs"), nullptr);
    EXPECT_EQ(seconds(profile, "mine", Phase::forward), 6);
    EXPECT_EQ(calls(profile, "mine", Phase::forward), 1);
}

TEST(OpProfile, RunsTheBoundaryHookAtEachBoundaryButNotForItsOwnOps) {
    int hooks = 0;
    OpProfileOptions options = fake_clock();
    options.at_boundary = [&hooks] {
        ++hooks;
        note_op_start("synchronize");  // a hook that dispatches must not recurse or count
        g_now += 10;                   // the kernels it waited for: the op before's time
    };
    start_op_profile(std::move(options));         // 1
    note_op_start("conv2d");                      // 2
    { PhaseScope backward(Phase::backward); }     // 3, 4
    const OpProfile profile = stop_op_profile();  // 5
    EXPECT_EQ(hooks, 5);
    EXPECT_EQ(find_row(profile, "synchronize"), nullptr);
    EXPECT_EQ(seconds(profile, "conv2d", Phase::forward), 10);
}

TEST(OpProfile, AHookThatFailsInAScopesEndFailsTheStopAndEndsTheProfile) {
    bool fail = false;
    OpProfileOptions options = fake_clock();
    options.at_boundary = [&fail] {
        if (fail) throw std::runtime_error("GPU lost");
    };
    start_op_profile(std::move(options));
    {
        PhaseScope optimizer(Phase::optimizer);
        fail = true;
    }
    fail = false;
    EXPECT_THROW(stop_op_profile(), std::runtime_error);
    start_op_profile(fake_clock());  // the failed profile is over
    EXPECT_TRUE(stop_op_profile().ops.empty());
}
