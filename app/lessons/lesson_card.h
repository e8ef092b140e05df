// The lesson card, drawn beside the tabs while a lesson is open: the lesson's
// title, step i of n, the step's title and text, "What to notice" on a
// highlighted panel, Back and Next; and the Lessons menu that lists the files of
// assets/lessons/ in the current language (a bad file listed with its error).
#pragma once

#include <optional>
#include <vector>

#include "lessons/lesson_runner.h"

namespace ganvas::lessons {

class LessonCard {
public:
    explicit LessonCard(LessonVocabulary vocabulary) : vocabulary_(std::move(vocabulary)) {}

    LessonRunner& runner() { return runner_; }
    // A lesson is open, or one failed to open and its error is still shown.
    bool visible() const { return runner_.active() || !runner_.error().empty(); }
    const LessonVocabulary& vocabulary() const { return vocabulary_; }
    // Opens the lesson file at `path` at step `step`; a bad file leaves the error on the card.
    void open(const std::string& path, int step = 0);

    // Inside the menu bar: the Lessons menu.
    void draw_menu();
    // Inside a child window beside the tabs; `scale` is the UI scale.
    void draw(float scale);

private:
    LessonVocabulary vocabulary_;
    LessonRunner runner_;
    std::optional<std::vector<LessonListing>> listing_;  // read when the menu opens
    // The files' names and times when listing_ was read: checking a lesson's settings
    // builds its model, so an unchanged folder is not read again.
    std::string listing_signature_;
    bool menu_open_ = false;
};

}  // namespace ganvas::lessons
