// Fuzz harnesses: one function per reader, taking the bytes a file (or a record) could
// hold. A reader's std::exception is an expected answer to bad bytes; anything else
// (a crash, a sanitizer report, a hang, a huge allocation) is a finding.
//
// The same functions run under libFuzzer (fuzz_main.cpp, GANVAS_FUZZ=ON, scripts/fuzz.sh)
// and in the normal test build, where test_fuzz_regressions.cpp replays every input
// saved under tests/fuzz/regressions/<harness name>/.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace ganvas::fuzz {

struct Harness {
    const char* name;  // the fuzz target is fuzz_<name>; its regressions sit in regressions/<name>/
    void (*run)(std::string_view bytes);  // may throw std::exception
};

const std::vector<Harness>& harnesses();
const Harness* find_harness(std::string_view name);

// Runs `h` on `bytes`; false when the reader rejected them with a std::exception.
bool run_harness(const Harness& h, std::string_view bytes);

// A path whose file holds exactly `bytes`, for readers that only take paths: one
// memfd per process, rewritten on every call (no disk traffic, nothing left behind).
std::string as_file(std::string_view bytes);

// The feature_columns harness's input: records one after another, each a 2-byte
// little-endian length and that many bytes of serialized tf.Example (the CRC framing of
// TFRecord would stop the fuzzer at the checksum, which the tfrecord target covers).
std::vector<std::string> split_records(std::string_view bytes);
std::string join_records(const std::vector<std::string>& records);

// The harnesses, one per file (fuzz_<name>.cpp).
void fuzz_npy(std::string_view bytes);
void fuzz_safetensors(std::string_view bytes);
void fuzz_idx(std::string_view bytes);
void fuzz_tfrecord(std::string_view bytes);
void fuzz_tf_example(std::string_view bytes);
void fuzz_feature_columns(std::string_view bytes);
void fuzz_image(std::string_view bytes);
void fuzz_rf_json(std::string_view bytes);
void fuzz_experiment(std::string_view bytes);
void fuzz_column_file(std::string_view bytes);
void fuzz_tensorboard(std::string_view bytes);

}  // namespace ganvas::fuzz
