#include "gui/status_bar.h"

#include <imgui.h>

#include <cmath>
#include <cstdio>

#include "gui/theme.h"
#include "i18n/tr.h"
#include "widgets/fit_text.h"

namespace ganvas::gui {
namespace {

template <class... Args>
std::string formatted(const char* pattern, Args... args) {
    char buf[512];
    std::snprintf(buf, sizeof buf, pattern, args...);
    return buf;
}

// The core names its workers in English; the catalog has them (tabs.json, window.json).
const char* worker_name(const std::string& name) {
    return tr(name.c_str());
}

}  // namespace

std::string format_duration(double seconds) {
    if (!std::isfinite(seconds) || seconds < 0) return "–";
    const long s = std::lround(seconds);
    char buf[32];
    if (s < 60)
        std::snprintf(buf, sizeof buf, "%ld s", s);
    else if (s < 3600)
        std::snprintf(buf, sizeof buf, "%ld:%02ld", s / 60, s % 60);
    else
        std::snprintf(buf, sizeof buf, "%ld:%02ld:%02ld", s / 3600, (s / 60) % 60, s % 60);
    return buf;
}

std::string format_rate(const TrainerSnapshot& s) {
    if (s.steps_per_second > 0 || s.steps_trained < 1 || !(s.train_seconds > 0))
        return formatted(tr("%5.2f steps/s"), s.steps_per_second);
    return formatted(tr("average %.2f steps/s"), double(s.steps_trained) / s.train_seconds);
}

std::vector<JobEntry> status_bar_jobs(const std::vector<WorkerStatus>& workers) {
    std::vector<JobEntry> jobs;
    for (const WorkerStatus& w : workers) {
        if (!w.wants_work && !w.paused) continue;  // idle: nothing running to show
        JobEntry e;
        e.id = w.id;
        e.held = w.held();
        const auto steps = static_cast<long long>(w.steps);
        if (w.fraction >= 0)
            e.label = formatted(tr("%s %lld steps (%ld%%)"), worker_name(w.name), steps,
                                std::lround(100 * w.fraction));
        else
            e.label = formatted(tr("%s %lld steps"), worker_name(w.name), steps);
        if (w.paused)
            e.label += tr(", paused");
        else if (e.held)
            e.label += tr(", paused (tab hidden)");
        e.detail = w.activity.empty() ? worker_name(w.name) : tr_phrase(w.activity);
        e.detail += "\n";
        if (w.paused)
            e.detail += tr("Paused here: its commands still apply; press to resume.");
        else if (e.held)
            e.detail +=
                tr("Paused while its tab is hidden; press to keep it running in the background.");
        else
            e.detail += tr("Press to pause it.");
        jobs.push_back(std::move(e));
    }
    return jobs;
}

bool draw_worker_pin(BackgroundWorker& worker) {
    const WorkerStatus s = worker.status();
    bool pinned = s.pinned;
    if (ImGui::Checkbox(tr("keep running in the background"), &pinned)) worker.set_pinned(pinned);
    if (ImGui::IsItemHovered())
        // tr()'s literal stays whole, for tests/app/test_translations.cpp to find.
        // clang-format off
        ImGui::SetTooltip("%s", tr("Off: this lab pauses while its tab is not shown, so it never slows the session's training unseen. On: it keeps training on another tab."));
    // clang-format on
    if (s.paused)
        ImGui::TextColored(tone_colour(Tone::warning), "%s", tr("Paused from the status bar."));
    return pinned;
}

namespace {

// One line of the status bar, laid out before it is drawn: what does not fit
// is left out, least useful first, and the latest message is cut with "…"
// (whole in its tooltip) rather than clipped at the window's edge.
struct StatusLine {
    float gap = ImGui::GetStyle().ItemSpacing.x;
    float separator = ImGui::CalcTextSize("|").x + 2 * gap;
    static float text(const std::string& t) { return ImGui::CalcTextSize(t.c_str()).x; }
};

void separator() {
    ImGui::SameLine();
    ImGui::TextDisabled("|");
    ImGui::SameLine();
}

// Each job with work to do: a pause/resume toggle, its name, steps and state.
void draw_jobs(const std::vector<JobEntry>& jobs) {
    for (const JobEntry& job : jobs) {
        separator();
        ImGui::PushID(static_cast<int>(job.id));
        // A full-height button: SmallButton's has no room below the baseline for '|'.
        if (ImGui::Button(job.held ? ">" : "||")) set_worker_paused(job.id, !job.held);
        if (ImGui::IsItemHovered()) ImGui::SetTooltip("%s", job.detail.c_str());
        ImGui::SameLine();
        if (job.held)
            ImGui::TextDisabled("%s", job.label.c_str());
        else
            ImGui::TextColored(tone_colour(Tone::ok), "%s", job.label.c_str());
        if (ImGui::IsItemHovered()) ImGui::SetTooltip("%s", job.detail.c_str());
        ImGui::PopID();
    }
}

const char* state_text(const TrainerSnapshot& s) {
    if (s.held) return tr("paused");
    switch (s.state) {
        case TrainerState::Loading:
            return tr("loading");
        case TrainerState::Paused:
            return tr("paused");
        case TrainerState::Running:
            return tr("running");
        case TrainerState::Finished:
            return tr("finished");
        case TrainerState::Failed:
            return tr("failed");
    }
    return "?";
}

}  // namespace

void draw_status_bar(const TrainerSnapshot& s, const FrameClock& clock) {
    const ImVec4 state_colour = s.held                             ? tone_colour(Tone::warning)
                                : s.state == TrainerState::Running ? tone_colour(Tone::ok)
                                : s.state == TrainerState::Failed  ? tone_colour(Tone::error)
                                : s.state == TrainerState::Loading
                                    ? tone_colour(Tone::warning)
                                    : ImGui::GetStyle().Colors[ImGuiCol_TextDisabled];
    const StatusLine line;
    const std::string state = state_text(s);
    const std::string step = formatted(tr("step %lld / %lld"), static_cast<long long>(s.step),
                                       static_cast<long long>(s.budget));
    const std::string rate = format_rate(s);
    const std::string elapsed =
        formatted(tr("elapsed %s"), format_duration(s.train_seconds).c_str());
    const double eta = s.steps_per_second > 0 && s.step < s.budget
                           ? double(s.budget - s.step) / s.steps_per_second
                           : NAN;
    const std::string eta_text = formatted(tr("ETA %s"), format_duration(eta).c_str());
    const std::string fps = formatted(tr("UI %.0f fps (%.1f ms)"), clock.fps, clock.frame_ms);
    const std::string threads =
        s.threads == 1 ? std::string(tr("1 thread")) : formatted(tr("%d threads"), s.threads);
    const std::vector<JobEntry> jobs = status_bar_jobs(running_workers());

    // What must stay: the state, the progress bar, the jobs' toggles and some of the message.
    const float font = ImGui::GetFontSize();
    const float progress_w =
        std::max(line.text(step) + 2 * ImGui::GetStyle().FramePadding.x, font * 8);
    float used = line.text(state) + line.gap + progress_w;
    for (const JobEntry& job : jobs)
        used += line.separator + line.text(job.held ? ">" : "||") +
                2 * ImGui::GetStyle().FramePadding.x + line.gap + line.text(job.label);
    const std::string notice = tr_phrase(s.notice);
    const float notice_min =
        notice.empty() ? 0 : line.separator + std::min(line.text(notice), font * 16);
    // The optional parts, most useful first; each is kept while it still fits.
    struct Part {
        const std::string* text;
        bool after_separator;
        int priority;  // 0 is kept longest
        bool shown = false;
    };
    Part parts[] = {{&rate, false, 0},
                    {&elapsed, true, 2},
                    {&eta_text, false, 1},
                    {&fps, true, 3},
                    {&threads, true, 4}};
    const float avail = ImGui::GetContentRegionAvail().x;
    for (int priority = 0; priority < 5; ++priority)
        for (Part& p : parts) {
            if (p.priority != priority) continue;
            const float w = (p.after_separator ? line.separator : line.gap) + line.text(*p.text);
            if (used + w + notice_min <= avail) {
                p.shown = true;
                used += w;
            }
        }

    ImGui::AlignTextToFramePadding();
    ImGui::TextColored(state_colour, "%s", state.c_str());
    ImGui::SameLine();
    const float progress = s.budget > 0 ? std::min(1.0f, float(s.step) / float(s.budget)) : 0.0f;
    ImGui::ProgressBar(progress, ImVec2(progress_w, 0), step.c_str());
    for (const Part& p : parts) {
        if (!p.shown) continue;
        if (p.after_separator)
            separator();
        else
            ImGui::SameLine();
        if (p.text == &threads)
            ImGui::TextDisabled("%s", p.text->c_str());
        else
            ImGui::TextUnformatted(p.text->c_str());
    }
    draw_jobs(jobs);
    if (!notice.empty()) {
        separator();
        const float room = ImGui::GetContentRegionAvail().x;
        const std::string shown = fit_text(notice, room);
        const ImVec4 colour =
            s.notice_is_error ? tone_colour(Tone::error) : ImGui::GetStyle().Colors[ImGuiCol_Text];
        ImGui::TextColored(colour, "%s", shown.c_str());
        if (shown != notice && ImGui::IsItemHovered()) ImGui::SetTooltip("%s", notice.c_str());
    }
}

}  // namespace ganvas::gui
