#include "lessons/lesson_file.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "io/printable.h"
#include "io/regular_file.h"
#include "models/model.h"
#include "panels/panel_registry.h"
#include "tensor/rng.h"
#include "train/toy_lab.h"

namespace ganvas::lessons {
namespace {

using nlohmann::json;

std::string joined(const std::vector<std::string>& names) {
    std::string out;
    for (const std::string& n : names) out += (out.empty() ? "" : ", ") + n;
    return out;
}

const char* type_name(const json& v) {
    if (v.is_object()) return "an object";
    if (v.is_array()) return "a list";
    if (v.is_string()) return "a string";
    if (v.is_boolean()) return "true/false";
    if (v.is_number()) return "a number";
    return "null";
}

// Reads one JSON object of the file, so every message names the file and the
// field's path in it ("steps[2].action.tab").
class Reader {
public:
    Reader(const std::string& file, const json& value, std::string path)
        : file_(file), value_(value), path_(std::move(path)) {}

    [[noreturn]] void fail(const std::string& field, const std::string& why) const {
        throw LessonError(file_ + ": " + at(field) + ": " + why);
    }

    // The object's keys must all be among `known`.
    void only(const std::vector<std::string>& known) const {
        if (!value_.is_object())
            fail("", std::string("should be an object, not ") + type_name(value_));
        for (const auto& [key, v] : value_.items())
            if (std::find(known.begin(), known.end(), key) == known.end())
                fail(key, "unknown field (known: " + joined(known) + ")");
    }

    bool has(const std::string& key) const { return value_.contains(key); }
    const json& get(const std::string& key) const {
        if (!has(key)) fail(key, "missing");
        return value_.at(key);
    }
    Reader child(const std::string& key) const { return Reader(file_, get(key), at(key)); }
    Reader element(const std::string& key, size_t i) const {
        return Reader(file_, get(key).at(i), at(key) + "[" + std::to_string(i) + "]");
    }

    std::string text(const std::string& key) const {
        const json& v = get(key);
        if (!v.is_string()) fail(key, std::string("should be a string, not ") + type_name(v));
        return v.get<std::string>();
    }
    std::string text_or(const std::string& key) const { return has(key) ? text(key) : ""; }

    int64_t integer(const std::string& key, int64_t lo, int64_t hi) const {
        const json& v = get(key);
        if (!v.is_number_integer())
            fail(key, std::string("should be a whole number, not ") + type_name(v));
        const int64_t n = v.is_number_unsigned() && v.get<uint64_t>() > uint64_t(INT64_MAX)
                              ? INT64_MAX
                              : v.get<int64_t>();
        if (n < lo || n > hi)
            fail(key, std::to_string(n) + " is outside " + std::to_string(lo) + ".." +
                          std::to_string(hi));
        return n;
    }

    // {"en": "...", "zh-CN": "..."}: both languages, neither empty.
    Text both_languages(const std::string& key) const {
        const Reader r = child(key);
        r.only({"en", "zh-CN"});
        Text t{r.text("en"), r.text("zh-CN")};
        if (t.en.empty()) r.fail("en", "empty");
        if (t.zh.empty()) r.fail("zh-CN", "empty");
        return t;
    }

    const json& value() const { return value_; }
    std::string at(const std::string& key) const {
        if (key.empty()) return path_.empty() ? "(top level)" : path_;
        return path_.empty() ? key : path_ + "." + key;
    }

private:
    const std::string& file_;
    const json& value_;
    std::string path_;
};

// A model's settings checked against its declaration (names, ranges, whole numbers).
void check_settings(const Reader& action, const std::string& model_name,
                    const std::vector<std::pair<std::string, double>>& settings) {
    if (settings.empty() || model_name.empty()) return;
    Rng rng(0);
    std::unique_ptr<Model> model;
    try {
        model = make_model(model_name, rng);
    } catch (const std::exception& e) {
        action.fail("model", e.what());
    }
    for (const auto& [name, value] : settings) {
        try {
            model->set_hyper_param(name, value);
        } catch (const std::exception& e) {
            action.fail("settings." + name, e.what());
        }
    }
}

LessonAction read_action(const Reader& r, const LessonVocabulary& vocabulary) {
    r.only({"tab", "lab", "model", "data", "seed", "batch", "settings", "train_steps", "checkpoint",
            "view"});
    LessonAction a;
    if (r.has("tab")) {
        const std::string tab = r.text("tab");
        auto it =
            std::find_if(vocabulary.tabs.begin(), vocabulary.tabs.end(),
                         [&](const std::string& t) { return ascii_lower(t) == ascii_lower(tab); });
        if (it == vocabulary.tabs.end())
            r.fail("tab", "no tab named '" + tab + "' (tabs: " + joined(vocabulary.tabs) + ")");
        a.tab = *it;
    }
    if (r.has("lab")) {
        a.lab = r.text("lab");
        try {
            parse_toy_lab_spec(a.lab);
        } catch (const std::exception& e) {
            r.fail("lab", e.what());
        }
    }
    if (r.has("model")) {
        a.model = r.text("model");
        const auto& models = vocabulary.models;
        if (std::find(models.begin(), models.end(), a.model) == models.end())
            r.fail("model", "no model named '" + a.model + "' (models: " + joined(models) + ")");
    }
    a.data = r.text_or("data");
    if (r.has("seed")) a.seed = static_cast<uint64_t>(r.integer("seed", 0, 1'000'000'000));
    if (r.has("batch")) a.batch = r.integer("batch", 1, 4096);
    if (r.has("train_steps")) a.train_steps = r.integer("train_steps", 0, 1'000'000);
    if (r.has("checkpoint")) {
        const std::string relative = r.text("checkpoint");
        const std::filesystem::path path = std::filesystem::path(vocabulary.assets_dir) / relative;
        std::error_code ec;
        if (!std::filesystem::is_regular_file(path, ec))
            r.fail("checkpoint", "no file '" + relative + "' under " + vocabulary.assets_dir);
        a.checkpoint = path.string();
        if (!a.model.empty() || !a.data.empty())
            r.fail("checkpoint", "opens its own model and data; leave out model and data");
    }
    if (r.has("settings")) {
        const Reader s = r.child("settings");
        if (!s.value().is_object())
            r.fail("settings",
                   std::string("should be an object of numbers, not ") + type_name(s.value()));
        for (const auto& [name, v] : s.value().items()) {
            if (!v.is_number())
                s.fail(name, std::string("should be a number, not ") + type_name(v));
            a.settings.emplace_back(name, v.get<double>());
        }
    }
    // A session is rebuilt from what the step names, so the same step always
    // starts from the same state; data, settings or steps alone would depend
    // on whatever the session was before.
    for (const char* needs : {"data", "seed", "batch"})
        if (r.has(needs) && a.model.empty())
            r.fail(needs, "needs a model in the same action (the session it sets up)");
    for (const char* needs : {"settings", "train_steps"})
        if (r.has(needs) && !a.starts_session())
            r.fail(needs,
                   "needs a model or a checkpoint in the same action (the session it sets up)");
    if (!a.model.empty() && a.data.empty()) r.fail("data", "missing (the model's data set)");
    check_settings(r, a.model, a.settings);
    if (r.has("view")) {
        const Reader v = r.child("view");
        if (!v.value().is_object())
            r.fail("view", std::string("should be an object, not ") + type_name(v.value()));
        for (const auto& [key, value] : v.value().items()) {
            if (value.is_number())
                a.view.emplace_back(key, value.get<double>());
            else if (value.is_string())
                a.view.emplace_back(key, value.get<std::string>());
            else
                v.fail(key, std::string("should be a number or a string, not ") + type_name(value));
        }
    }
    return a;
}

}  // namespace

LessonVocabulary window_vocabulary() {
    LessonVocabulary v;
    for (const gui::PanelEntry& e : gui::registered_panels()) v.tabs.push_back(e.title);
    v.models = window_model_names();
    v.assets_dir = GANVAS_ASSETS_DIR;
    return v;
}

Lesson parse_lesson(const std::string& json_text, const std::string& file,
                    const LessonVocabulary& vocabulary) {
    json root;
    try {
        root = json::parse(json_text);
    } catch (const json::parse_error& e) {
        // "[json.exception.parse_error.101] parse error at line 3, column 5: ..." without the tag.
        std::string why = e.what();
        if (const size_t tag = why.find("] "); tag != std::string::npos) why = why.substr(tag + 2);
        throw LessonError(file + ": not valid JSON: " + why);
    }
    const Reader top(file, root, "");
    top.only({"title", "summary", "steps"});
    Lesson lesson;
    lesson.file = file;
    lesson.name = std::filesystem::path(file).stem().string();
    lesson.title = top.both_languages("title");
    if (top.has("summary")) lesson.summary = top.both_languages("summary");
    const json& steps = top.get("steps");
    if (!steps.is_array())
        top.fail("steps", std::string("should be a list, not ") + type_name(steps));
    if (steps.empty()) top.fail("steps", "empty: a lesson has at least one step");
    for (size_t i = 0; i < steps.size(); ++i) {
        const Reader r = top.element("steps", i);
        r.only({"title", "text", "action", "notice"});
        LessonStep step;
        step.title = r.both_languages("title");
        step.text = r.both_languages("text");
        step.notice = r.both_languages("notice");
        if (r.has("action")) step.action = read_action(r.child("action"), vocabulary);
        lesson.steps.push_back(std::move(step));
    }
    return lesson;
}

Lesson read_lesson(const std::string& path, const LessonVocabulary& vocabulary) {
    if (const std::string why = why_not_readable(path); !why.empty())
        throw LessonError(path + ": cannot be read (" + why + ")");
    std::ifstream in(path, std::ios::binary);
    std::stringstream text;
    text << in.rdbuf();
    return parse_lesson(text.str(), path, vocabulary);
}

std::string lessons_dir() {
    return std::string(GANVAS_ASSETS_DIR) + "/lessons";
}

std::string lesson_path(const std::string& name_or_file) {
    const bool is_path =
        name_or_file.find('/') != std::string::npos ||
        (name_or_file.size() > 5 && name_or_file.substr(name_or_file.size() - 5) == ".json");
    if (is_path) return name_or_file;
    return (std::filesystem::path(lessons_dir()) / (name_or_file + ".json")).string();
}

std::vector<LessonListing> list_lessons(const std::string& dir,
                                        const LessonVocabulary& vocabulary) {
    std::vector<std::string> paths;
    std::error_code ec;
    for (const auto& entry : std::filesystem::directory_iterator(dir, ec))
        if (entry.path().extension() == ".json") paths.push_back(entry.path().string());
    std::sort(paths.begin(), paths.end());
    std::vector<LessonListing> out;
    for (const std::string& path : paths) {
        LessonListing listing{path, std::nullopt, ""};
        try {
            listing.lesson = read_lesson(path, vocabulary);
        } catch (const LessonError& e) {
            listing.error = e.what();
        }
        out.push_back(std::move(listing));
    }
    return out;
}

}  // namespace ganvas::lessons
