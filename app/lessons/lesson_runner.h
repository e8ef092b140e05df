// LessonRunner: which lesson is open at which step, and the setting up of a
// step through LessonHost, the window's side. Entering a step (opening, Next,
// Back, "Set it up again") applies its action once, between frames, before the
// tabs draw: the same step always sets the same state. No ImGui here, so the
// order of what a step does is tested with a host that only records.
#pragma once

#include <optional>
#include <string>
#include <variant>

#include "lessons/lesson_file.h"

namespace ganvas::lessons {

// What a lesson may ask of the window (implemented by gui_app_lesson_host.cpp).
class LessonHost {
public:
    virtual ~LessonHost() = default;
    // A fresh session: model, data, seed, batch, settings, then train_steps
    // steps (paused after them); or a checkpoint with its settings.
    virtual void start_session(const LessonAction& action) = 0;
    // A view choice kept in the settings file ("perceptron.no_bias" = 1).
    virtual void set_view(const std::string& key,
                          const std::variant<double, std::string>& value) = 0;
    // The GAN Lab afresh from a preset (parse_toy_lab_spec).
    virtual void start_lab(const std::string& spec) = 0;
    // Tab `title` afresh, so it reads the view choices just set.
    virtual void reload_tab(const std::string& title) = 0;
    virtual void show_tab(const std::string& title) = 0;
};

// The calls a step's action makes, in order: the session, the view choices,
// the GAN Lab's preset, the tab reloaded (when it was given view choices and
// no lab preset restarted it already), the tab shown.
void apply_action(const LessonAction& action, LessonHost& host);

class LessonRunner {
public:
    // Opens `lesson` at step `step` (0-based, clamped); applied at the next apply_pending().
    void open(Lesson lesson, int step = 0);
    void close();
    bool active() const { return lesson_.has_value(); }
    const Lesson& lesson() const { return *lesson_; }
    int step() const { return step_; }
    int steps() const { return active() ? static_cast<int>(lesson_->steps.size()) : 0; }
    const LessonStep& current() const { return lesson_->steps[step_]; }

    void next() { go(step_ + 1); }
    void back() { go(step_ - 1); }
    void go(int step);
    void redo() { pending_ = active(); }  // the current step's action again

    // Rereads the open lesson's file (a teacher editing it): keeps the step when it
    // still exists. A bad file leaves the lesson as it was and sets error().
    void reload(const LessonVocabulary& vocabulary);

    // Between frames: applies the step entered since the last call, if any.
    void apply_pending(LessonHost& host);
    bool pending() const { return pending_; }

    // The latest problem (a file that did not load); "" if none.
    const std::string& error() const { return error_; }
    void set_error(std::string error) { error_ = std::move(error); }

private:
    std::optional<Lesson> lesson_;
    int step_ = 0;
    bool pending_ = false;
    std::string error_;
};

}  // namespace ganvas::lessons
