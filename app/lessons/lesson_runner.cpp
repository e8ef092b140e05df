#include "lessons/lesson_runner.h"

#include <algorithm>

namespace ganvas::lessons {

namespace {
constexpr const char* kGanLab = "GAN Lab";
}

void apply_action(const LessonAction& action, LessonHost& host) {
    if (action.starts_session()) host.start_session(action);
    for (const auto& [key, value] : action.view) host.set_view(key, value);
    if (!action.lab.empty()) host.start_lab(action.lab);
    const bool lab_restarted = !action.lab.empty() && action.tab == kGanLab;
    if (!action.view.empty() && !action.tab.empty() && !lab_restarted) host.reload_tab(action.tab);
    if (!action.tab.empty()) host.show_tab(action.tab);
}

void LessonRunner::open(Lesson lesson, int step) {
    lesson_ = std::move(lesson);
    step_ = std::clamp(step, 0, static_cast<int>(lesson_->steps.size()) - 1);
    pending_ = true;
    error_.clear();
}

void LessonRunner::close() {
    lesson_.reset();
    pending_ = false;
    error_.clear();
}

void LessonRunner::go(int step) {
    if (!active()) return;
    const int to = std::clamp(step, 0, steps() - 1);
    if (to == step_) return;
    step_ = to;
    pending_ = true;
}

void LessonRunner::reload(const LessonVocabulary& vocabulary) {
    if (!active()) return;
    try {
        Lesson fresh = read_lesson(lesson_->file, vocabulary);
        const int step = step_;
        open(std::move(fresh), step);
    } catch (const LessonError& e) {
        error_ = e.what();
    }
}

void LessonRunner::apply_pending(LessonHost& host) {
    if (!pending_ || !active()) return;
    pending_ = false;
    apply_action(current().action, host);
}

}  // namespace ganvas::lessons
