// Inputs that used to give a wrong answer without a word: a generator saved alone,
// resuming a run on other data, IDX labels a classifier cannot read, sample files in
// another value range. Each is now refused with what was found, or works.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdlib>
#include <filesystem>

#include "data/dataset.h"
#include "io/npy.h"
#include "io/safetensors.h"
#include "ops/shape_ops.h"
#include "support/cli_runner.h"
#include "support/golden.h"
#include "tensor/rng.h"

using namespace ganvas;
using ganvas::testing::expect_clear_error;
using ganvas::testing::read_bytes;
using ganvas::testing::run_ganvas;
using ganvas::testing::temp_dir;
using ganvas::testing::write_bytes;
namespace fs = std::filesystem;

namespace {

const std::string kReference = ganvas::testing::golden_path("dcgan28/checkpoint.safetensors");

// The reference checkpoint's tensors whose names start with `keep`, with that prefix
// replaced by `rename`, minus the tensor named `drop` (after renaming).
NamedTensors reference_tensors(const std::string& keep, const std::string& rename,
                               const std::string& drop = "") {
    NamedTensors out;
    for (auto& [name, t] : load_safetensors(kReference)) {
        if (name.rfind(keep, 0) != 0) continue;
        const std::string renamed = rename + name.substr(keep.size());
        if (renamed != drop) out.emplace_back(renamed, t);
    }
    return out;
}

}  // namespace

// What `torch.save`-style exports of the generator alone give: its tensors with the
// reference's "G." prefix, or bare as `G.state_dict()` names them. Both sample the
// very images of the whole checkpoint, the discriminator being unused for sampling.
TEST(CliChecks, GeneratorOnlyCheckpointsSampleTheSameImages) {
    const std::string dir = temp_dir("g_only");
    save_safetensors(dir + "/G_only.safetensors", reference_tensors("G.", "G."));
    save_safetensors(dir + "/G_bare.safetensors", reference_tensors("G.", ""));
    ASSERT_EQ(load_safetensors(dir + "/G_only.safetensors").size(), 14u);
    auto full = run_ganvas("sample --checkpoint " + kReference + " --n 16 --seed 0 --out " + dir +
                           "/full.npy");
    ASSERT_EQ(full.status, 0) << full.output;
    ASSERT_EQ(run_ganvas("sample --checkpoint " + kReference + " --n 16 --seed 0 --out " + dir +
                         "/full.png")
                  .status,
              0);
    for (const char* file : {"G_only", "G_bare"}) {
        const std::string ckpt = dir + "/" + file + ".safetensors";
        auto r =
            run_ganvas("sample --checkpoint " + ckpt + " --n 16 --seed 0 --out " + dir + "/x.png");
        ASSERT_EQ(r.status, 0) << file << ": " << r.output;
        EXPECT_EQ(read_bytes(dir + "/x.png"), read_bytes(dir + "/full.png")) << file;
        r = run_ganvas("sample --checkpoint " + ckpt + " --n 16 --seed 0 --out " + dir + "/x.npy");
        ASSERT_EQ(r.status, 0) << file << ": " << r.output;
        EXPECT_EQ(read_bytes(dir + "/x.npy"), read_bytes(dir + "/full.npy")) << file;
        fs::remove(dir + "/x.png");
        fs::remove(dir + "/x.npy");
    }
}

// A generator file short of one tensor names that tensor, not a made-up one.
TEST(CliChecks, GeneratorOnlyCheckpointMissingATensorNamesIt) {
    const std::string dir = temp_dir("g_missing");
    save_safetensors(dir + "/no_bn1.safetensors",
                     reference_tensors("G.", "G.", "G.bn1.running_var"));
    expect_clear_error(run_ganvas("sample --checkpoint " + dir +
                                  "/no_bn1.safetensors --n 16 --seed 0 --out " + dir + "/x.png"),
                       dir + "/no_bn1.safetensors: missing tensor G.bn1.running_var");
    save_safetensors(dir + "/bare_no_up2.safetensors", reference_tensors("G.", "", "up2.bias"));
    expect_clear_error(run_ganvas("sample --checkpoint " + dir +
                                  "/bare_no_up2.safetensors --n 4 --out " + dir + "/x.png"),
                       "missing tensor G.up2.bias (the file's names have no 'G.' prefix");
    // Without G.fc.weight there is no telling; the message says what the file lacks.
    save_safetensors(dir + "/d_only.safetensors", reference_tensors("D.", "D."));
    expect_clear_error(run_ganvas("sample --checkpoint " + dir +
                                  "/d_only.safetensors --n 4 --out " + dir + "/x.png"),
                       "none of its 10 tensors is G.fc.weight");
    EXPECT_FALSE(fs::exists(dir + "/x.png"));
}

namespace {

// n random 28x28 IDX images, the same for the same seed.
std::string random_idx_images(int n, uint64_t seed) {
    std::string b = {0, 0, 8, 3, 0, 0, 0, static_cast<char>(n), 0, 0, 0, 28, 0, 0, 0, 28};
    Rng rng(seed);
    for (int i = 0; i < n * 784; ++i) b += static_cast<char>(rng.randint(256));
    return b;
}

}  // namespace

// --resume goes on with the checkpoint's own data and batch: left out, they are taken
// from it; given and different, the run is refused, naming both, and nothing changes.
TEST(CliChecks, ResumeOnOtherDataIsRefusedAndLeftOutFlagsComeFromTheCheckpoint) {
    const std::string dir = temp_dir("resume_data");
    write_bytes(dir + "/a.idx", random_idx_images(24, 1));
    write_bytes(dir + "/b.idx", random_idx_images(24, 2));  // same shape, other images
    const std::string flags = " --model dcgan28 --threads 1 --seed 5 --quiet ";
    const std::string a = " --data idx:" + dir + "/a.idx --batch 8 ";
    ASSERT_EQ(run_ganvas("train" + flags + a + "--steps 3 --out " + dir + "/straight").status, 0);
    ASSERT_EQ(run_ganvas("train" + flags + a + "--steps 2 --out " + dir + "/run").status, 0);
    const std::string checkpoint = dir + "/run/checkpoint.safetensors";
    const std::string before = read_bytes(checkpoint),
                      metrics = read_bytes(dir + "/run/metrics.csv");

    expect_clear_error(run_ganvas("train" + flags + "--data idx:" + dir +
                                  "/b.idx --batch 8 --steps 3 --resume --out " + dir + "/run"),
                       "--data idx:" + dir + "/b.idx differs from data idx:" + dir +
                           "/a.idx that " + checkpoint + " was trained with");
    expect_clear_error(run_ganvas("train" + flags + "--data idx:" + dir +
                                  "/a.idx --batch 4 --steps 3 --resume --out " + dir + "/run"),
                       "--batch 4 differs from batch 8 that " + checkpoint);
    expect_clear_error(
        run_ganvas("train --model wgan_gp28 --steps 3 --resume --out " + dir + "/run"),
        "--model wgan_gp28 differs from model dcgan28");
    EXPECT_EQ(read_bytes(checkpoint), before);
    EXPECT_EQ(read_bytes(dir + "/run/metrics.csv"), metrics);

    // Neither --data nor --batch nor --model: the checkpoint's, and the same run as
    // three steps in one go; the same file spelt another way is the same data.
    auto r = run_ganvas("train --threads 1 --quiet --steps 3 --resume --out " + dir + "/run");
    ASSERT_EQ(r.status, 0) << r.output;
    EXPECT_NE(r.output.find("on idx:" + dir + "/a.idx"), std::string::npos) << r.output;
    EXPECT_EQ(read_bytes(checkpoint), read_bytes(dir + "/straight/checkpoint.safetensors"));
    r = run_ganvas("train --threads 1 --quiet --steps 4 --resume --data idx:" + dir +
                   "/./a.idx --out " + dir + "/run");
    ASSERT_EQ(r.status, 0) << r.output;
}

namespace {

bool have_fashion_mnist() {
    return fs::exists(std::string(kFashionMnistDir) + "/t10k-images-idx3-ubyte.gz");
}

// The "ffd" of `eval --json` output; NaN when there is none.
double ffd_of(const std::string& output) {
    const size_t at = output.find("\"ffd\": ");
    return at == std::string::npos ? std::nan("") : std::atof(output.c_str() + at + 7);
}

}  // namespace

// Samples are scored in the generator's [-1, 1]. Values far outside are refused with the
// range found and the first such value; a file all in [0, 1] is refused as the other
// convention it looks like, and --range 0,1 scores it as the same images in [-1, 1].
TEST(CliChecks, EvalRefusesSamplesOutsideTheModelRange) {
    const std::string dir = temp_dir("eval_range");
    Rng rng(3);
    Tensor huge = rng.rand({20, 1, 28, 28});  // [0, 1)
    for (int64_t i = 0; i < huge.numel(); ++i) huge.data()[i] = huge.data()[i] * 2 - 1;
    huge.data()[5 * 784 + 3 * 28 + 7] = 1e30f;
    save_npy(dir + "/huge.npy", huge);
    expect_clear_error(run_ganvas("eval --samples " + dir + "/huge.npy --n 20"),
                       "huge.npy holds values in [");
    auto r = run_ganvas("eval --samples " + dir + "/huge.npy --n 20");
    EXPECT_NE(r.output.find(", 1e+30], far outside [-1, 1] (1e+30 at index (5, 0, 3, 7))"),
              std::string::npos)
        << r.output;

    Tensor bytes = rng.rand({20, 1, 28, 28});
    for (int64_t i = 0; i < bytes.numel(); ++i) bytes.data()[i] = std::floor(bytes.data()[i] * 256);
    bytes.data()[0] = 0;
    bytes.data()[1] = 255;
    save_npy(dir + "/bytes.npy", bytes);
    expect_clear_error(run_ganvas("eval --samples " + dir + "/bytes.npy --n 20"),
                       "bytes.npy holds values in [0, 255], far outside [-1, 1]");
    expect_clear_error(run_ganvas("eval --samples " + dir + "/bytes.npy --n 20 --range 0,1"),
                       "bytes.npy holds values in [0, 255], far outside [0, 1]");

    Tensor unit = rng.rand({20, 1, 28, 28});
    unit.data()[0] = 0;
    unit.data()[1] = 1;
    save_npy(dir + "/unit.npy", unit);
    expect_clear_error(run_ganvas("eval --samples " + dir + "/unit.npy --n 20"),
                       "unit.npy holds values in [0, 1] only, so it looks like images in [0, 1], "
                       "not the [-1, 1] the generator's tanh gives: --range 0,1 rescales them");
    expect_clear_error(run_ganvas("eval --samples " + dir + "/unit.npy --range 1,0"),
                       "--range expects LO,HI with LO < HI");
}

TEST(CliChecks, EvalWithRange01ScoresTheSameImagesAsInMinus1To1) {
    if (!have_fashion_mnist()) GTEST_SKIP() << "dataset-fashion-mnist is not installed";
    const std::string dir = temp_dir("eval_rescale");
    Tensor real = narrow(load_fashion_mnist("train").images, 0, 0, 200).clone();  // [-1, 1]
    Tensor unit = real.clone();
    for (int64_t i = 0; i < unit.numel(); ++i) unit.data()[i] = (unit.data()[i] + 1) / 2;
    save_npy(dir + "/real.npy", real);
    save_npy(dir + "/unit.npy", unit);
    auto a = run_ganvas("eval --samples " + dir + "/real.npy --json");
    auto b = run_ganvas("eval --samples " + dir + "/unit.npy --range 0,1 --json");
    ASSERT_EQ(a.status, 0) << a.output;
    ASSERT_EQ(b.status, 0) << b.output;
    EXPECT_NEAR(ffd_of(b.output), ffd_of(a.output), 1e-3 * ffd_of(a.output)) << b.output;
}
