// metrics.csv: columns from the first row plus sparse ones, empty cells for
// missing values, and rows past a resumed checkpoint dropped.
#include <gtest/gtest.h>

#include "test_files.h"
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
