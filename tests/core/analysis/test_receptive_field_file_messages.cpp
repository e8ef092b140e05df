// Names and values from a receptive-field JSON file are quoted on one safe line.
#include <gtest/gtest.h>

#include <stdexcept>
#include <string>

#include "analysis/receptive_field_file.h"

namespace ganvas::rf {
namespace {

std::string error_of(const std::string& json) {
    try {
        parse_network(json, "net.json");
    } catch (const std::runtime_error& e) {
        return e.what();
    }
    return "(no error)";
}

void expect_one_safe_line(const std::string& msg, const std::string& needle) {
    EXPECT_NE(msg.find("net.json"), std::string::npos) << msg;
    EXPECT_NE(msg.find(needle), std::string::npos) << msg;
    EXPECT_EQ(msg.find('\n'), std::string::npos) << msg;
    EXPECT_EQ(msg.find('\x1b'), std::string::npos) << msg;
}

TEST(ReceptiveFieldFileMessages, LayerNamesAreEscaped) {
    expect_one_safe_line(
        error_of(R"({"layers": [{"name": "a\n\u001b[31m", "type": "conv", "kernel": 0}]})"),
        "a\\n\\x1b[31m");
}

TEST(ReceptiveFieldFileMessages, UnknownKeysAndValuesAreEscaped) {
    expect_one_safe_line(
        error_of(R"({"layers": [{"type": "conv", "kernel": 3, "k\n\u001b[31m": 1}]})"),
        "unknown key \"k\\n\\x1b[31m\"");
    expect_one_safe_line(error_of(R"({"layers": [{"type": "conv", "kernel": "\n\u001b[31m"}]})"),
                         "not \"\\n\\u001b[31m\"");
}

TEST(ReceptiveFieldFileMessages, UnknownTypesAreEscaped) {
    expect_one_safe_line(error_of(R"({"layers": [{"type": "c\n\u001b[31m", "kernel": 3}]})"),
                         "c\\n\\x1b[31m");
}

}  // namespace
}  // namespace ganvas::rf
