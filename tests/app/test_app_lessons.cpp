// Lessons (app/lessons): every shipped file parses and names real tabs, models
// and lab presets, in both languages; a malformed file gets one line naming the
// file and the field; a step sets the window up in a fixed order; the card draws
// in both languages; the GAN Lab's Jensen-Shannon curve records JS over training.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <set>
#include <string>
#include <vector>

#include "gui/fonts.h"
#include "gui/tab_set.h"
#include "gui/workspaces.h"
#include "i18n/tr.h"
#include "lessons/lesson_card.h"
#include "lessons/lesson_file.h"
#include "lessons/lesson_runner.h"
#include "lessons/text_wrap.h"
#include "models/model.h"
#include "panels/gan_lab_js.h"
#include "panels/panel_registry.h"
#include "support/cli_runner.h"
#include "support/fifo.h"
#include "support/headless_imgui.h"
#include "train/toy_lab.h"

using namespace ganvas;
using namespace ganvas::lessons;

namespace {

const std::vector<std::string> kShipped = {
    "bias_threshold",     "checkerboard",    "gan_game",         "kantorovich_duality",
    "mode_collapse_wgan", "receptive_field", "upsampling_rules", "vqgan_two_stage"};

// Sentences end in . ! ? followed by a space or the end, or in 。！？.
int sentences(const std::string& text) {
    int n = 0;
    for (size_t i = 0; i < text.size(); ++i) {
        const char c = text[i];
        if ((c == '.' || c == '!' || c == '?') && (i + 1 == text.size() || text[i + 1] == ' ')) ++n;
    }
    for (const char* end : {"。", "！", "？"})
        for (size_t at = text.find(end); at != std::string::npos; at = text.find(end, at + 1)) ++n;
    return n;
}

std::string lesson_error(const std::string& json) {
    try {
        parse_lesson(json, "assets/lessons/x.json", window_vocabulary());
    } catch (const LessonError& e) {
        return e.what();
    }
    return "(parsed)";
}

// A valid one-step lesson with `action` as its action (JSON text).
std::string with_action(const std::string& action) {
    return R"({"title": {"en": "T", "zh-CN": "标题"}, "steps": [{"title": {"en": "S", "zh-CN": "步"},
        "text": {"en": "One. Two.", "zh-CN": "一。二。"}, "notice": {"en": "N", "zh-CN": "注"},
        "action": )" +
           action + "}]}";
}

}  // namespace

TEST(ShippedLessons, AllEightParseWithThreeToSixStepsInBothLanguages) {
    const auto listing = list_lessons(lessons_dir(), window_vocabulary());
    std::vector<std::string> names;
    for (const LessonListing& l : listing) {
        EXPECT_TRUE(l.error.empty()) << l.error;
        if (!l.lesson) continue;
        names.push_back(l.lesson->name);
        const Lesson& lesson = *l.lesson;
        EXPECT_GE(lesson.steps.size(), 3u) << lesson.file;
        EXPECT_LE(lesson.steps.size(), 6u) << lesson.file;
        for (size_t i = 0; i < lesson.steps.size(); ++i) {
            const LessonStep& s = lesson.steps[i];
            for (const std::string* text : {&s.text.en, &s.text.zh}) {
                const int n = sentences(*text);
                EXPECT_GE(n, 2) << lesson.file << " steps[" << i << "]: " << *text;
                EXPECT_LE(n, 5) << lesson.file << " steps[" << i << "]: " << *text;
            }
            // The Chinese is Chinese, not a copy of the English.
            EXPECT_NE(s.text.en, s.text.zh) << lesson.file << " steps[" << i << "]";
            EXPECT_NE(s.notice.en, s.notice.zh) << lesson.file << " steps[" << i << "]";
        }
    }
    for (const std::string& want : kShipped)
        EXPECT_NE(std::find(names.begin(), names.end(), want), names.end()) << want;
}

// A view choice is read by the panel that keeps it, under a key its source names: a
// lesson's misspelt key would set nothing and the step would show the wrong view.
TEST(ShippedLessons, EveryViewKeyIsOneAPanelReads) {
    const std::filesystem::path app =
        std::filesystem::path(GANVAS_GOLDEN_DIR).parent_path().parent_path() / "app";
    std::string sources;
    for (const auto& entry : std::filesystem::recursive_directory_iterator(app))
        if (entry.path().extension() == ".cpp" || entry.path().extension() == ".h") {
            std::ifstream in(entry.path());
            sources.append(std::istreambuf_iterator<char>(in), {});
        }
    ASSERT_GT(sources.size(), 100000u) << "the window's sources were not found under " << app;
    size_t keys = 0;
    for (const std::string& name : kShipped) {
        const Lesson lesson = read_lesson(lesson_path(name), window_vocabulary());
        for (size_t i = 0; i < lesson.steps.size(); ++i)
            for (const auto& [key, value] : lesson.steps[i].action.view) {
                ++keys;
                EXPECT_NE(sources.find('"' + key + '"'), std::string::npos)
                    << name << " steps[" << i << "]: no panel reads the view key '" << key << "'";
            }
    }
    EXPECT_GT(keys, 20u);
}

TEST(ShippedLessons, EveryActionNamesARealTabModelAndLabPreset) {
    std::set<std::string> tabs;
    for (const gui::PanelEntry& e : gui::registered_panels()) tabs.insert(e.title);
    const std::vector<std::string> models = window_model_names();
    for (const std::string& name : kShipped) {
        const Lesson lesson = read_lesson(lesson_path(name), window_vocabulary());
        for (const LessonStep& step : lesson.steps) {
            const LessonAction& a = step.action;
            // Every step shows something: a lesson is told beside the visuals.
            EXPECT_FALSE(a.tab.empty()) << name;
            EXPECT_TRUE(tabs.count(a.tab)) << name << ": " << a.tab;
            if (!a.model.empty()) {
                EXPECT_NE(std::find(models.begin(), models.end(), a.model), models.end()) << name;
            }
            if (!a.lab.empty()) {
                EXPECT_NO_THROW(parse_toy_lab_spec(a.lab)) << name << ": " << a.lab;
            }
            // A lab preset is for the GAN Lab: shown where it was set.
            if (!a.lab.empty()) {
                EXPECT_EQ(a.tab, "GAN Lab") << name;
            }
        }
    }
}

TEST(LessonFile, NamesItAndFindsFiles) {
    EXPECT_EQ(lesson_path("gan_game"), lessons_dir() + "/gan_game.json");
    EXPECT_EQ(lesson_path("my/lesson.json"), "my/lesson.json");
    EXPECT_EQ(lesson_path("mine.json"), "mine.json");
    const Lesson l =
        parse_lesson(with_action(R"({"tab": "gan lab"})"), "dir/intro.json", window_vocabulary());
    EXPECT_EQ(l.name, "intro");
    EXPECT_EQ(l.steps[0].action.tab, "GAN Lab");  // any case, kept as the tab spells it
    EXPECT_EQ(l.title.in(i18n::Language::Chinese), "标题");
    EXPECT_EQ(l.title.in(i18n::Language::English), "T");
}

TEST(LessonFile, BadJsonSaysWhereInOneLine) {
    const std::string e = lesson_error("{\"title\": {\"en\": \"T\",\n \"zh-CN\": }");
    EXPECT_EQ(e.rfind("assets/lessons/x.json: not valid JSON: parse error at line 2", 0), 0u) << e;
    EXPECT_EQ(e.find('\n'), std::string::npos) << e;
    EXPECT_EQ(e.find("json.exception"), std::string::npos) << e;
}

TEST(LessonFile, MissingFieldsAreNamedWithTheirPath) {
    EXPECT_EQ(lesson_error(R"({"title": {"en": "T", "zh-CN": "标题"}})"),
              "assets/lessons/x.json: steps: missing");
    EXPECT_EQ(lesson_error(R"({"title": {"en": "T"}, "steps": []})"),
              "assets/lessons/x.json: title.zh-CN: missing");
    EXPECT_EQ(lesson_error(R"({"title": {"en": "T", "zh-CN": "标题"}, "steps": []})"),
              "assets/lessons/x.json: steps: empty: a lesson has at least one step");
    EXPECT_EQ(lesson_error(R"({"title": {"en": "T", "zh-CN": "标题"}, "steps": [
                  {"title": {"en": "S", "zh-CN": "步"}, "text": {"en": "A. B.", "zh-CN": "甲。乙。"}}]})"),
              "assets/lessons/x.json: steps[0].notice: missing");
    EXPECT_EQ(lesson_error(R"({"title": {"en": "", "zh-CN": "标题"}, "steps": []})"),
              "assets/lessons/x.json: title.en: empty");
}

TEST(LessonFile, WrongTypesAndUnknownFieldsAreNamed) {
    EXPECT_EQ(lesson_error(R"({"title": "T", "steps": []})"),
              "assets/lessons/x.json: title: should be an object, not a string");
    EXPECT_EQ(lesson_error(with_action(R"({"tab": 3})")),
              "assets/lessons/x.json: steps[0].action.tab: should be a string, not a number");
    EXPECT_EQ(lesson_error(with_action(
                  R"({"model": "dcgan28", "data": "fashion-mnist", "train_steps": "100"})")),
              "assets/lessons/x.json: steps[0].action.train_steps: should be a whole number, "
              "not a string");
    const std::string unknown = lesson_error(with_action(R"({"tabb": "Losses"})"));
    EXPECT_EQ(unknown.rfind("assets/lessons/x.json: steps[0].action.tabb: unknown field (known: "
                            "tab, lab, model",
                            0),
              0u)
        << unknown;
    EXPECT_EQ(
        lesson_error(R"({"title": {"en": "T", "zh-CN": "标题", "fr": "Titre"}, "steps": []})"),
        "assets/lessons/x.json: title.fr: unknown field (known: en, zh-CN)");
}

TEST(LessonFile, NamesThatDoNotExistAreRefused) {
    const std::string tab = lesson_error(with_action(R"({"tab": "Lossez"})"));
    EXPECT_EQ(
        tab.rfind("assets/lessons/x.json: steps[0].action.tab: no tab named 'Lossez' (tabs: ", 0),
        0u)
        << tab;
    const std::string model =
        lesson_error(with_action(R"({"model": "gpt5", "data": "toy:ring8"})"));
    EXPECT_EQ(model.rfind("assets/lessons/x.json: steps[0].action.model: no model named 'gpt5'", 0),
              0u)
        << model;
    const std::string lab = lesson_error(with_action(R"({"lab": "data=ring9"})"));
    EXPECT_EQ(lab.rfind("assets/lessons/x.json: steps[0].action.lab: ", 0), 0u) << lab;
    EXPECT_NE(lab.find("ring9"), std::string::npos) << lab;
    const std::string setting = lesson_error(with_action(
        R"({"model": "dcgan28", "data": "fashion-mnist", "settings": {"lr_Q": 0.001}})"));
    EXPECT_EQ(setting.rfind("assets/lessons/x.json: steps[0].action.settings.lr_Q: ", 0), 0u)
        << setting;
    const std::string range = lesson_error(
        with_action(R"({"model": "dcgan28", "data": "fashion-mnist", "settings": {"lr_G": 5}})"));
    EXPECT_EQ(range.rfind("assets/lessons/x.json: steps[0].action.settings.lr_G: ", 0), 0u)
        << range;
    const std::string checkpoint =
        lesson_error(with_action(R"({"checkpoint": "none.safetensors"})"));
    EXPECT_EQ(checkpoint.rfind("assets/lessons/x.json: steps[0].action.checkpoint: no file", 0), 0u)
        << checkpoint;
}

TEST(LessonFile, ASessionIsNamedWholeSoAStepIsReproducible) {
    EXPECT_EQ(lesson_error(with_action(R"({"settings": {"lr_G": 0.001}})")),
              "assets/lessons/x.json: steps[0].action.settings: needs a model or a checkpoint in "
              "the same action (the session it sets up)");
    EXPECT_EQ(lesson_error(with_action(R"({"data": "toy:ring8"})")),
              "assets/lessons/x.json: steps[0].action.data: needs a model in the same action (the "
              "session it sets up)");
    EXPECT_EQ(lesson_error(with_action(R"({"model": "dcgan28"})")),
              "assets/lessons/x.json: steps[0].action.data: missing (the model's data set)");
    EXPECT_EQ(lesson_error(with_action(R"({"view": {"perceptron.no_bias": true}})")),
              "assets/lessons/x.json: steps[0].action.view.perceptron.no_bias: should be a number "
              "or a string, not true/false");
}

TEST(LessonFile, AFullActionIsRead) {
    const Lesson l = parse_lesson(with_action(R"({"tab": "Losses", "model": "wgan_gp28",
        "data": "fashion-mnist", "seed": 3, "batch": 32, "settings": {"lr_G": 0.0002},
        "train_steps": 50, "lab": "data=ring8", "view": {"a.b": 1, "c.d": "x"}})"),
                                  "x.json", window_vocabulary());
    const LessonAction& a = l.steps[0].action;
    EXPECT_EQ(a.model, "wgan_gp28");
    EXPECT_EQ(a.data, "fashion-mnist");
    EXPECT_EQ(*a.seed, 3u);
    EXPECT_EQ(*a.batch, 32);
    ASSERT_EQ(a.settings.size(), 1u);
    EXPECT_EQ(a.settings[0].first, "lr_G");
    EXPECT_DOUBLE_EQ(a.settings[0].second, 0.0002);
    EXPECT_EQ(a.train_steps, 50);
    ASSERT_EQ(a.view.size(), 2u);
    EXPECT_DOUBLE_EQ(std::get<double>(a.view[0].second), 1.0);
    EXPECT_EQ(std::get<std::string>(a.view[1].second), "x");
}

TEST(LessonFile, AMissingFileIsNamed) {
    try {
        read_lesson("/nonexistent/lesson.json", window_vocabulary());
        FAIL();
    } catch (const LessonError& e) {
        EXPECT_EQ(std::string(e.what()),
                  "/nonexistent/lesson.json: cannot be read (No such file or directory)");
    }
}

TEST(LessonFile, AFifoIsRefusedAtOnce) {
    const std::string fifo = ganvas::testing::temp_dir("lesson_fifo") + "/lesson.json";
    ganvas::testing::make_fifo(fifo);
    EXPECT_EQ(
        ganvas::testing::finishes_on_fifo(fifo, [&] { read_lesson(fifo, window_vocabulary()); }),
        fifo +
            ": cannot be read (it is a pipe (FIFO), not a file: save what it carries to a file "
            "first)");
}

TEST(LessonFile, AListingKeepsGoodFilesBesideABadOne) {
    const std::string dir = ganvas::testing::temp_dir("lessons_listing");
    std::ofstream(dir + "/a_good.json") << with_action(R"({"tab": "Losses"})");
    std::ofstream(dir + "/b_bad.json") << with_action(R"({"tab": "Lossez"})");
    std::ofstream(dir + "/notes.txt") << "not a lesson";
    const auto listing = list_lessons(dir, window_vocabulary());
    ASSERT_EQ(listing.size(), 2u);
    EXPECT_TRUE(listing[0].lesson.has_value());
    EXPECT_FALSE(listing[1].lesson.has_value());
    EXPECT_NE(listing[1].error.find("b_bad.json: steps[0].action.tab: no tab named 'Lossez'"),
              std::string::npos)
        << listing[1].error;
}

namespace {

// Records what a step asks of the window, in order.
struct RecordingHost : LessonHost {
    std::vector<std::string> calls;
    void start_session(const LessonAction& a) override { calls.push_back("session " + a.model); }
    void set_view(const std::string& key, const std::variant<double, std::string>&) override {
        calls.push_back("view " + key);
    }
    void start_lab(const std::string& spec) override { calls.push_back("lab " + spec); }
    void reload_tab(const std::string& title) override { calls.push_back("reload " + title); }
    void show_tab(const std::string& title) override { calls.push_back("show " + title); }
};

Lesson three_steps() {
    Lesson l;
    l.file = "three.json";
    for (const char* tab : {"Losses", "Perceptron", "GAN Lab"}) {
        LessonStep s;
        s.action.tab = tab;
        l.steps.push_back(s);
    }
    l.steps[1].action.view = {{"perceptron.no_bias", 1.0}};
    l.steps[2].action.lab = "data=gauss1d";
    l.steps[2].action.view = {{"lab.view", 1.0}};
    return l;
}

}  // namespace

TEST(LessonRunner, AStepSetsTheSessionThenViewsThenLabThenTab) {
    LessonAction a;
    a.model = "dcgan28";
    a.data = "fashion-mnist";
    a.view = {{"perceptron.no_bias", 1.0}};
    a.tab = "Perceptron";
    RecordingHost host;
    apply_action(a, host);
    EXPECT_EQ(host.calls, (std::vector<std::string>{"session dcgan28", "view perceptron.no_bias",
                                                    "reload Perceptron", "show Perceptron"}));
    // The GAN Lab restarted from its preset reads the views already: no second restart.
    LessonAction lab;
    lab.tab = "GAN Lab";
    lab.lab = "data=ring8";
    lab.view = {{"lab.view", 1.0}};
    RecordingHost host2;
    apply_action(lab, host2);
    EXPECT_EQ(host2.calls,
              (std::vector<std::string>{"view lab.view", "lab data=ring8", "show GAN Lab"}));
    // Only a tab: only shown, nothing restarted.
    LessonAction tab_only;
    tab_only.tab = "Losses";
    RecordingHost host3;
    apply_action(tab_only, host3);
    EXPECT_EQ(host3.calls, (std::vector<std::string>{"show Losses"}));
}

TEST(LessonRunner, EnteringAStepAppliesItOnceAndBackAndNextStayInRange) {
    LessonRunner runner;
    RecordingHost host;
    runner.open(three_steps());
    runner.apply_pending(host);
    runner.apply_pending(host);  // once per entry, not every frame
    EXPECT_EQ(host.calls, (std::vector<std::string>{"show Losses"}));
    runner.back();  // already at the first: nothing to do
    EXPECT_FALSE(runner.pending());
    runner.next();
    runner.apply_pending(host);
    EXPECT_EQ(runner.step(), 1);
    EXPECT_EQ(host.calls.back(), "show Perceptron");
    runner.next();
    runner.next();  // past the last: stays
    EXPECT_EQ(runner.step(), 2);
    runner.apply_pending(host);
    EXPECT_EQ(host.calls.back(), "show GAN Lab");
    host.calls.clear();
    runner.redo();  // the same step again, from scratch
    runner.apply_pending(host);
    EXPECT_EQ(host.calls,
              (std::vector<std::string>{"view lab.view", "lab data=gauss1d", "show GAN Lab"}));
    runner.close();
    EXPECT_FALSE(runner.active());
}

TEST(LessonRunner, ReloadKeepsTheStepAndABadEditKeepsTheLesson) {
    const std::string dir = ganvas::testing::temp_dir("lessons_reload");
    const std::string path = dir + "/mine.json";
    const std::string two_steps =
        R"({"title": {"en": "T", "zh-CN": "标题"}, "steps": [
          {"title": {"en": "A", "zh-CN": "甲"}, "text": {"en": "x. y.", "zh-CN": "甲。乙。"},
           "notice": {"en": "n", "zh-CN": "注"}, "action": {"tab": "Losses"}},
          {"title": {"en": "B", "zh-CN": "乙"}, "text": {"en": "x. y.", "zh-CN": "甲。乙。"},
           "notice": {"en": "n", "zh-CN": "注"}, "action": {"tab": "Samples"}}]})";
    std::ofstream(path) << two_steps;
    LessonCard card(window_vocabulary());
    card.open(path, 1);
    LessonRunner& runner = card.runner();
    ASSERT_TRUE(runner.active()) << runner.error();
    EXPECT_EQ(runner.step(), 1);
    std::string edited = two_steps;
    edited.replace(edited.find("\"B\""), 3, "\"B2\"");
    std::ofstream(path) << edited;
    runner.reload(card.vocabulary());
    EXPECT_EQ(runner.step(), 1);
    EXPECT_EQ(runner.current().title.en, "B2");
    std::ofstream(path) << "{ oops";
    runner.reload(card.vocabulary());
    EXPECT_TRUE(runner.active());
    EXPECT_EQ(runner.current().title.en, "B2");
    EXPECT_NE(runner.error().find("mine.json: not valid JSON"), std::string::npos)
        << runner.error();
    // A bad file opened from the start shows its error on the card instead.
    card.open(dir + "/absent.json");
    EXPECT_FALSE(runner.active());
    EXPECT_TRUE(card.visible());
    EXPECT_NE(runner.error().find("absent.json: cannot be read"), std::string::npos);
}

TEST(LessonCard, DrawsEveryShippedStepInBothLanguages) {
    ganvas::testing::HeadlessImGui imgui;
    LessonCard card(window_vocabulary());
    const auto before = i18n::current_language();
    for (const i18n::Language language : {i18n::Language::English, i18n::Language::Chinese}) {
        i18n::set_language(language);
        for (const std::string& name : kShipped) {
            card.open(lesson_path(name));
            ASSERT_TRUE(card.runner().active()) << card.runner().error();
            for (int i = 0; i < card.runner().steps(); ++i) {
                card.runner().go(i);
                imgui.frame([&] { card.draw(1.0f); });
            }
        }
        card.open("/nonexistent.json");
        imgui.frame([&] { card.draw(1.0f); });
    }
    i18n::set_language(before);
}

namespace {

struct StandIn : gui::Panel {
    explicit StandIn(std::string lab) : lab(std::move(lab)) {}
    const char* title() const override { return "Stand-in"; }
    void draw(gui::PanelContext&) override {}
    std::string lab;
};

}  // namespace

TEST(TabSetRemake, RemakesOnlyThatTabFromTheGivenStart) {
    std::vector<gui::PanelEntry> entries;
    for (int i = 0; i < 3; ++i)
        entries.push_back(
            {i, "T" + std::to_string(i), "StandIn", __FILE__, [](const gui::PanelStart& s) {
                 return std::unique_ptr<gui::Panel>(std::make_unique<StandIn>(s.lab));
             }});
    // No table: every entry lands in the "Other" workspace, in order.
    gui::TabSet tabs(gui::arrange_workspaces(entries, {}),
                     gui::PanelStart{"from the command line", ""});
    const gui::Panel* first = tabs.panels()[0].get();
    const gui::PanelStart preset{"data=ring8", ""};
    tabs.remake(1, &preset);
    EXPECT_EQ(tabs.panels()[0].get(), first);
    EXPECT_EQ(static_cast<const StandIn&>(*tabs.panels()[1]).lab, "data=ring8");
    tabs.remake(2);
    EXPECT_EQ(static_cast<const StandIn&>(*tabs.panels()[2]).lab, "from the command line");
    tabs.remake(7);  // no such tab: nothing happens
    EXPECT_EQ(tabs.panels().size(), 3u);
}

TEST(GanLabJs, RecordsJsOverTrainingAndStartsOverAfterAReset) {
    gui::JsCurve curve;
    ToyLabSnapshot s;
    s.dim = 1;
    s.p_data = {0, 1, 1, 0, 0, 0};
    s.kde_fake = {0, 0, 0, 0, 1, 1};  // disjoint: ln 2
    s.version = 1;
    s.d_updates = 5;
    curve.observe(s);
    curve.observe(s);  // the same snapshot again: one point
    ASSERT_EQ(curve.values().size(), 1u);
    EXPECT_NEAR(curve.values()[0], std::log(2.0), 1e-6);
    s.version = 2;
    s.d_updates = 9;
    s.kde_fake = s.p_data;  // caught up: 0
    curve.observe(s);
    ASSERT_EQ(curve.values().size(), 2u);
    EXPECT_NEAR(curve.values()[1], 0.0, 1e-6);
    s.version = 3;
    s.d_updates = 1;  // a reset
    curve.observe(s);
    EXPECT_EQ(curve.values().size(), 1u);
    ToyLabSnapshot plane;  // 2-D data: no curve
    plane.version = 4;
    curve.observe(plane);
    EXPECT_EQ(curve.values().size(), 1u);
}

TEST(LessonCli, ABadLessonIsOneLineNamingTheFileAndField) {
    const std::string dir = ganvas::testing::temp_dir("lessons_cli");
    const std::string path = dir + "/bad.json";
    std::ofstream(path) << with_action(R"({"tab": "Lossez"})");
    ganvas::testing::expect_clear_error(ganvas::testing::run_ganvas("--lesson " + path),
                                        "bad.json: steps[0].action.tab: no tab named 'Lossez'");
    ganvas::testing::expect_clear_error(ganvas::testing::run_ganvas("--lesson no_such_lesson"),
                                        "no_such_lesson.json: cannot be read");
    ganvas::testing::expect_clear_error(
        ganvas::testing::run_ganvas("--lesson gan_game --lesson-step 40"), "--lesson-step 40");
    ganvas::testing::expect_clear_error(ganvas::testing::run_ganvas("--lesson-step 2"),
                                        "--lesson-step needs --lesson");
}

namespace {

// Every code point one unit wide.
float code_points(std::string_view s) {
    float n = 0;
    for (unsigned char c : s) n += (c & 0xC0) != 0x80;
    return n;
}

}  // namespace

TEST(LessonTextWrap, LatinBreaksAtSpacesOnly) {
    EXPECT_EQ(wrap_lines("ab cd ef", 5, code_points), (std::vector<std::string>{"ab cd", "ef"}));
    // A word wider than the line stays whole on its own line.
    EXPECT_EQ(wrap_lines("a abcdefgh b", 4, code_points),
              (std::vector<std::string>{"a", "abcdefgh", "b"}));
    EXPECT_EQ(wrap_lines("one\ntwo", 80, code_points), (std::vector<std::string>{"one", "two"}));
    EXPECT_EQ(wrap_lines("", 10, code_points), (std::vector<std::string>{""}));
}

TEST(LessonTextWrap, ChineseBreaksBetweenCharactersButNotBeforeClosingPunctuation) {
    // ImGui 1.86 would break only at the space before "T".
    EXPECT_EQ(wrap_lines("一二三四五六", 4, code_points),
              (std::vector<std::string>{"一二三四", "五六"}));
    // "，" may not start a line: it goes with "三".
    EXPECT_EQ(wrap_lines("一二三，四五", 3, code_points),
              (std::vector<std::string>{"一二", "三，四", "五"}));
    // "（" may not end one: it goes with "甲".
    EXPECT_EQ(wrap_lines("一二（甲）", 3, code_points),
              (std::vector<std::string>{"一二", "（甲）"}));
    // Latin words inside Chinese stay whole: "w1" is not split.
    EXPECT_EQ(wrap_lines("转动 w1 和 w2", 5, code_points),
              (std::vector<std::string>{"转动 w1", "和 w2"}));
}

TEST(ShippedLessons, EveryGlyphOfEveryLessonIsInTheAtlasOnceNoted) {
    // Lesson text is not in the catalog: the card notes its glyphs, and the next
    // atlas must have every one of them, in both languages (no missing-glyph boxes).
    if (gui::cjk_font_path().empty()) GTEST_SKIP() << "no CJK font (fonts-noto-cjk) installed";
    std::vector<std::string> texts;
    for (const std::string& name : kShipped) {
        const Lesson lesson = read_lesson(lesson_path(name), window_vocabulary());
        std::vector<const Text*> all = {&lesson.title, &lesson.summary};
        for (const LessonStep& s : lesson.steps)
            all.insert(all.end(), {&s.title, &s.text, &s.notice});
        for (const Text* t : all) texts.insert(texts.end(), {t->en, t->zh});
    }
    for (const std::string& t : texts) gui::note_glyphs(t);
    ImGui::CreateContext();
    ImFontAtlas& atlas = *ImGui::GetIO().Fonts;
    gui::build_font_atlas(atlas, 20, true);
    std::set<unsigned> missing;
    for (const std::string& t : texts)
        for (unsigned c : gui::decode_utf8(t))
            if (!atlas.Fonts[0]->FindGlyphNoFallback(static_cast<ImWchar>(c))) missing.insert(c);
    for (unsigned c : missing) ADD_FAILURE() << "no glyph for U+" << std::hex << c;
    ImGui::DestroyContext();
}
