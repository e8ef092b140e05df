// A Session loads only a checkpoint saved from the same run: the window and experiment
// files go through load_checkpoint too, without the command line's checks.
#include <gtest/gtest.h>

#include "support/test_files.h"
#include "train/session.h"

using namespace ganvas;

namespace {

class SessionCheckpoint : public ganvas::testing::TempDirTest {};

SessionConfig toy_config(const std::string& data) {
    SessionConfig config;
    config.model = "toy2d";
    config.data = data;
    config.batch = 16;
    return config;
}

}  // namespace

// The blocks a finished session's tensors leave in the host memory cache are
// freed with it, not kept for sizes the next model may never ask for.
TEST_F(SessionCheckpoint, AnEndedSessionLeavesNothingInTheHostMemoryCache) {
    {
        Session s(toy_config("toy:ring8"));
        s.step();
        s.step();
    }
    EXPECT_EQ(ganvas::host_memory_stats().cached_bytes, 0u);
}

TEST_F(SessionCheckpoint, ACheckpointOfOtherDataIsRefusedNamingBoth) {
    Session ring(toy_config("toy:ring8"));
    ring.step();
    ring.save_checkpoint(path("ring.safetensors"));

    Session grid(toy_config("toy:grid25"));  // same model, batch and point shape
    ganvas::testing::expect_error([&] { grid.load_checkpoint(path("ring.safetensors")); },
                                  path("ring.safetensors"),
                                  "checkpoint was trained on data toy:ring8, not toy:grid25");
    EXPECT_EQ(grid.steps_done(), 0);  // nothing changed

    Session same(toy_config("toy:ring8"));
    same.load_checkpoint(path("ring.safetensors"));
    EXPECT_EQ(same.steps_done(), 1);
}

TEST(SameDataSpec, SameDataSpeltDifferently) {
    EXPECT_TRUE(same_data_spec("fashion-mnist", "fashion-mnist:train"));
    EXPECT_FALSE(same_data_spec("fashion-mnist", "fashion-mnist:test"));
    EXPECT_TRUE(same_data_spec("idx:./a.idx,b.idx", "idx:a.idx,dir/../b.idx"));
    EXPECT_FALSE(same_data_spec("idx:a.idx,b.idx", "idx:a.idx"));
    EXPECT_FALSE(same_data_spec("idx:a.idx", "folder:a.idx"));
    EXPECT_FALSE(same_data_spec("tfrecord:t.rec,image=x", "tfrecord:t.rec,image=y"));
    EXPECT_TRUE(same_data_spec("not a spec", "not a spec"));
    EXPECT_FALSE(same_data_spec("not a spec", "fashion-mnist"));
}
