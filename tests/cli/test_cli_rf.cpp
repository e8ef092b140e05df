// `ganvas rf`: the built-in architectures' published numbers through the
// command line, the JSON format both ways, every Ganvas model analysable, and
// bad files or misaligned networks as one clear error line.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "analysis/receptive_field_file.h"
#include "models/model.h"
#include "support/cli_runner.h"

using namespace ganvas;
using ganvas::testing::expect_clear_error;
using ganvas::testing::run_ganvas;
using ganvas::testing::temp_dir;
using ganvas::testing::write_bytes;
using nlohmann::json;

namespace {

json run_json(const std::string& args) {
    auto r = run_ganvas("rf " + args + " --json");
    EXPECT_EQ(r.status, 0) << r.output;
    return json::parse(r.output);
}

}  // namespace

TEST(CliRf, BuiltinsGivePublishedNumbers) {
    json vgg = run_json("--arch vgg16")["layers"];
    EXPECT_EQ(vgg.back()["name"], "pool5");
    EXPECT_EQ(vgg.back()["receptive_field"], 212);
    EXPECT_EQ(vgg.back()["effective_stride"], 32);
    EXPECT_EQ(vgg.back()["effective_padding"], 90);
    json alex = run_json("--arch alexnet_v2")["layers"];
    EXPECT_EQ(alex.back()["receptive_field"], 195);
    EXPECT_EQ(alex.back()["effective_stride"], 32);
    EXPECT_EQ(alex.back()["effective_padding"], 64);

    auto text = run_ganvas("rf --arch vgg16");
    EXPECT_EQ(text.status, 0);
    EXPECT_NE(text.output.find("pool5"), std::string::npos);
    EXPECT_NE(text.output.find("212"), std::string::npos);
}

TEST(CliRf, FileWithAsymmetricAndDilatedLayers) {
    const std::string dir = temp_dir("rf_file");
    write_bytes(dir + "/net.json", R"({"input_size": [32, 16], "layers": [
        {"name": "conv1", "type": "conv", "kernel": [3, 5], "stride": [1, 2], "padding": [1, 2]},
        {"name": "pool1", "type": "maxpool", "kernel": 2, "stride": 2, "padding": 0},
        {"name": "dil", "type": "conv", "kernel": 3, "padding": 2, "dilation": 2},
        {"name": "up", "type": "deconv", "kernel": 4, "stride": 2, "padding": 1, "output_padding": 0},
        {"name": "near", "type": "upsample", "scale": 2}]})");
    json layers = run_json("--arch " + dir + "/net.json")["layers"];
    ASSERT_EQ(layers.size(), 5u);
    EXPECT_EQ(layers[0]["receptive_field"], json::array({3, 5}));
    EXPECT_EQ(layers[0]["effective_stride"], json::array({1, 2}));
    EXPECT_EQ(layers[0]["output_size"], json::array({32, 8}));
    // pool: h 3 + 1 = 4, w 5 + 1 * 2 = 7; strides 2 and 4.
    EXPECT_EQ(layers[1]["receptive_field"], json::array({4, 7}));
    EXPECT_EQ(layers[1]["effective_stride"], json::array({2, 4}));
    // dilated 3x3 (span 5): h 4 + 4 * 2 = 12, w 7 + 4 * 4 = 23; padding h 1 + 2*2, w 2 + 2*4.
    EXPECT_EQ(layers[2]["receptive_field"], json::array({12, 23}));
    EXPECT_EQ(layers[2]["effective_padding"], json::array({5, 10}));
    // The transposed conv and the upsampling report their output phases.
    EXPECT_TRUE(layers[3].contains("phases"));
    EXPECT_EQ(layers[4]["output_size"], json::array({64, 16}));  // 32x8 -> 16x4 -> 32x8 -> 64x16
}

TEST(CliRf, EveryModelIsAnalysable) {
    for (const std::string& model : model_names()) {
        auto r = run_ganvas("rf --arch " + model + " --json");
        EXPECT_EQ(r.status, 0) << model << ": " << r.output;
        json layers = json::parse(r.output)["layers"];
        EXPECT_FALSE(layers.empty()) << model;
    }
    json d = run_json("--arch dcgan28:D")["layers"];
    EXPECT_EQ(d[1]["name"], "c2");
    EXPECT_EQ(d[1]["receptive_field"], 10);
}

TEST(CliRf, BadInputIsOneClearLine) {
    const std::string dir = temp_dir("rf_bad");
    expect_clear_error(run_ganvas("rf --arch nosuch"), "unknown architecture 'nosuch'");
    expect_clear_error(run_ganvas("rf --arch " + dir + "/missing.json"), dir + "/missing.json");
    write_bytes(dir + "/broken.json", "{\"layers\": [");
    expect_clear_error(run_ganvas("rf --arch " + dir + "/broken.json"), dir + "/broken.json");
    write_bytes(dir + "/type.json", R"({"layers": [{"name": "c", "type": "conv3d"}]})");
    expect_clear_error(run_ganvas("rf --arch " + dir + "/type.json"), "conv3d");
    write_bytes(dir + "/neg.json", R"({"layers": [{"name": "c", "type": "conv", "kernel": -3}]})");
    expect_clear_error(run_ganvas("rf --arch " + dir + "/neg.json"), "kernel");
    write_bytes(dir + "/frac.json",
                R"({"layers": [{"name": "c", "type": "conv", "kernel": 2.5}]})");
    expect_clear_error(run_ganvas("rf --arch " + dir + "/frac.json"), "whole number");
    write_bytes(dir + "/skew.json", R"({"layers": [
        {"name": "a", "type": "conv", "kernel": 3, "padding": 1},
        {"name": "b", "type": "conv", "kernel": 3, "stride": 2, "padding": 1, "inputs": ["input"]},
        {"name": "sum", "type": "add", "inputs": ["a", "b"]}]})");
    auto r = run_ganvas("rf --arch " + dir + "/skew.json");
    expect_clear_error(r, "misaligned");
    EXPECT_NE(r.output.find("'a' and 'b'"), std::string::npos) << r.output;
}
