// Inputs that used to give a wrong answer without a word: a generator saved alone,
// resuming a run on other data, IDX labels a classifier cannot read, sample files in
// another value range. Each is now refused with what was found, or works.
#include <gtest/gtest.h>

#include <filesystem>

#include "io/npy.h"
#include "io/safetensors.h"
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
