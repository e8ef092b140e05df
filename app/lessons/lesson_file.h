// A lesson: a guided story through the window's labs, read from a data file in
// assets/lessons/NAME.json with both languages in it (README "Lessons" is the
// format's documentation for teachers). Each step has a title, two to five
// sentences, an action that sets the window up (a tab, a GAN Lab preset, a
// session with its settings, view choices) and what to notice.
//
// Parsing is plain data, no ImGui: a file that is not valid JSON, misses a field,
// has a field of the wrong type or an unknown one, or names a tab, model or lab
// preset that does not exist gets one line naming the file and the field:
//
//     assets/lessons/gan_game.json: steps[2].action.tab: no tab named 'Lossez'
#pragma once

#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <utility>
#include <variant>
#include <vector>

#include "i18n/tr.h"

namespace ganvas::lessons {

// One text in both languages ("en", "zh-CN" in the file).
struct Text {
    std::string en, zh;
    const std::string& in(i18n::Language language) const {
        return language == i18n::Language::Chinese ? zh : en;
    }
};

// What entering a step does, in this order: the session (model, data, seed,
// batch, then settings, then train_steps), the GAN Lab's preset, the view
// choices, then the tab shown. Every field is optional; an empty action only
// turns the page.
struct LessonAction {
    std::string tab;    // a registered tab's title ("GAN Lab")
    std::string lab;    // parse_toy_lab_spec: "data=ring8,objective=minimax,steps=800"
    std::string model;  // a window model ("dcgan28"): a fresh session
    std::string data;   // with it, the data ("fashion-mnist", "toy:ring8", ...)
    std::optional<uint64_t> seed;
    std::optional<int64_t> batch;
    std::vector<std::pair<std::string, double>> settings;  // the model's settings (--set)
    int64_t train_steps = 0;                               // then trains this many, and pauses
    std::string checkpoint;  // a `ganvas train` checkpoint under assets/ (absolute path once read)
    // View choices the tabs keep in the settings file ("perceptron.no_bias": 1).
    std::vector<std::pair<std::string, std::variant<double, std::string>>> view;

    bool starts_session() const { return !model.empty() || !checkpoint.empty(); }
};

struct LessonStep {
    Text title, text, notice;
    LessonAction action;
};

struct Lesson {
    std::string name;  // the file's stem: "gan_game"
    std::string file;  // as given, for messages
    Text title, summary;
    std::vector<LessonStep> steps;
};

// A problem with a lesson file: what() is the one line to show.
struct LessonError : std::runtime_error {
    using std::runtime_error::runtime_error;
};

// What a lesson may name; the window passes its registered tabs and models.
struct LessonVocabulary {
    std::vector<std::string> tabs;
    std::vector<std::string> models;
    std::string assets_dir;  // checkpoints are looked for under it
};
// registered_panels()' titles, window_model_names(), GANVAS_ASSETS_DIR.
LessonVocabulary window_vocabulary();

// Parses a lesson's JSON text; `file` names it in errors. Throws LessonError.
Lesson parse_lesson(const std::string& json_text, const std::string& file,
                    const LessonVocabulary& vocabulary);
// Reads and parses a file. Throws LessonError (also for a file that cannot be read).
Lesson read_lesson(const std::string& path, const LessonVocabulary& vocabulary);

// assets/lessons (GANVAS_ASSETS_DIR/lessons).
std::string lessons_dir();
// `--lesson NAME_OR_FILE`: a path when it has a '/' or ends in .json, else
// lessons_dir()/NAME.json.
std::string lesson_path(const std::string& name_or_file);

// Every *.json in `dir`, by name: the lesson or, for a bad file, its error.
struct LessonListing {
    std::string path;
    std::optional<Lesson> lesson;
    std::string error;
};
std::vector<LessonListing> list_lessons(const std::string& dir, const LessonVocabulary& vocabulary);

}  // namespace ganvas::lessons
