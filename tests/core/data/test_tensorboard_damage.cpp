// A TensorBoard event file cut short or damaged (a run still writing, a crash, a bad
// copy) is read up to the damage: the events before it, and one warning naming the
// file, the record and its byte offset.
#include <gtest/gtest.h>
#include <zlib.h>

#include "data/tensorboard_reader.h"
#include "support/tensorboard_events.h"
#include "support/test_files.h"

using namespace ganvas;
using ganvas::testing::write_bytes;
namespace tb = ganvas::testing::tb;

namespace {

class TensorBoardDamageTest : public ganvas::testing::TempDirTest {
protected:
    // Five events of one scalar, steps 1..5; `offsets[i]` is where record i starts.
    void SetUp() override {
        TempDirTest::SetUp();
        for (int step = 1; step <= 5; ++step) {
            offsets.push_back(whole.size());
            whole += tb::file_bytes({tb::event(step, step, {tb::simple_value("x", float(step))})});
        }
    }

    TensorBoardRun read(const std::string& bytes) {
        const std::string file = path("events.out.tfevents.1.x");
        write_bytes(file, bytes);
        auto runs = read_tensorboard_log(dir_);
        EXPECT_EQ(runs.size(), 1u);
        return runs.at(0);
    }

    // The damaged run holds the events before record `record`, and one warning naming it.
    void expect_read_up_to(const TensorBoardRun& run, size_t record, const std::string& why) {
        const auto it = run.scalars.find("x");
        const size_t read = it == run.scalars.end() ? 0 : it->second.size();
        EXPECT_EQ(read, record);
        EXPECT_EQ(run.events, static_cast<int64_t>(record));
        ASSERT_EQ(run.warnings.size(), 1u);
        const std::string& w = run.warnings[0];
        EXPECT_NE(w.find("events.out.tfevents.1.x: record " + std::to_string(record) +
                         " (at byte " + std::to_string(offsets[record]) + ")"),
                  std::string::npos)
            << w;
        EXPECT_NE(w.find(why), std::string::npos) << w;
        EXPECT_NE(w.find("read up to there (" + std::to_string(record) + " events)"),
                  std::string::npos)
            << w;
        EXPECT_EQ(w.find('\n'), std::string::npos) << "one line: " << w;
    }

    std::string whole;
    std::vector<size_t> offsets;
};

}  // namespace

TEST_F(TensorBoardDamageTest, WholeFileHasNoWarning) {
    const TensorBoardRun run = read(whole);
    EXPECT_EQ(run.scalars.at("x").size(), 5u);
    EXPECT_TRUE(run.warnings.empty());
}

TEST_F(TensorBoardDamageTest, CutInsideAHeader) {
    expect_read_up_to(read(whole.substr(0, offsets[3] + 5)), 3, "cut off");
}

TEST_F(TensorBoardDamageTest, CutInsideTheData) {
    // A live writer's last record half on disk.
    expect_read_up_to(read(whole.substr(0, offsets[4] + 15)), 4, "bytes follow its header");
    expect_read_up_to(read(whole.substr(0, whole.size() - 1)), 4, "bytes follow its header");
}

TEST_F(TensorBoardDamageTest, CorruptLengthOrData) {
    std::string bad = whole;
    bad[offsets[1] + 2] ^= 0x40;  // the length of record 1
    expect_read_up_to(read(bad), 1, "length's checksum does not match");
    bad = whole;
    bad[offsets[2] + 14] ^= 0x01;  // inside record 2's event
    expect_read_up_to(read(bad), 2, "data's checksum does not match");
    bad = whole;
    bad[0] ^= 0x08;
    expect_read_up_to(read(bad), 0, "length's checksum does not match");
}

TEST_F(TensorBoardDamageTest, WellFramedButNotAnEvent) {
    // The checksums hold but the protobuf inside does not parse (a varint runs off the end).
    const std::string bad =
        whole.substr(0, offsets[2]) + tb::file_bytes({"\x08\xFF"}) + whole.substr(offsets[2]);
    expect_read_up_to(read(bad), 2, "not a valid TensorBoard Event");
}

TEST_F(TensorBoardDamageTest, GzipCutShort) {
    // TensorBoard reads compressed event files too; a cut inside the gzip stream is damage.
    const std::string file = path("events.out.tfevents.1.x");
    gzFile f = gzopen(file.c_str(), "wb");
    ASSERT_NE(f, nullptr);
    gzwrite(f, whole.data(), static_cast<unsigned>(whole.size()));
    ASSERT_EQ(gzclose(f), Z_OK);
    const std::string packed = ganvas::testing::read_bytes(file);
    const TensorBoardRun run = read(packed.substr(0, packed.size() - 4));
    ASSERT_EQ(run.warnings.size(), 1u);
    EXPECT_NE(run.warnings[0].find("gzip"), std::string::npos) << run.warnings[0];
    // zlib may find the cut before handing out any of the data it decompressed.
    EXPECT_LT(run.scalars.count("x") ? run.scalars.at("x").size() : 0, 5u);
}

TEST_F(TensorBoardDamageTest, EachFileOfARunReportsItsOwnDamage) {
    write_bytes(path("events.out.tfevents.0.a"), whole.substr(0, offsets[1] + 3));
    write_bytes(path("events.out.tfevents.2.b"), whole.substr(offsets[2]));
    const TensorBoardRun run = read_tensorboard_log(dir_)[0];
    EXPECT_EQ(run.warnings.size(), 1u);
    EXPECT_EQ(run.scalars.at("x").size(), 4u);  // step 1, then 3, 4, 5
}
