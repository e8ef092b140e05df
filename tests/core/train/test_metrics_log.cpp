// metrics.csv: columns from the first row plus sparse ones, empty cells for
// missing values, and rows past a resumed checkpoint dropped; read back for the
// window's plots.
#include <gtest/gtest.h>

#include <cmath>

#include "support/test_files.h"
#include "train/metrics_log.h"

using namespace ganvas;
using ganvas::testing::read_bytes;

class MetricsLogTest : public ganvas::testing::TempDirTest {};

TEST_F(MetricsLogTest, SparseColumnsAreEmptyCellsWhenMissing) {
    {
        MetricsLog log(path("m.csv"), 0, {"ffd"});
        log.add(1, {{"loss", 0.5f}}, 0.25);
        log.add(2, {{"loss", 0.25f}, {"ffd", 12.5f}}, 0.5);
    }
    EXPECT_EQ(read_bytes(path("m.csv")), "step,loss,ffd,elapsed_s\n1,0.5,,0.25\n2,0.25,12.5,0.5\n");
}

TEST_F(MetricsLogTest, ResumeDropsRowsPastTheCheckpointAndKeepsColumns) {
    {
        MetricsLog log(path("m.csv"), 0, {"ffd"});
        for (int s = 1; s <= 5; ++s) log.add(s, {{"loss", static_cast<float>(s)}}, s);
    }
    {
        MetricsLog log(path("m.csv"), 3);
        log.add(4, {{"loss", 40.0f}, {"ffd", 1.0f}}, 4);
    }
    EXPECT_EQ(read_bytes(path("m.csv")),
              "step,loss,ffd,elapsed_s\n1,1,,1\n2,2,,2\n3,3,,3\n4,40,1,4\n");
}

TEST_F(MetricsLogTest, ReadsBackUpToAStepWithEmptyCellsAsNaN) {
    {
        MetricsLog log(path("m.csv"), 0, {"ffd"});
        log.add(1, {{"loss", 0.5f}}, 0.25);
        log.add(2, {{"loss", 0.25f}, {"ffd", 12.5f}}, 0.5);
        log.add(3, {{"loss", 0.125f}}, 0.75);
    }
    ganvas::testing::write_bytes(path("m.csv"), read_bytes(path("m.csv")) + "not,a,row\n");
    MetricHistory h = read_metrics_log(path("m.csv"), 2);
    ASSERT_EQ(h.steps, (std::vector<int64_t>{1, 2}));
    EXPECT_EQ(h.names, (std::vector<std::string>{"loss", "ffd"}));  // no elapsed_s
    EXPECT_EQ(*h.column("loss"), (std::vector<float>{0.5f, 0.25f}));
    EXPECT_TRUE(std::isnan((*h.column("ffd"))[0]));
    EXPECT_EQ((*h.column("ffd"))[1], 12.5f);

    EXPECT_EQ(read_metrics_log(path("m.csv"), 100).rows(), 3u);  // the bad row is skipped
    EXPECT_EQ(read_metrics_log(path("missing.csv"), 100).rows(), 0u);
    ganvas::testing::write_bytes(path("other.csv"), "a,b\n1,2\n");
    EXPECT_EQ(read_metrics_log(path("other.csv"), 100).rows(), 0u);
}
