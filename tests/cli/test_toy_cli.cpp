// `ganvas train --model toy2d --data toy:NAME` headless: metrics, a scatter PNG,
// resume, and one clear sentence for a bad model spec or toy name.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "support/cli_runner.h"

using namespace ganvas::testing;
namespace fs = std::filesystem;

TEST(ToyCli, TrainsWritesMetricsAScatterAndResumes) {
    const std::string out = temp_dir("toy_cli");
    CliResult r = run_ganvas(
        "train --model toy2d:width=16 --data toy:ring8 --steps 40 --batch 32 "
        "--sample-every 20 --quiet --out " +
        out);
    ASSERT_EQ(r.status, 0) << r.output;
    EXPECT_TRUE(fs::exists(out + "/samples_40.png")) << r.output;
    std::ifstream csv(out + "/metrics.csv");
    std::string header;
    std::getline(csv, header);
    EXPECT_NE(header.find("loss_D,loss_G,W_estimate,gp"), std::string::npos) << header;
    r = run_ganvas(
        "train --model toy2d:width=16 --data toy:ring8 --steps 50 --batch 32 --quiet "
        "--resume --out " +
        out);
    ASSERT_EQ(r.status, 0) << r.output;
    EXPECT_NE(r.output.find("resumed"), std::string::npos) << r.output;
    // 1-D data gives the model its dimension by itself.
    r = run_ganvas(
        "train --model toy2d:objective=minimax --data toy:bimodal1d --steps 5 --quiet "
        "--out " +
        out + "/oned");
    ASSERT_EQ(r.status, 0) << r.output;
}

TEST(ToyCli, BadSpecsGetOneSentence) {
    const std::string out = temp_dir("toy_cli_bad");
    CliResult r = run_ganvas("train --model toy2d:objective=gan --data toy:ring8 --steps 5 --out " +
                             out + "/a");
    EXPECT_NE(r.status, 0);
    EXPECT_NE(r.output.find("unknown objective 'gan'"), std::string::npos) << r.output;
    r = run_ganvas("train --model toy2d --data toy:ring9 --steps 5 --out " + out + "/b");
    EXPECT_NE(r.status, 0);
    EXPECT_NE(r.output.find("toy:ring9"), std::string::npos) << r.output;
}

TEST(ToyCli, BadLabSpecFailsBeforeAnyWindowOpens) {
    CliResult r = run_ganvas("--lab data=ring9,steps=5 --screenshot /nonexistent/x.png");
    EXPECT_NE(r.status, 0);
    EXPECT_NE(r.output.find("--lab"), std::string::npos) << r.output;
    EXPECT_NE(r.output.find("ring9"), std::string::npos) << r.output;
}
