// Error messages in the Chinese interface (i18n/error_text.h): the parts of a
// real reader's error that the catalog knows read in Chinese, its paths and
// numbers stay as they are, and every pattern in errors.json still matches
// text the sources, or the libraries whose reasons they pass on, write.
#include <gtest/gtest.h>
#include <imgui.h>
#include <imgui_internal.h>
#include <link.h>
#include <zlib.h>

#include <algorithm>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <random>
#include <regex>
#include <sstream>

#include "data/dataset.h"
#include "data/feature_column_spec.h"
#include "data/image_folder.h"
#include "data/tfrecord.h"
#include "data/toy_distributions.h"
#include "i18n/error_text.h"
#include "i18n/tr.h"
#include "io/image_png.h"
#include "io/regular_file.h"
#include "lessons/lesson_file.h"
#include "models/model.h"
#include "support/fifo.h"
#include "support/headless_imgui.h"
#include "support/test_files.h"
#include "tensor/rng.h"
#include "widgets/tooltip.h"

namespace ganvas::i18n {
namespace {

using ganvas::testing::message_of;

const std::filesystem::path kRoot =
    std::filesystem::path(GANVAS_GOLDEN_DIR).parent_path().parent_path();

TEST(ErrorPatterns, AWordIsOneCharacterOrMoreAndThePatternMatchesWhole) {
    std::vector<std::string> words;
    EXPECT_TRUE(match_pattern("record 12 (at byte 40)", "record %s (at byte %s)", words));
    EXPECT_EQ(words, (std::vector<std::string>{"12", "40"}));
    EXPECT_FALSE(match_pattern("record  (at byte 40)", "record %s (at byte %s)", words));
    EXPECT_FALSE(
        match_pattern("record 12 (at byte 40) is cut off", "record %s (at byte %s)", words));
    EXPECT_FALSE(match_pattern("a record 12 (at byte 40)", "record %s (at byte %s)", words));
    EXPECT_TRUE(words.empty());
    // A word may hold the text that follows it: the match backtracks.
    EXPECT_TRUE(match_pattern("x (a) (b) y", "x %s y", words));
    EXPECT_EQ(words, (std::vector<std::string>{"(a) (b)"}));
    EXPECT_TRUE(match_pattern("50% done: 3", "%s%% done: %s", words));
    EXPECT_EQ(words, (std::vector<std::string>{"50", "3"}));
    EXPECT_TRUE(match_pattern("cannot open", "cannot open", words));
    EXPECT_TRUE(words.empty());
}

TEST(ErrorPatterns, KnownPartsAreTranslatedAndTheRestKept) {
    const ErrorPatterns patterns = {
        {"cannot open", "无法打开"},
        {"it is a folder, not a file", "这是文件夹，不是文件"},
        {"record %s (at byte %s)", "第 %s 条记录（位于第 %s 字节）"},
        {"truncated: header declares %s bytes", "文件不完整：头部声明有 %s 字节"},
        {"data spec '%s'", "数据设定“%s”"},
        {"%s; use toy:NAME", "%s；可以使用 toy:NAME"},
        {"unknown split", "未知的数据划分"},
    };
    EXPECT_EQ(translate_error("/d/a: cannot open: it is a folder, not a file", patterns),
              "/d/a：无法打开：这是文件夹，不是文件");
    EXPECT_EQ(translate_error("f.tfrecord: record 3 (at byte 96): bad length", patterns),
              "f.tfrecord：第 3 条记录（位于第 96 字节）：bad length");
    // A pattern may span parts.
    EXPECT_EQ(translate_error("x.idx: truncated: header declares 784 bytes", patterns),
              "x.idx：文件不完整：头部声明有 784 字节");
    // A word that is itself a known sentence is translated too.
    EXPECT_EQ(translate_error("data spec 'toy:x': unknown split; use toy:NAME", patterns),
              "数据设定“toy:x”：未知的数据划分；可以使用 toy:NAME");
    // Nothing known: the text as it is, ": " inside a path included.
    EXPECT_EQ(translate_error("C: drive: 50% of it: gone", patterns), "C: drive: 50% of it: gone");
    // Only the separators beside a translated part change.
    EXPECT_EQ(translate_error("a: b: cannot open", patterns), "a: b：无法打开");
    EXPECT_EQ(translate_error("", patterns), "");
}

TEST(ErrorPatterns, AThousandPartsAreReadOnce) {
    const ErrorPatterns patterns = {
        {"cannot open", "无法打开"},
        {"record %s (at byte %s) is cut off", "第 %s 条记录（%s）被截断"}};
    std::string path;
    for (int i = 0; i < 1000; ++i) path += "d: record " + std::to_string(i) + " (at byte ";
    EXPECT_EQ(translate_error(path + ": cannot open", patterns), path + "：无法打开");
}

TEST(ErrorPatterns, APatternOfWordsAloneIsNeverApplied) {
    const ErrorPatterns patterns = {{"%s", "坏：%s"}, {"%s%s", "坏"}};
    EXPECT_EQ(translate_error("cannot open: x", patterns), "cannot open: x");
}

class ErrorTranslation : public ganvas::testing::TempDirTest {
protected:
    void SetUp() override {
        TempDirTest::SetUp();
        const Catalog catalog = read_catalog(default_catalog_dir());
        ASSERT_TRUE(catalog.errors.empty()) << catalog.errors.front();
        ASSERT_FALSE(catalog.error_patterns.empty());
        use_catalog(catalog);
        set_language(Language::Chinese);
    }
    void TearDown() override {
        set_language(Language::English);
        TempDirTest::TearDown();
    }
};

TEST_F(ErrorTranslation, TheEnglishInterfaceShowsTheErrorAsItIs) {
    set_language(Language::English);
    const std::string error = message_of([&] { open_regular_file(path("absent.tfrecord")); });
    EXPECT_EQ(tr_error(error), error);
    EXPECT_EQ(tr_phrase(verbatim(error)), error);
}

TEST_F(ErrorTranslation, AMissingFileReadsInChineseWithItsPathAsItIs) {
    const std::string file = path("数据: 2026/absent.tfrecord");  // a path with ": " in it
    const std::string error = message_of([&] { open_regular_file(file); });
    ASSERT_EQ(error, file + ": cannot open: No such file or directory");
    EXPECT_EQ(tr_error(error), file + "：无法打开：没有那个文件或目录");
    // The trainer's errors reach the window as verbatim phrases.
    EXPECT_EQ(tr_phrase(verbatim(error)), file + "：无法打开：没有那个文件或目录");
}

TEST_F(ErrorTranslation, AFolderAndAPipeSayWhatTheyAre) {
    std::filesystem::create_directory(path("images"));
    EXPECT_EQ(tr_error(message_of([&] { read_tfrecord(path("images")); })),
              path("images") + "：无法打开：这是文件夹，不是文件");
    ganvas::testing::make_fifo(path("pipe"));
    const std::string error =
        ganvas::testing::finishes_on_fifo(path("pipe"), [&] { read_tfrecord(path("pipe")); });
    EXPECT_EQ(tr_error(error),
              path("pipe") + "：无法打开：这是管道（FIFO），不是文件：请先把其中的内容存成文件");
}

TEST_F(ErrorTranslation, ACutOffRecordKeepsItsNumbers) {
    ganvas::testing::write_bytes(path("short.tfrecord"), "garbage");
    const std::string error = message_of([&] { read_tfrecord(path("short.tfrecord")); });
    ASSERT_NE(error.find("is cut off"), std::string::npos) << error;
    EXPECT_EQ(tr_error(error), path("short.tfrecord") +
                                   "：第 0 条记录（位于第 0 字节）被截断：文件在该记录 12 "
                                   "字节头部的第 7 字节处就结束了（复制不完整？）");
}

TEST_F(ErrorTranslation, AnImageFolderThatIsMissingOrEmpty) {
    EXPECT_EQ(tr_error(message_of([&] { load_image_folder(path("none")); })),
              path("none") + "：没有这个文件夹");
    std::filesystem::create_directory(path("empty"));
    EXPECT_EQ(
        tr_error(message_of([&] { load_image_folder(path("empty")); })),
        path("empty") + "：既没有直接包含图像文件（PNG、JPEG、BMP、GIF），类别文件夹中也没有");
}

TEST_F(ErrorTranslation, ThePanelsErrorLineShowsTheTranslation) {
    ganvas::testing::HeadlessImGui imgui;
    const std::string error = message_of([&] { open_regular_file(path("absent.npy")); });
    std::string shown;
    imgui.frame([&] {
        ImGui::LogToBuffer();
        gui::error_text(error);
        shown = ImGui::GetCurrentContext()->LogBuffer.c_str();
        ImGui::LogFinish();
    });
    // The headless window is narrow: the line is wrapped, between Chinese characters too.
    shown.erase(std::remove(shown.begin(), shown.end(), '\n'), shown.end());
    EXPECT_NE(shown.find("无法打开：没有那个文件或目录"), std::string::npos) << shown;
    EXPECT_EQ(shown.find("cannot open"), std::string::npos) << "[" << shown << "]";
}

TEST_F(ErrorTranslation, AColumnFileOfAnUnknownKindNamesTheKnownOnes) {
    const std::string error = message_of([] {
        parse_column_file(R"({"columns": [{"kind": "numeric_colum", "key": "price"}]})", "c.json");
    });
    ASSERT_EQ(
        error.rfind("c.json: column 0: unknown kind 'numeric_colum' (known: numeric_column, ", 0),
        0u)
        << error;
    EXPECT_EQ(tr_error(error), "c.json：第 0 个特征列：未知的类型“numeric_colum”（可用的有：" +
                                   column_kind_names() + "）");
}

TEST_F(ErrorTranslation, ALessonFilesMistakesReadInChinese) {
    const auto error_of = [](const std::string& json) {
        return message_of(
            [&] { lessons::parse_lesson(json, "x.json", lessons::window_vocabulary()); });
    };
    const std::string missing = error_of(R"({"title": {"en": "T", "zh-CN": "标题"}})");
    ASSERT_EQ(missing, "x.json: steps: missing");
    EXPECT_EQ(tr_error(missing), "x.json: steps：缺少");  // two English parts keep ": "
    const std::string wrong_type = error_of(R"({"title": "T", "steps": []})");
    ASSERT_EQ(wrong_type, "x.json: title: should be an object, not a string");
    EXPECT_EQ(tr_error(wrong_type), "x.json: title：应为对象，而不是字符串");
    EXPECT_EQ(tr_error(message_of(
                  [&] { lessons::read_lesson(path("none.json"), lessons::window_vocabulary()); })),
              path("none.json") + "：无法读取（没有那个文件或目录）");
}

TEST_F(ErrorTranslation, AFileThatIsNoImage) {
    ganvas::testing::write_bytes(path("notes.png"), "these are notes, not pixels");
    const std::string error = message_of([&] { load_image(path("notes.png"), 3); });
    EXPECT_EQ(tr_error(error),
              path("notes.png") + "：无法读取图像：不是 PNG、JPEG、GIF 或 BMP 文件");
}

// A 4x4 8-bit grey PNG with the given IDAT payload; its CRC spoilt on request.
std::string grey_png(const std::string& idat, bool good_crc = true) {
    auto be32 = [](uint32_t v) {
        return std::string{static_cast<char>(v >> 24), static_cast<char>(v >> 16),
                           static_cast<char>(v >> 8), static_cast<char>(v)};
    };
    auto chunk = [&](const std::string& type, const std::string& data, bool crc_ok) {
        const std::string body = type + data;
        uint32_t crc = static_cast<uint32_t>(
            crc32(0, reinterpret_cast<const Bytef*>(body.data()), static_cast<uInt>(body.size())));
        if (!crc_ok) crc ^= 1;
        return be32(static_cast<uint32_t>(data.size())) + body + be32(crc);
    };
    const std::string ihdr = be32(4) + be32(4) + std::string{8, 0, 0, 0, 0};
    return std::string("\x89PNG\r\n\x1a\n", 8) + chunk("IHDR", ihdr, true) +
           chunk("IDAT", idat, good_crc) + chunk("IEND", "", true);
}

std::string deflated(const std::string& raw) {
    uLongf size = compressBound(static_cast<uLong>(raw.size()));
    std::string out(size, '\0');
    compress(reinterpret_cast<Bytef*>(out.data()), &size,
             reinterpret_cast<const Bytef*>(raw.data()), static_cast<uLong>(raw.size()));
    out.resize(size);
    return out;
}

// The reasons libpng, zlib, libjpeg and stb_image give read in Chinese too,
// behind the reader's own words; a chunk's name stays as it is.
TEST_F(ErrorTranslation, ACorruptImagesReasonFromItsLibraryReadsInChinese) {
    const std::string rows(4 * 5, '\0');  // each row: filter byte 0, four pixels
    const std::string cases[][2] = {
        {grey_png(deflated(rows), false), "无法读取图像：不是有效的 PNG：IDAT：CRC 校验错误"},
        {grey_png("not deflate data"), "无法读取图像：不是有效的 PNG：IDAT：头部校验错误"},
        {grey_png(deflated(rows.substr(0, 5))), "无法读取图像：不是有效的 PNG：图像数据不足"},
        {grey_png(deflated("\x09" + rows.substr(1))),
         "无法读取图像：不是有效的 PNG：自适应滤波器的值无效"},
        {std::string("\xff\xd8\xff\xdb\x00\x43\x00", 7) + std::string(10, '\0'),
         "无法读取图像：不是有效的 JPEG：JPEG 文件提前结束"},
    };
    for (const auto& [bytes, chinese] : cases) {
        ganvas::testing::write_bytes(path("bad.img"), bytes);
        const std::string error = message_of([&] { load_image(path("bad.img"), 1); });
        EXPECT_EQ(tr_error(error), path("bad.img") + "：" + chinese) << error;
    }
}

TEST_F(ErrorTranslation, AColumnFilesUnsortedBoundaries) {
    const std::string error = message_of([] {
        parse_column_file(R"({"columns": [{"kind": "bucketized_column",
            "source_column": {"kind": "numeric_column", "key": "price"}, "boundaries": [3, 1]}]})",
                          "c.json");
    });
    ASSERT_NE(error.find("boundaries must be a sorted list"), std::string::npos) << error;
    EXPECT_EQ(tr_error(error),
              "c.json：第 0 个特征列（bucketized_column）：boundaries 必须是有序列表（严格递增）");
}

TEST_F(ErrorTranslation, AColumnFilesWrongDtypeAndANestedColumnsMissingArgument) {
    const std::string dtype = message_of([] {
        parse_column_file(
            R"({"columns": [{"kind": "numeric_column", "key": "price", "dtype": "float16"}]})",
            "c.json");
    });
    ASSERT_EQ(dtype,
              "c.json: column 'price' (numeric_column): dtype must be \"float32\", \"float64\", "
              "\"int64\" or \"int32\", got \"float16\"");
    EXPECT_EQ(tr_error(dtype),
              "c.json：特征列“price”（numeric_column）：dtype 必须是 \"float32\"、\"float64\"、"
              "\"int64\" 或 \"int32\"，实际是 \"float16\"");
    // A column without a key is named by its place, its inner columns by their parent's.
    const std::string nested = message_of([] {
        parse_column_file(R"({"columns": [{"kind": "indicator_column",
            "categorical_column": {"kind": "crossed_column", "keys": ["a", "b"]}}]})",
                          "c.json");
    });
    ASSERT_EQ(nested,
              "c.json: column 0 (indicator_column)'s categorical_column (crossed_column): needs "
              "\"hash_bucket_size\"");
    EXPECT_EQ(tr_error(nested),
              "c.json：第 0 个特征列（indicator_column）的 categorical_column（crossed_column）："
              "需要 \"hash_bucket_size\"");
}

TEST_F(ErrorTranslation, ADataSpecOfAnUnknownToyNamesTheKnownOnes) {
    const std::string error = message_of([] { parse_data_spec("toy:nope"); });
    std::string known;
    for (const std::string& name : toy_distribution_names())
        known += (known.empty() ? "" : ", ") + name;
    ASSERT_EQ(
        error.rfind("data spec 'toy:nope': unknown toy distribution (known: " + known + ")", 0), 0u)
        << error;
    const std::string chinese = tr_error(error);
    EXPECT_EQ(chinese.rfind("数据设定“toy:nope”：未知的玩具分布（可用的有：" + known +
                                "）；可以使用 fashion-mnist",
                            0),
              0u)
        << chinese;
}

TEST_F(ErrorTranslation, AModelSettingOutOfItsRange) {
    Rng rng(1);
    const auto model = make_model("dcgan28", rng);
    const std::string error = message_of([&] { model->set_hyper_param("lr_G", 1); });
    ASSERT_EQ(error, "lr_G must be between 1e-06 and 0.1, not 1");
    EXPECT_EQ(tr_error(error), "lr_G 必须在 1e-06 到 0.1 之间，而不是 1");
}

TEST_F(ErrorTranslation, ALibrarysMessageQuotedWholeMaySpanParts) {
    const std::string error = message_of([] { parse_column_file("{\"columns\": [", "c.json"); });
    const std::string prefix = "c.json: not valid JSON (";
    ASSERT_EQ(error.rfind(prefix, 0), 0u) << error;
    ASSERT_NE(error.find(": ", prefix.size()), std::string::npos) << error;  // nlohmann's own ": "
    const std::string quoted = error.substr(prefix.size(), error.size() - prefix.size() - 1);
    EXPECT_EQ(tr_error(error), "c.json：不是有效的 JSON（" + quoted + "）");
}

// Every string literal of the sources, unescaped, in order, with nothing between.
std::string source_literals() {
    std::string all;
    const std::regex literal(R"re("((?:[^"\\\n]|\\.)*)")re");
    for (const char* dir : {"app", "core"})
        for (const auto& entry : std::filesystem::recursive_directory_iterator(kRoot / dir)) {
            const auto ext = entry.path().extension();
            if (ext != ".cpp" && ext != ".h") continue;
            std::ifstream in(entry.path());
            std::stringstream text;
            text << in.rdbuf();
            const std::string source = text.str();
            for (std::sregex_iterator it(source.begin(), source.end(), literal), end; it != end;
                 ++it) {
                const std::string s = (*it)[1];
                for (size_t i = 0; i < s.size(); ++i)
                    all += s[i] == '\\' && i + 1 < s.size() ? s[++i] : s[i];
            }
        }
    return all;
}

// The bytes of this test program and of every library it has loaded: where
// the reasons that libpng, zlib, libjpeg and (compiled in) stb_image give are
// spelt out.
std::string library_texts() {
    std::vector<std::string> files{"/proc/self/exe"};
    dl_iterate_phdr(
        [](dl_phdr_info* info, size_t, void* out) {
            if (info->dlpi_name && info->dlpi_name[0] == '/')
                static_cast<std::vector<std::string>*>(out)->push_back(info->dlpi_name);
            return 0;
        },
        &files);
    std::string all;
    for (const std::string& file : files) {
        std::ifstream in(file, std::ios::binary);
        all += std::string(std::istreambuf_iterator<char>(in), {});
    }
    return all;
}

TEST(ErrorCatalog, EveryPatternStillMatchesWhatTheSourcesWriteAndTakesItsWords) {
    const Catalog catalog = read_catalog(default_catalog_dir());
    // Sources first; a pattern written by none of them must be a library's.
    const std::string literals = source_literals() + '\n' + library_texts();
    std::vector<std::string> system_texts;  // strerror's, which no source spells out
    for (int e = 1; e < 134; ++e) system_texts.emplace_back(std::strerror(e));
    for (const auto& pattern : catalog.error_patterns) {
        // Plain references: clang 14 cannot capture a structured binding in `check`.
        const std::string &english = pattern.first, &chinese = pattern.second;
        EXPECT_EQ(format_conversions(english), format_conversions(chinese)) << english;
        if (std::find(system_texts.begin(), system_texts.end(), english) != system_texts.end())
            continue;
        // Each stretch between words (the %s) is written as one or more literals
        // in a row; cut at brackets too, where a number often sits in between.
        std::string fragment;
        auto check = [&] {
            const auto first = fragment.find_first_not_of(' ');
            if (first != std::string::npos && fragment.size() - first >= 3) {
                EXPECT_NE(literals.find(fragment.substr(first)), std::string::npos)
                    << "\"" << english << "\": \"" << fragment
                    << "\" is in no source; did the message change?";
            }
            fragment.clear();
        };
        for (size_t i = 0; i < english.size(); ++i) {
            if (english.compare(i, 2, "%s") == 0) {
                check();
                ++i;
            } else if (english[i] == '(' || english[i] == ')') {
                check();
            } else {
                fragment += english[i];
            }
        }
        check();
    }
}

// Messages stitched from the catalog's own pieces, ": ", "%", brackets, Chinese
// and stray bytes: the catalog's patterns half-match them in every way. Each
// is answered (under AddressSanitizer in CI, without reading past a part), and
// a message no pattern can match, one without a single piece, comes back as it was.
TEST(ErrorCatalog, StitchedMessagesAreAnsweredAndUnknownOnesKept) {
    const Catalog catalog = read_catalog(default_catalog_dir());
    std::vector<std::string> pieces = {": ", "%", "%s", "(", ")", "：", "数据", "\xff", " ", "0"};
    for (const auto& [english, chinese] : catalog.error_patterns) {
        size_t start = 0;
        for (size_t at; (at = english.find("%s", start)) != std::string::npos; start = at + 2)
            pieces.push_back(english.substr(start, at - start));
        pieces.push_back(english.substr(start));
    }
    std::mt19937 rng(7);
    for (int i = 0; i < 3000; ++i) {
        std::string message;
        const int n = 1 + static_cast<int>(rng() % 12);
        for (int k = 0; k < n; ++k) message += pieces[rng() % pieces.size()];
        const std::string out = translate_error(message, catalog.error_patterns);
        EXPECT_FALSE(out.empty() && !message.empty()) << message;
    }
    for (const std::string plain : {"a: b: c", "50%: (x)", "：：", "%s: %s"})
        EXPECT_EQ(translate_error(plain, catalog.error_patterns), plain);
}

}  // namespace
}  // namespace ganvas::i18n
