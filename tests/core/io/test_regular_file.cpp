// Readers refuse what is not a regular file, at once: a FIFO would block
// their open until a writer came, hanging the command line or the window.
#include "io/regular_file.h"

#include <fcntl.h>
#include <gtest/gtest.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <cstring>
#include <functional>
#include <string>
#include <utility>
#include <vector>

#include "analysis/receptive_field_file.h"
#include "data/dataset.h"
#include "data/feature_column_spec.h"
#include "data/idx.h"
#include "data/tfrecord.h"
#include "io/gz_reader.h"
#include "io/image_decode.h"
#include "io/npy.h"
#include "io/safetensors.h"
#include "io/zlib_reader.h"
#include "support/fifo.h"
#include "support/test_files.h"
#include "train/experiment_file.h"
#include "train/metrics_log.h"

namespace ganvas {
namespace {

using testing::finishes_on_fifo;
using testing::make_fifo;
using testing::read_bytes;
using testing::write_bytes;

class RegularFileTest : public testing::TempDirTest {};

TEST_F(RegularFileTest, ARegularFileOpensForBlockingReads) {
    write_bytes(path("a.bin"), "abc");
    EXPECT_EQ(why_not_readable(path("a.bin")), "");
    const int fd = open_regular_file(path("a.bin"));
    ASSERT_GE(fd, 0);
    EXPECT_EQ(fcntl(fd, F_GETFL) & O_NONBLOCK, 0);
    EXPECT_NE(fcntl(fd, F_GETFD) & FD_CLOEXEC, 0);
    char buf[8] = {};
    EXPECT_EQ(read(fd, buf, sizeof buf), 3);
    EXPECT_STREQ(buf, "abc");
    close(fd);
}

TEST_F(RegularFileTest, WhatIsNotAFileIsNamed) {
    make_fifo(path("pipe"));
    const int listener = socket(AF_UNIX, SOCK_STREAM, 0);
    ASSERT_GE(listener, 0);
    sockaddr_un address{};
    address.sun_family = AF_UNIX;
    const std::string socket_path = path("sock");
    ASSERT_LT(socket_path.size(), sizeof address.sun_path);
    std::strcpy(address.sun_path, socket_path.c_str());
    ASSERT_EQ(bind(listener, reinterpret_cast<sockaddr*>(&address), sizeof address), 0);

    int anonymous[2];  // what bash's <(...) hands over as /dev/fd/N
    ASSERT_EQ(pipe(anonymous), 0);
    const std::string stream = "/dev/fd/" + std::to_string(anonymous[0]);

    const std::vector<std::pair<std::string, std::string>> cases = {
        {path("none"), "No such file or directory"},
        {dir_, "it is a folder, not a file"},
        {path("pipe"), "it is a pipe (FIFO), not a file: save what it carries to a file first"},
        {stream, "it is a pipe (FIFO), not a file: save what it carries to a file first"},
        {socket_path, "it is a socket, not a file"},
        {"/dev/null", "it is a device, not a file"},
    };
    for (const auto& c : cases) {
        const std::string &p = c.first, &why = c.second;  // clang 14 cannot capture a binding
        EXPECT_EQ(finishes_on_fifo(path("pipe"), [&] { EXPECT_EQ(why_not_readable(p), why); }), "");
        EXPECT_EQ(finishes_on_fifo(path("pipe"), [&] { open_regular_file(p); }),
                  p + ": cannot open: " + why);
    }
    close(listener);
    close(anonymous[0]);
    close(anonymous[1]);
}

// Every reader of a file a user names, given a FIFO: an error that says so.
TEST_F(RegularFileTest, EveryReaderRefusesAFifoAtOnce) {
    const std::string fifo = path("data");
    make_fifo(fifo);
    const std::vector<std::pair<const char*, std::function<void()>>> readers = {
        {"GzReader", [&] { GzReader{fifo}; }},
        {"ZlibReader", [&] { ZlibReader{fifo}; }},
        {"read_idx", [&] { read_idx(fifo); }},
        {"read_tfrecord", [&] { read_tfrecord(fifo); }},
        {"load_dataset tfrecord", [&] { load_dataset("tfrecord:" + fifo); }},
        {"load_dataset idx", [&] { load_dataset("idx:" + fifo); }},
        {"load_npy", [&] { load_npy(fifo); }},
        {"read_safetensors", [&] { read_safetensors(fifo); }},
        {"read_image_file", [&] { read_image_file(fifo); }},
        {"load_column_file", [&] { load_column_file(fifo); }},
        {"read_experiment", [&] { read_experiment(fifo); }},
        {"rf::load_network", [&] { rf::load_network(fifo); }},
    };
    for (const auto& [name, read] : readers) {
        const std::string error = finishes_on_fifo(fifo, read);
        EXPECT_NE(error.find(fifo), std::string::npos) << name << ": " << error;
        EXPECT_NE(
            error.find("it is a pipe (FIFO), not a file: save what it carries to a file first"),
            std::string::npos)
            << name << ": " << error;
    }
}

TEST_F(RegularFileTest, AColumnFilesVocabularyFifoIsNamed) {
    make_fifo(path("words.txt"));
    write_bytes(path("columns.json"),
                R"({"columns": [{"kind": "categorical_column_with_vocabulary_file",)"
                R"( "key": "w", "vocabulary_file": "words.txt", "vocabulary_size": 2}]})");
    const std::string error =
        finishes_on_fifo(path("words.txt"), [&] { load_column_file(path("columns.json")); });
    EXPECT_NE(
        error.find(
            "words.txt: it is a pipe (FIFO), not a file: save what it carries to a file first"),
        std::string::npos)
        << error;
}

// A run folder's metrics log is optional: a FIFO in its place reads as none,
// and a resumed log replaces it with a file.
TEST_F(RegularFileTest, AMetricsLogFifoReadsAsNoneAndIsReplaced) {
    const std::string log = path("metrics.csv");
    make_fifo(log);
    EXPECT_EQ(finishes_on_fifo(log, [&] { EXPECT_TRUE(read_metrics_log(log, 100).steps.empty()); }),
              "");
    EXPECT_EQ(finishes_on_fifo(log,
                               [&] {
                                   MetricsLog out(log, 5);
                                   out.add(6, {{"loss", 1.5f}}, 0.25);
                               }),
              "");
    EXPECT_EQ(why_not_readable(log), "");
    EXPECT_EQ(read_bytes(log), "step,loss,elapsed_s\n6,1.5,0.25\n");
}

}  // namespace
}  // namespace ganvas
