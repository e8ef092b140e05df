// The command line as users and scripts meet it: bad input gives one clear
// line naming the file, a non-zero exit and no partial output; sampling from
// the PyTorch reference checkpoint; resume continuing bit for bit.
#include <gtest/gtest.h>

#include <cmath>
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

const std::string kGolden = ganvas::testing::golden_path("dcgan28/");

// One line of error output that names `what`, and a failing exit status.
// A tiny IDX image file: n images of 28x28.
std::string idx_images(int n, bool truncate = false) {
    std::string b = {0, 0, 8, 3, 0, 0, 0, static_cast<char>(n), 0, 0, 0, 28, 0, 0, 0, 28};
    b += std::string(static_cast<size_t>(n) * 784 - (truncate ? 100 : 0), '\x40');
    return b;
}

}  // namespace

TEST(Cli, UnknownCommandModelAndFlag) {
    auto r = run_ganvas("frobnicate");
    EXPECT_NE(r.status, 0);
    EXPECT_NE(r.output.find("unknown command 'frobnicate'"), std::string::npos);
    expect_clear_error(run_ganvas("bench --model nosuch --steps 1"), "unknown model 'nosuch'");
    // A known model with options it does not take is not an unknown model.
    expect_clear_error(run_ganvas("bench --model dcgan28:width=8 --steps 1"),
                       "'dcgan28:width=8': dcgan28 takes no options after a colon");
    expect_clear_error(run_ganvas("train --stpes 10"), "unknown flag --stpes");
    expect_clear_error(run_ganvas("train --steps ten"), "--steps expects a whole number");
}

TEST(Cli, MissingAndCorruptDataSets) {
    std::string dir = temp_dir("data");
    std::string out = dir + "/run";
    expect_clear_error(run_ganvas("train --data idx:" + dir + "/missing.gz --steps 1 --out " + out),
                       dir + "/missing.gz");
    write_bytes(dir + "/short.idx", idx_images(3, true));
    expect_clear_error(run_ganvas("train --data idx:" + dir + "/short.idx --steps 1 --out " + out),
                       dir + "/short.idx");
    write_bytes(dir + "/magic.idx", "\x01\x02\x08\x03" + idx_images(2).substr(4));
    expect_clear_error(run_ganvas("train --data idx:" + dir + "/magic.idx --steps 1 --out " + out),
                       dir + "/magic.idx");
    write_bytes(dir + "/bad.gz", "\x1f\x8b\x08\x00garbage that is not deflate");
    expect_clear_error(run_ganvas("train --data idx:" + dir + "/bad.gz --steps 1 --out " + out),
                       dir + "/bad.gz");
    EXPECT_FALSE(fs::exists(out)) << "a failed run left " << out << " behind";
}

TEST(Cli, OutThatIsAFileIsRefusedUntouched) {
    std::string dir = temp_dir("out_file");
    write_bytes(dir + "/notes.txt", "keep me");
    expect_clear_error(
        run_ganvas("train --data idx:" + dir + "/none.idx --steps 1 --out " + dir + "/notes.txt"),
        "--out " + dir + "/notes.txt is a file; give a folder for the run");
    EXPECT_EQ(read_bytes(dir + "/notes.txt"), "keep me");
}

TEST(Cli, BadCheckpoints) {
    std::string dir = temp_dir("ckpt");
    const std::string out = dir + "/out.png";
    write_bytes(dir + "/header.safetensors", std::string("\xff\xff\xff\xff\x00\x00\x00\x00{}", 10));
    expect_clear_error(
        run_ganvas("sample --checkpoint " + dir + "/header.safetensors --n 4 --out " + out),
        dir + "/header.safetensors");
    expect_clear_error(
        run_ganvas("sample --checkpoint " + dir + "/nope.safetensors --n 4 --out " + out),
        dir + "/nope.safetensors");

    // The reference checkpoint with one tensor dropped, and with one misshapen.
    NamedTensors tensors = load_safetensors(kGolden + "checkpoint.safetensors");
    NamedTensors missing, misshapen;
    for (auto& [name, t] : tensors) {
        if (name != "G.up1.weight") missing.emplace_back(name, t);
        misshapen.emplace_back(name, name == "G.bn1.weight" ? Tensor::zeros({65}) : t);
    }
    save_safetensors(dir + "/missing.safetensors", missing);
    save_safetensors(dir + "/misshapen.safetensors", misshapen);
    expect_clear_error(
        run_ganvas("sample --checkpoint " + dir + "/missing.safetensors --n 4 --out " + out),
        "G.up1.weight");
    expect_clear_error(
        run_ganvas("sample --checkpoint " + dir + "/misshapen.safetensors --n 4 --out " + out),
        "G.bn1.weight");
    EXPECT_FALSE(fs::exists(out));

    // Noise of the wrong width.
    save_npy(dir + "/z.npy", Tensor::zeros({2, 3}));
    expect_clear_error(run_ganvas("sample --checkpoint " + kGolden + "checkpoint.safetensors --z " +
                                  dir + "/z.npy --out " + dir + "/x.npy"),
                       dir + "/z.npy");
    EXPECT_FALSE(fs::exists(dir + "/x.npy"));
}

TEST(Cli, SampleFromReferenceCheckpointMatchesPyTorch) {
    std::string dir = temp_dir("sample");
    auto r = run_ganvas("sample --checkpoint " + kGolden + "checkpoint.safetensors --z " + kGolden +
                        "z.npy --out " + dir + "/out.npy");
    ASSERT_EQ(r.status, 0) << r.output;
    ganvas::testing::expect_close(load_npy(dir + "/out.npy"),
                                  ganvas::testing::golden("dcgan28/out.npy"), 1e-4, 0, "samples");
    r = run_ganvas("sample --checkpoint " + kGolden +
                   "checkpoint.safetensors --n 16 --seed 3 --out " + dir + "/grid.png");
    ASSERT_EQ(r.status, 0) << r.output;
    EXPECT_GT(fs::file_size(dir + "/grid.png"), 500u);

    Tensor z = ganvas::testing::golden("dcgan28/z.npy").clone();
    z.data()[z.size(1) + 2] = std::nanf("");
    save_npy(dir + "/z_nan.npy", z);
    expect_clear_error(run_ganvas("sample --checkpoint " + kGolden + "checkpoint.safetensors --z " +
                                  dir + "/z_nan.npy --out " + dir + "/nan.png"),
                       dir + "/z_nan.npy holds NaN at index (1, 2); noise must be finite");
    EXPECT_FALSE(fs::exists(dir + "/nan.png"));
}

TEST(Cli, ResumeContinuesBitForBit) {
    std::string dir = temp_dir("resume");
    // 40 images are enough to exercise epochs, shuffling and batch order.
    write_bytes(dir + "/imgs.idx", idx_images(40));
    Rng rng(5);
    std::string bytes = idx_images(40);
    for (size_t i = 16; i < bytes.size(); ++i) bytes[i] = static_cast<char>(rng.randint(256));
    write_bytes(dir + "/imgs.idx", bytes);
    const std::string common =
        " --model dcgan28 --data idx:" + dir + "/imgs.idx --batch 16 --threads 1 --seed 7 ";
    auto a = run_ganvas("train" + common + "--steps 6 --out " + dir + "/straight");
    ASSERT_EQ(a.status, 0) << a.output;
    auto b = run_ganvas("train" + common + "--steps 3 --out " + dir + "/split");
    ASSERT_EQ(b.status, 0) << b.output;
    auto again = run_ganvas("train" + common + "--steps 6 --out " + dir + "/split");
    EXPECT_NE(again.status, 0) << "an existing run was overwritten without --resume";
    auto c = run_ganvas("train" + common + "--steps 6 --resume --out " + dir + "/split");
    ASSERT_EQ(c.status, 0) << c.output;
    EXPECT_EQ(read_bytes(dir + "/straight/checkpoint.safetensors"),
              read_bytes(dir + "/split/checkpoint.safetensors"));
    auto rows = [](const std::string& csv) {
        std::string s = read_bytes(csv);
        std::vector<std::string> out;
        std::istringstream in(s);
        for (std::string line; std::getline(in, line);)
            out.push_back(line.substr(0, line.rfind(',')));  // drop elapsed
        return out;
    };
    EXPECT_EQ(rows(dir + "/straight/metrics.csv"), rows(dir + "/split/metrics.csv"));
    EXPECT_EQ(c.output.find("--seed 7 is not used"), std::string::npos) << c.output;

    // Another --seed cannot change a resumed run: it is said, not silently dropped.
    std::string other = common;
    other.replace(other.find("--seed 7"), 8, "--seed 9");
    auto d = run_ganvas("train" + other + "--steps 7 --resume --out " + dir + "/split");
    ASSERT_EQ(d.status, 0) << d.output;
    EXPECT_NE(d.output.find("--seed 9 is not used: the run goes on with the random streams of its "
                            "checkpoint (seed 7)"),
              std::string::npos)
        << d.output;
}

TEST(Cli, SameSeedSameRunBitForBit) {
    std::string dir = temp_dir("determinism");
    Rng rng(9);
    std::string bytes = idx_images(24);
    for (size_t i = 16; i < bytes.size(); ++i) bytes[i] = static_cast<char>(rng.randint(256));
    write_bytes(dir + "/imgs.idx", bytes);
    const std::string common =
        " --model dcgan28 --data idx:" + dir + "/imgs.idx --batch 8 --threads 1 --steps 4 ";
    ASSERT_EQ(run_ganvas("train" + common + "--seed 3 --out " + dir + "/a").status, 0);
    ASSERT_EQ(run_ganvas("train" + common + "--seed 3 --out " + dir + "/b").status, 0);
    ASSERT_EQ(run_ganvas("train" + common + "--seed 4 --out " + dir + "/c").status, 0);
    const std::string a = read_bytes(dir + "/a/checkpoint.safetensors");
    EXPECT_EQ(a, read_bytes(dir + "/b/checkpoint.safetensors"));
    EXPECT_NE(a, read_bytes(dir + "/c/checkpoint.safetensors"));
}
