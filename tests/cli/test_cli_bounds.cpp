// Sizes from files reach the command line as one clear line naming the file, a
// non-zero status and no allocation they ask for: the cases of issue 21.
#include <gtest/gtest.h>

#include <cstdint>
#include <string>
#include <vector>

#include "data/tf_example.h"
#include "data/tfrecord.h"
#include "io/safetensors.h"
#include "support/cli_runner.h"
#include "tensor/tensor.h"

using namespace ganvas;
using ganvas::testing::expect_clear_error;
using ganvas::testing::run_ganvas;
using ganvas::testing::temp_dir;
using ganvas::testing::write_bytes;

namespace {

std::string npy_with_shape(const std::string& shape) {
    std::string header = "{'descr': '<f4', 'fortran_order': False, 'shape': " + shape + ", }";
    header.append(64 - (10 + header.size() + 1) % 64, ' ');
    header += '\n';
    std::string out = "\x93NUMPY\x01";
    out += '\0';
    out += char(header.size() & 0xFF);
    out += char(header.size() >> 8);
    return out + header;
}

std::string layers_json(const std::string& type, int count, const std::string& settings) {
    std::string out = R"({"layers": [)";
    for (int i = 1; i <= count; ++i)
        out += std::string(i > 1 ? ", " : "") + R"({"name": "l)" + std::to_string(i) +
               R"(", "type": ")" + type + "\", " + settings + "}";
    return out + "]}";
}

}  // namespace

TEST(CliBounds, EvalSamplesWithAnEmptyAxisAndHugeOthers) {
    const std::string dir = temp_dir("bounds_eval");
    write_bytes(dir + "/s.npy", npy_with_shape("(0, 9223372036854775807, 9223372036854775807)"));
    expect_clear_error(run_ganvas("eval --samples " + dir + "/s.npy"),
                       dir + "/s.npy: shape (0, 9223372036854775807, 9223372036854775807)");
}

TEST(CliBounds, ReceptiveFieldsOfHostileLayerLists) {
    const std::string dir = temp_dir("bounds_rf");
    const std::vector<std::pair<std::string, std::string>> cases = {
        {layers_json("conv", 7, R"("kernel": 3, "stride": 1000)"), "layer 'l4'"},
        {layers_json("conv", 7, R"("kernel": 3, "stride": 1000, "padding": 10000)"), "layer 'l3'"},
        {layers_json("deconv", 3, R"("kernel": 3, "stride": 1000)"),
         "layer 'l2' (height): the field would repeat every 1000000 output units"},
        {layers_json("upsample", 2, R"("scale": 1000)"),
         "layer 'l2' (height): the field would repeat every 1000000 output units"}};
    for (size_t i = 0; i < cases.size(); ++i) {
        const std::string file = dir + "/net" + std::to_string(i) + ".json";
        write_bytes(file, cases[i].first);
        expect_clear_error(run_ganvas("rf --arch " + file), file + ": " + cases[i].second);
    }
}

TEST(CliBounds, CheckpointNamingAnOversizedModelIsRefusedBeforeBuildingIt) {
    const std::string dir = temp_dir("bounds_ck");
    save_safetensors(dir + "/ck.safetensors", {{"x", Tensor::zeros({1})}},
                     {{"model", "vqgan28:codes=65536,dim=4096"}});
    expect_clear_error(run_ganvas("eval --checkpoint " + dir + "/ck.safetensors"),
                       dir +
                           "/ck.safetensors: vqgan28: a codebook of 65536 codes of dimension "
                           "4096 holds 268435456 values");
}

TEST(CliBounds, TfrecordImageWhoseStatedSizeWrapsIsRefused) {
    const std::string dir = temp_dir("bounds_tfrecord");
    Example ex;
    ex["image"] = Feature::of_bytes({"abcd"});
    ex["height"] = Feature::of_ints({(int64_t(1) << 62) + 1});  // x 4 wraps to 4
    ex["width"] = Feature::of_ints({4});
    write_tfrecord(dir + "/wrap.tfrecord", {serialize_example(ex)});
    expect_clear_error(run_ganvas("train --model dcgan28 --steps 1 --data tfrecord:" + dir +
                                  "/wrap.tfrecord --out " + dir + "/run"),
                       dir +
                           "/wrap.tfrecord: record 0: says the image is 4611686018427387905x4, "
                           "larger than the limit of 8192");
}
