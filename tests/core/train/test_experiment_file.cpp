// Experiment files: every number read back is checked before it is cast, the
// version is checked, and text from the file is quoted on one safe line.
#include "train/experiment_file.h"

#include <gtest/gtest.h>

#include <string>

#include "support/test_files.h"

namespace ganvas {
namespace {

using testing::expect_error;
using testing::write_bytes;

class ExperimentReadTest : public testing::TempDirTest {
protected:
    // A valid file with one field's JSON text replaced (or added).
    std::string file_with(const std::string& key, const std::string& value) {
        std::string fields[][2] = {{"format", "\"ganvas-experiment\""},
                                   {"version", "1"},
                                   {"model", "\"dcgan28\""},
                                   {"data", "\"fashion-mnist\""},
                                   {"batch", "32"},
                                   {"seed", "7"},
                                   {"budget", "100"},
                                   {"hyper", "{\"lr_G\": 0.0001}"},
                                   {"checkpoint", "\"a.safetensors\""}};
        std::string text = "{";
        bool replaced = false;
        for (auto& [k, v] : fields) {
            const bool here = k == key;
            replaced |= here;
            text += (text.size() > 1 ? ", \"" : "\"") + k + "\": " + (here ? value : v);
        }
        if (!replaced) text += ", \"" + key + "\": " + value;
        const std::string p = path("e.json");
        write_bytes(p, text + "}");
        return p;
    }
};

TEST_F(ExperimentReadTest, AValidFileReads) {
    const Experiment e = read_experiment(file_with("seed", "9223372036854775807"));
    EXPECT_EQ(e.config.batch, 32);
    EXPECT_EQ(e.config.seed, 9223372036854775807u);
    EXPECT_EQ(read_experiment(file_with("batch", "64.0")).config.batch, 64);
}

TEST_F(ExperimentReadTest, BatchMustBeAWholeNumberInRange) {
    for (const char* bad : {"6.18e21", "1.5", "0", "-3", "65537", "-0.5", "1e300"}) {
        const std::string p = file_with("batch", bad);
        expect_error([&] { read_experiment(p); }, p,
                     "\"batch\" must be a whole number from 1 to 65536, not ");
    }
}

TEST_F(ExperimentReadTest, SeedMustFitWithoutWrapping) {
    for (const char* bad :
         {"-1", "9223372036854775808", "18446744073709551615", "6.18e21", "0.5", "9.3e18"}) {
        const std::string p = file_with("seed", bad);
        expect_error([&] { read_experiment(p); }, p, "\"seed\" must be a whole number from 0 to");
    }
}

TEST_F(ExperimentReadTest, WrongTypesAreNamed) {
    std::string p = file_with("batch", "\"64\"");
    expect_error([&] { read_experiment(p); }, p, "\"batch\" must be a whole number");
    expect_error([&] { read_experiment(p); }, p, "not a string");
    p = file_with("model", "3");
    expect_error([&] { read_experiment(p); }, p, "\"model\" must be text, not a number");
    p = file_with("hyper", "{\"lr_G\": \"fast\"}");
    expect_error([&] { read_experiment(p); }, p, "\"hyper.lr_G\" must be a finite number");
    p = file_with("budget", "-1");
    expect_error([&] { read_experiment(p); }, p, "\"budget\" must be a whole number from 0");
}

TEST_F(ExperimentReadTest, UnknownVersionsAreRefusedWithTheVersionFound) {
    std::string p = file_with("version", "2");
    expect_error([&] { read_experiment(p); }, p, "experiment file version 2 is not one");
    p = file_with("version", "\"1\"");
    expect_error([&] { read_experiment(p); }, p, "\"version\" must be a whole number");
}

TEST_F(ExperimentReadTest, TextFromTheFileIsQuotedOnOneSafeLine) {
    const std::string p = file_with("hyper", "{\"a\\n\\u001b[31m\": null}");
    try {
        read_experiment(p);
        FAIL() << "expected an error";
    } catch (const std::runtime_error& e) {
        const std::string msg = e.what();
        EXPECT_NE(msg.find("\"hyper.a\\n\\x1b[31m\" must be a finite number"), std::string::npos)
            << msg;
        EXPECT_EQ(msg.find('\n'), std::string::npos) << msg;
        EXPECT_EQ(msg.find('\x1b'), std::string::npos) << msg;
    }
}

}  // namespace
}  // namespace ganvas
