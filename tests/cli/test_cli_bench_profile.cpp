// `ganvas bench --profile`: a dcgan28 step's time by op and phase, as a table on
// stderr and in the JSON beside the figures bench always printed.
#include <gtest/gtest.h>

#include <map>
#include <nlohmann/json.hpp>

#include "backend/backend.h"
#include "support/cli_runner.h"

using ganvas::Device;
using ganvas::testing::run_ganvas;

namespace {

// The JSON line of bench's output (stdout), among the table's lines (stderr).
nlohmann::json json_of(const std::string& output) {
    const size_t start = output.find("{\"device\"");
    if (start == std::string::npos) return nullptr;
    return nlohmann::json::parse(output.substr(start, output.find('\n', start) - start));
}

// Milliseconds of a profile's rows by op, all phases together.
std::map<std::string, double> total_ms_by_op(const nlohmann::json& rows) {
    std::map<std::string, double> ms;
    for (const nlohmann::json& row : rows)
        ms[row["op"]] = row["forward_ms"].get<double>() + row["backward_ms"].get<double>() +
                        row["optimizer_ms"].get<double>();
    return ms;
}

}  // namespace

TEST(CliBenchProfile, ChargesADcganStepToItsOpsInEachPhase) {
    const auto r =
        run_ganvas("bench --model dcgan28 --steps 1 --warmup 0 --threads 1 --profile --json");
    ASSERT_EQ(r.status, 0) << r.output;
    const nlohmann::json doc = json_of(r.output);
    ASSERT_TRUE(doc.is_object()) << r.output;
    EXPECT_EQ(doc["device"], "cpu");
    EXPECT_EQ(doc["threads"], 1);
    EXPECT_GT(doc["ms_per_step"]["dcgan28"].get<double>(), 0);

    const nlohmann::json& rows = doc["profile"]["dcgan28"];
    ASSERT_TRUE(rows.is_array()) << r.output;
    std::map<std::string, nlohmann::json> by_op;
    double ops_ms = 0, all_ms = 0;
    for (const nlohmann::json& row : rows) {
        const std::string op = row["op"];
        by_op[op] = row;
        const double ms = row["forward_ms"].get<double>() + row["backward_ms"].get<double>() +
                          row["optimizer_ms"].get<double>();
        all_ms += ms;
        if (op != "(outside ops)") ops_ms += ms;
    }
    ASSERT_TRUE(by_op.count("conv2d") && by_op.count("conv2d_weight") && by_op.count("adam_step"))
        << r.output;
    EXPECT_GT(by_op["conv2d"]["forward_ms"].get<double>(), 0);
    EXPECT_GT(by_op["conv2d"]["calls"].get<double>(), 0);
    EXPECT_GT(by_op["conv2d_weight"]["backward_ms"].get<double>(), 0);  // a backward rule
    EXPECT_EQ(by_op["conv2d_weight"]["forward_ms"].get<double>(), 0);
    EXPECT_GT(by_op["adam_step"]["optimizer_ms"].get<double>(), 0);
    EXPECT_EQ(by_op["adam_step"]["forward_ms"].get<double>(), 0);
    EXPECT_EQ(by_op["adam_step"]["backward_ms"].get<double>(), 0);
    ASSERT_TRUE(by_op.count("(outside ops)")) << r.output;
    EXPECT_EQ(by_op["(outside ops)"]["calls"], 0);

    // The rows, outside ops included, are the profiled step's time (each rounded to 1 us).
    const double step_ms = doc["profile_ms_per_step"]["dcgan28"].get<double>();
    const double rounding = 0.0005 * 3 * static_cast<double>(rows.size());
    EXPECT_NEAR(all_ms, step_ms, rounding) << r.output;
    EXPECT_LE(ops_ms, step_ms + rounding) << r.output;
    EXPECT_GT(ops_ms, 0.5 * step_ms) << "most of a step is ops: " << r.output;

    EXPECT_NE(r.output.find("dcgan28: ms per step by op and phase (1 profiled steps)"),
              std::string::npos)
        << r.output;
    EXPECT_NE(r.output.find("\nconv2d_weight "), std::string::npos) << r.output;
    EXPECT_NE(r.output.find("\ntotal "), std::string::npos) << r.output;
}

TEST(CliBenchProfile, WithoutTheFlagTheJsonIsAsBefore) {
    const auto r = run_ganvas("bench --model dcgan28 --steps 1 --warmup 0 --threads 1 --json");
    ASSERT_EQ(r.status, 0) << r.output;
    const nlohmann::json doc = json_of(r.output);
    ASSERT_TRUE(doc.is_object()) << r.output;
    std::vector<std::string> keys;
    for (const auto& [key, value] : doc.items()) keys.push_back(key);
    EXPECT_EQ(keys, (std::vector<std::string>{"device", "ms_per_step", "threads"}));
    EXPECT_EQ(r.output.find("by op and phase"), std::string::npos) << r.output;
}

// On a GPU each op waits for its kernels (the backend's synchronize at each boundary):
// the profile runs to the end and its rows still add up to the profiled steps.
TEST(CliBenchProfile, ProfilesOnTheGpu) {
    std::string why;
    if (!ganvas::backend_available(Device::gpu, &why)) GTEST_SKIP() << why;
    const auto r =
        run_ganvas("bench --model classifier28 --steps 1 --warmup 0 --device gpu --profile --json");
    ASSERT_EQ(r.status, 0) << r.output;
    const nlohmann::json doc = json_of(r.output);
    ASSERT_TRUE(doc.is_object()) << r.output;
    EXPECT_EQ(doc["device"], "gpu");
    const std::map<std::string, double> ms = total_ms_by_op(doc["profile"]["classifier28"]);
    ASSERT_TRUE(ms.count("conv2d") && ms.count("adam_step")) << r.output;
    EXPECT_GT(ms.at("conv2d"), 0);
    EXPECT_GT(ms.at("adam_step"), 0);
    double sum = 0;
    for (const auto& [op, op_ms] : ms) sum += op_ms;
    EXPECT_NEAR(sum, doc["profile_ms_per_step"]["classifier28"].get<double>(),
                0.0015 * static_cast<double>(ms.size()))
        << r.output;
}
