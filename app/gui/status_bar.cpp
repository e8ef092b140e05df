#include "gui/status_bar.h"

#include <imgui.h>

#include <cmath>
#include <cstdio>

namespace ganvas::gui {

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

std::vector<JobEntry> status_bar_jobs(const std::vector<WorkerStatus>& workers) {
    std::vector<JobEntry> jobs;
    for (const WorkerStatus& w : workers) {
        if (!w.wants_work && !w.paused) continue;  // idle: nothing running to show
        JobEntry e;
        e.id = w.id;
        e.held = w.held();
        e.label = w.name + " " + std::to_string(w.steps) + " steps";
        if (w.fraction >= 0) e.label += " (" + std::to_string(std::lround(100 * w.fraction)) + "%)";
        if (w.paused)
            e.label += ", paused";
        else if (e.held)
            e.label += ", paused (tab hidden)";
        e.detail = w.activity.empty() ? w.name : w.activity;
        if (w.paused)
            e.detail += "\nPaused here: its commands still apply; press to resume.";
        else if (e.held)
            e.detail +=
                "\nPaused while its tab is hidden; press to keep it running in the background.";
        else
            e.detail += "\nPress to pause it.";
        jobs.push_back(std::move(e));
    }
    return jobs;
}

bool draw_worker_pin(BackgroundWorker& worker) {
    const WorkerStatus s = worker.status();
    bool pinned = s.pinned;
    if (ImGui::Checkbox("keep running in the background", &pinned)) worker.set_pinned(pinned);
    if (ImGui::IsItemHovered())
        ImGui::SetTooltip(
            "Off: this lab pauses while its tab is not shown, so it never slows the "
            "session's training unseen. On: it keeps training on another tab.");
    if (s.paused) ImGui::TextColored(ImVec4(0.9f, 0.8f, 0.3f, 1), "Paused from the status bar.");
    return pinned;
}

// Each job with work to do: a pause/resume toggle, its name, steps and state.
static void draw_jobs() {
    for (const JobEntry& job : status_bar_jobs(running_workers())) {
        ImGui::SameLine();
        ImGui::TextDisabled("|");
        ImGui::SameLine();
        ImGui::PushID(static_cast<int>(job.id));
        if (ImGui::SmallButton(job.held ? ">" : "||")) set_worker_paused(job.id, !job.held);
        if (ImGui::IsItemHovered()) ImGui::SetTooltip("%s", job.detail.c_str());
        ImGui::SameLine();
        if (job.held)
            ImGui::TextDisabled("%s", job.label.c_str());
        else
            ImGui::TextColored(ImVec4(0.4f, 0.85f, 0.4f, 1), "%s", job.label.c_str());
        if (ImGui::IsItemHovered()) ImGui::SetTooltip("%s", job.detail.c_str());
        ImGui::PopID();
    }
}

void draw_status_bar(const TrainerSnapshot& s, const FrameClock& clock) {
    const ImVec4 state_colour = s.state == TrainerState::Running   ? ImVec4(0.4f, 0.85f, 0.4f, 1)
                                : s.state == TrainerState::Failed  ? ImVec4(1, 0.4f, 0.4f, 1)
                                : s.state == TrainerState::Loading ? ImVec4(0.9f, 0.8f, 0.3f, 1)
                                                                   : ImVec4(0.7f, 0.7f, 0.7f, 1);
    ImGui::AlignTextToFramePadding();
    if (s.held)
        ImGui::TextColored(ImVec4(0.9f, 0.8f, 0.3f, 1), "paused");
    else
        ImGui::TextColored(state_colour, "%s", trainer_state_name(s.state));
    ImGui::SameLine();
    const float progress = s.budget > 0 ? std::min(1.0f, float(s.step) / float(s.budget)) : 0.0f;
    char label[64];
    std::snprintf(label, sizeof label, "step %lld / %lld", static_cast<long long>(s.step),
                  static_cast<long long>(s.budget));
    ImGui::ProgressBar(progress, ImVec2(ImGui::GetFontSize() * 14, 0), label);
    ImGui::SameLine();
    ImGui::Text("%5.2f steps/s", s.steps_per_second);
    ImGui::SameLine();
    ImGui::TextDisabled("|");
    ImGui::SameLine();
    ImGui::Text("elapsed %s", format_duration(s.train_seconds).c_str());
    ImGui::SameLine();
    const double eta = s.steps_per_second > 0 && s.step < s.budget
                           ? double(s.budget - s.step) / s.steps_per_second
                           : NAN;
    ImGui::Text("ETA %s", format_duration(eta).c_str());
    ImGui::SameLine();
    ImGui::TextDisabled("|");
    ImGui::SameLine();
    ImGui::Text("UI %.0f fps (%.1f ms)", clock.fps, clock.frame_ms);
    ImGui::SameLine();
    ImGui::TextDisabled("| %d threads", s.threads);
    draw_jobs();
    if (!s.notice.empty()) {
        ImGui::SameLine();
        ImGui::TextDisabled("|");
        ImGui::SameLine();
        if (s.notice_is_error)
            ImGui::TextColored(ImVec4(1, 0.45f, 0.4f, 1), "%s", s.notice.c_str());
        else
            ImGui::TextUnformatted(s.notice.c_str());
    }
}

}  // namespace ganvas::gui
