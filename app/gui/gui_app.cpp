#include "gui/gui_app.h"

#include <GLFW/glfw3.h>
#include <imgui.h>

#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <memory>
#include <thread>
#include <vector>

#include "gui/settings.h"
#include "gui/status_bar.h"
#include "gui/theme.h"
#include "gui/window.h"
#include "io/image_png.h"
#include "panels/checkerboard_panel.h"
#include "panels/data_panel.h"
#include "panels/experiment_panel.h"
#include "panels/gan_lab_panel.h"
#include "panels/learned_upsampling_panel.h"
#include "panels/losses_panel.h"
#include "panels/model_panel.h"
#include "panels/perceptron_panel.h"
#include "panels/receptive_field_panel.h"
#include "panels/rf_sandbox_panel.h"
#include "panels/samples_panel.h"
#include "panels/upsampling_panel.h"
#include "panels/vq_stage1_panel.h"
#include "panels/vq_stage2_panel.h"
#include "train/live_trainer.h"

namespace ganvas::gui {
namespace {

using Clock = std::chrono::steady_clock;

double ms_between(Clock::time_point a, Clock::time_point b) {
    return std::chrono::duration<double, std::milli>(b - a).count();
}

std::string lower(std::string s) {
    for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return s;
}

double percentile(std::vector<double> v, double p) {
    if (v.empty()) return 0;
    std::sort(v.begin(), v.end());
    return v[std::min(v.size() - 1, static_cast<size_t>(p * v.size()))];
}

class App {
public:
    App(const GuiOptions& options, Window& window, Settings& settings, bool persist)
        : options_(options), window_(window), settings_(settings), persist_(persist) {
        panels_.push_back(std::make_unique<LossesPanel>());
        panels_.push_back(std::make_unique<SamplesPanel>());
        panels_.push_back(std::make_unique<ModelPanel>());
        panels_.push_back(std::make_unique<DataPanel>());
        panels_.push_back(std::make_unique<GanLabPanel>(options.lab));
        panels_.push_back(std::make_unique<PerceptronPanel>());
        panels_.push_back(std::make_unique<ReceptiveFieldPanel>());
        panels_.push_back(std::make_unique<RfSandboxPanel>());
        panels_.push_back(std::make_unique<UpsamplingPanel>());
        panels_.push_back(std::make_unique<CheckerboardPanel>());
        panels_.push_back(std::make_unique<LearnedUpsamplingPanel>());
        panels_.push_back(std::make_unique<VqStage1Panel>());
        panels_.push_back(std::make_unique<VqStage2Panel>());
        wanted_tab_ = options.tab.empty() ? settings.text("window.tab", "") : options.tab;
        ui_scale_ = static_cast<float>(std::clamp(settings.number("ui.scale", 1.0), 0.5, 3.0));

        TrainerOptions t;
        // The command line wins, then the session the user last applied, then the default.
        t.config.model =
            !options.model.empty() ? options.model : settings.text("session.model", "dcgan28");
        t.config.data =
            !options.data.empty() ? options.data : settings.text("session.data", "fashion-mnist");
        t.config.batch = static_cast<int64_t>(settings.number("session.batch", 64));
        t.config.seed = static_cast<uint64_t>(settings.number("session.seed", 0));
        t.checkpoint = options.checkpoint;
        t.settings = options.settings;
        t.work_dir = (std::filesystem::path(config_dir()) / "session").string();
        t.budget = 3000;
        t.lower_priority = true;
        if (!options.screenshot.empty()) {
            t.work_dir = (std::filesystem::temp_directory_path() /
                          ("ganvas-screenshot-" + std::to_string(::getpid())))
                             .string();
            if (options.train_steps > 0) t.budget = options.train_steps;
            t.start_running = options.train_steps > 0;
        }
        trainer_ = std::make_unique<LiveTrainer>(t);
        screenshot_work_dir_ = options.screenshot.empty() ? "" : t.work_dir;
    }

    ~App() {
        trainer_.reset();
        if (!screenshot_work_dir_.empty()) std::filesystem::remove_all(screenshot_work_dir_);
    }

    int run() {
        apply_scale();
        int exit_code = 0;
        Clock::time_point last_input = Clock::now(), last_render = Clock::now();
        uint64_t seen_events = window_.input_events(), rendered_version = 0;
        while (!window_.should_close()) {
            // Frames cost CPU that training wants (much of it with software OpenGL),
            // so a frame is drawn only when something changed: input (then at full
            // rate for a second, for hover and animations), a new training snapshot,
            // a panel that animates, or a slow tick. Otherwise the loop sleeps.
            const bool screenshot = !options_.screenshot.empty();
            // A screenshot run behaves like a watched window until training is done.
            const bool active =
                options_.continuous ||
                (screenshot && training_done(*trainer_->snapshot()) && !panels_working_) ||
                animating_ || scale_dirty_ || ms_between(last_input, Clock::now()) < 1000;
            window_.wait_events(active ? 0 : 0.02);
            if (window_.input_events() != seen_events) {
                seen_events = window_.input_events();
                last_input = Clock::now();
            }
            const auto snapshot = trainer_->snapshot();
            const bool changed = snapshot->version != rendered_version ||
                                 ms_between(last_input, Clock::now()) < 1000;
            if (!active && !changed && ms_between(last_render, Clock::now()) < 250) continue;
            const auto frame_start = Clock::now();
            last_render = frame_start;
            rendered_version = snapshot->version;
            if (scale_dirty_) apply_scale();
            // Keep the pointer off the panels so a screenshot shows no stray hover or tooltip.
            if (screenshot) window_.park_cursor();

            window_.begin_frame();
            const TrainerSnapshot& s = *snapshot;
            handle_shortcuts();
            draw(s);
            std::vector<uint8_t> pixels;
            int w = 0, h = 0;
            const bool capture = screenshot_due(s);
            window_.end_frame(capture ? &pixels : nullptr, &w, &h);
            const auto frame_end = Clock::now();
            record_frame(ms_between(frame_start, frame_end), frame_end);

            if (capture) {
                exit_code = write_screenshot(pixels, w, h, s);
                break;
            }
            if (!options_.screenshot.empty() &&
                ms_between(started_, Clock::now()) > 20 * 60 * 1000.0) {
                std::fprintf(stderr, "ganvas: the screenshot timed out waiting for training\n");
                exit_code = 1;
                break;
            }
            if (persist_ && settings_.changed() && ms_between(last_save_, Clock::now()) > 1000)
                save_settings();
            // No vsync under Xvfb and on some drivers: cap at 60 frames per second.
            const auto next = frame_start + std::chrono::microseconds(16667);
            if (Clock::now() < next) std::this_thread::sleep_until(next);
        }
        if (persist_) {
            int ww = 0, wh = 0;
            window_.size(&ww, &wh);
            settings_.set_number("window.width", ww);
            settings_.set_number("window.height", wh);
            save_settings();
        }
        write_timing();
        return exit_code;
    }

private:
    void apply_scale() {
        window_.set_font(std::round(15.0f * ui_scale_));
        apply_theme(settings_.text("ui.theme", "dark"), ui_scale_, antialias());
        scale_dirty_ = false;
    }

    // Smooth lines by default, except on a software renderer, where the frame rate matters more.
    bool antialias() const {
        return settings_.number("ui.antialias", window_.software_renderer() ? 0 : 1) != 0;
    }

    void save_settings() {
        try {
            settings_.save((std::filesystem::path(config_dir()) / "settings.json").string());
        } catch (const std::exception& e) {
            std::fprintf(stderr, "ganvas: settings not saved: %s\n", e.what());
        }
        last_save_ = Clock::now();
    }

    void handle_shortcuts() {
        ImGuiIO& io = ImGui::GetIO();
        if (io.WantTextInput) return;
        const bool ctrl = io.KeyCtrl;
        if (ctrl && ImGui::IsKeyPressed(GLFW_KEY_S, false))
            trainer_->save_experiment(experiment_.experiment_path(settings_));
        else if (ctrl && ImGui::IsKeyPressed(GLFW_KEY_O, false))
            trainer_->load_experiment(experiment_.experiment_path(settings_));
        else if (ctrl &&
                 (ImGui::IsKeyPressed(GLFW_KEY_EQUAL) || ImGui::IsKeyPressed(GLFW_KEY_KP_ADD)))
            set_scale(ui_scale_ + 0.1f);
        else if (ctrl &&
                 (ImGui::IsKeyPressed(GLFW_KEY_MINUS) || ImGui::IsKeyPressed(GLFW_KEY_KP_SUBTRACT)))
            set_scale(ui_scale_ - 0.1f);
        else if (ctrl && ImGui::IsKeyPressed(GLFW_KEY_Q, false))
            window_.request_close();
        else if (!ctrl && ImGui::IsKeyPressed(GLFW_KEY_SPACE, false))
            trainer_->toggle_run();
        else if (!ctrl && ImGui::IsKeyPressed(GLFW_KEY_S, false))
            trainer_->step_once();
        else if (!ctrl && ImGui::IsKeyPressed(GLFW_KEY_R, false))
            trainer_->reset();
        else if (ImGui::IsKeyPressed(GLFW_KEY_F1, false))
            show_help_ = !show_help_;
        for (size_t i = 0; i < panels_.size() && i < 9; ++i)
            if (!ctrl && ImGui::IsKeyPressed(GLFW_KEY_1 + static_cast<int>(i), false))
                wanted_tab_ = panels_[i]->title();
    }

    void set_scale(float scale) {
        ui_scale_ = std::clamp(std::round(scale * 10) / 10, 0.5f, 3.0f);
        settings_.set_number("ui.scale", ui_scale_);
        scale_dirty_ = true;
    }

    void draw_menu() {
        if (!ImGui::BeginMenuBar()) return;
        if (ImGui::BeginMenu("File")) {
            if (ImGui::MenuItem("Save experiment", "Ctrl+S"))
                trainer_->save_experiment(experiment_.experiment_path(settings_));
            if (ImGui::MenuItem("Load experiment", "Ctrl+O"))
                trainer_->load_experiment(experiment_.experiment_path(settings_));
            ImGui::Separator();
            if (ImGui::MenuItem("Quit", "Ctrl+Q")) window_.request_close();
            ImGui::EndMenu();
        }
        if (ImGui::BeginMenu("Training")) {
            if (ImGui::MenuItem("Run / pause", "Space")) trainer_->toggle_run();
            if (ImGui::MenuItem("Single step", "S")) trainer_->step_once();
            if (ImGui::MenuItem("Reset", "R")) trainer_->reset();
            if (ImGui::MenuItem("Restore last good checkpoint")) trainer_->restore_last_good();
            ImGui::EndMenu();
        }
        if (ImGui::BeginMenu("View")) {
            for (size_t i = 0; i < panels_.size(); ++i) {
                const std::string key = std::to_string(i + 1);
                if (ImGui::MenuItem(panels_[i]->title(), key.c_str()))
                    wanted_tab_ = panels_[i]->title();
            }
            ImGui::Separator();
            float scale = ui_scale_;
            ImGui::SetNextItemWidth(ImGui::GetFontSize() * 8);
            if (ImGui::SliderFloat("UI scale", &scale, 0.5f, 3.0f, "%.1f")) set_scale(scale);
            if (ImGui::IsItemHovered()) ImGui::SetTooltip("Ctrl+= and Ctrl+- too");
            const std::string theme = settings_.text("ui.theme", "dark");
            if (ImGui::MenuItem("Dark theme", nullptr, theme == "dark")) {
                settings_.set_text("ui.theme", "dark");
                scale_dirty_ = true;
            }
            if (ImGui::MenuItem("Light theme", nullptr, theme == "light")) {
                settings_.set_text("ui.theme", "light");
                scale_dirty_ = true;
            }
            if (ImGui::MenuItem("Smooth lines", nullptr, antialias())) {
                settings_.set_number("ui.antialias", antialias() ? 0 : 1);
                scale_dirty_ = true;
            }
            if (ImGui::IsItemHovered())
                ImGui::SetTooltip(
                    "Anti-aliased lines and edges. Off by default with software "
                    "OpenGL (%s), where it costs frame rate.",
                    window_.renderer().c_str());
            ImGui::EndMenu();
        }
        if (ImGui::BeginMenu("Help")) {
            if (ImGui::MenuItem("Keyboard shortcuts", "F1")) show_help_ = true;
            ImGui::EndMenu();
        }
        ImGui::EndMenuBar();
    }

    void draw_alarm(const TrainerSnapshot& s) {
        if (s.alarm.empty()) return;
        ImGui::PushStyleColor(ImGuiCol_ChildBg, ImVec4(0.45f, 0.08f, 0.08f, 1));
        const float h = ImGui::GetFrameHeightWithSpacing() * 1.6f;
        ImGui::BeginChild("alarm", ImVec2(0, h), true);
        ImGui::TextWrapped("%s", s.alarm.c_str());
        ImGui::SameLine();
        if (s.last_good_step >= 0 && ImGui::Button("Restore last good checkpoint"))
            trainer_->restore_last_good();
        ImGui::SameLine();
        if (ImGui::Button("Reset")) trainer_->reset();
        ImGui::EndChild();
        ImGui::PopStyleColor();
    }

    void draw_help() {
        if (!show_help_) return;
        ImGui::SetNextWindowSize(ImVec2(ImGui::GetFontSize() * 22, 0), ImGuiCond_Appearing);
        if (ImGui::Begin("Keyboard shortcuts", &show_help_, ImGuiWindowFlags_NoCollapse)) {
            const char* rows[][2] = {{"Space", "run / pause"},
                                     {"S", "single step"},
                                     {"R", "reset"},
                                     {"Ctrl+S", "save experiment"},
                                     {"Ctrl+O", "load experiment"},
                                     {"1 … 4", "switch tab"},
                                     {"Ctrl+= / Ctrl+-", "UI scale"},
                                     {"← / →", "earlier / later grid or page (Samples, Data)"},
                                     {"F1", "this help"},
                                     {"Ctrl+Q", "quit"}};
            if (ImGui::BeginTable("keys", 2)) {
                for (auto& r : rows) {
                    ImGui::TableNextRow();
                    ImGui::TableNextColumn();
                    ImGui::TextUnformatted(r[0]);
                    ImGui::TableNextColumn();
                    ImGui::TextUnformatted(r[1]);
                }
                ImGui::EndTable();
            }
        }
        ImGui::End();
    }

    void draw(const TrainerSnapshot& s) {
        const ImGuiViewport* vp = ImGui::GetMainViewport();
        ImGui::SetNextWindowPos(vp->WorkPos);
        ImGui::SetNextWindowSize(vp->WorkSize);
        const ImGuiWindowFlags flags = ImGuiWindowFlags_NoDecoration | ImGuiWindowFlags_NoMove |
                                       ImGuiWindowFlags_NoSavedSettings |
                                       ImGuiWindowFlags_NoBringToFrontOnFocus |
                                       ImGuiWindowFlags_NoBackground | ImGuiWindowFlags_MenuBar;
        ImGui::Begin("Ganvas", nullptr, flags);
        draw_menu();
        draw_alarm(s);
        PanelContext ctx{s, *trainer_, settings_, ui_scale_};
        animating_ = false;
        const float status_h =
            ImGui::GetFrameHeightWithSpacing() + ImGui::GetStyle().WindowPadding.y;
        const float sidebar_w = std::round(330 * ui_scale_);
        ImGui::BeginChild("sidebar", ImVec2(sidebar_w, -status_h), true);
        experiment_.draw(ctx);
        ImGui::EndChild();
        ImGui::SameLine();
        ImGui::BeginChild("tabs", ImVec2(0, -status_h), false);
        if (ImGui::BeginTabBar("panels", ImGuiTabBarFlags_FittingPolicyScroll |
                                             ImGuiTabBarFlags_TabListPopupButton)) {
            for (auto& panel : panels_) {
                const bool select =
                    !wanted_tab_.empty() && lower(wanted_tab_) == lower(panel->title());
                if (ImGui::BeginTabItem(panel->title(), nullptr,
                                        select ? ImGuiTabItemFlags_SetSelected : 0)) {
                    current_tab_ = panel->title();
                    ImGui::BeginChild(panel->title());
                    panel->draw(ctx);
                    ImGui::EndChild();
                    ImGui::EndTabItem();
                }
            }
            ImGui::EndTabBar();
            if (!wanted_tab_.empty() && lower(wanted_tab_) == lower(current_tab_))
                wanted_tab_.clear();
            settings_.set_text("window.tab", current_tab_);
        }
        ImGui::EndChild();
        animating_ = ctx.animating;
        panels_working_ = ctx.working;
        ImGui::Separator();
        draw_status_bar(s, clock_);
        ImGui::End();
        draw_help();
    }

    void record_frame(double ms, Clock::time_point now) {
        frame_ms_.push_back(ms);
        const double period = ms_between(last_frame_end_, now);
        last_frame_end_ = now;
        clock_.frame_ms = clock_.frame_ms == 0 ? ms : 0.95 * clock_.frame_ms + 0.05 * ms;
        if (period > 0)
            clock_.fps = clock_.fps == 0 ? 1000 / period : 0.95 * clock_.fps + 0.05 * 1000 / period;
    }

    // For screenshots: the session is loaded and has trained the steps asked for.
    bool training_done(const TrainerSnapshot& s) const {
        if (options_.train_steps <= 0) return s.state != TrainerState::Loading;
        return s.state == TrainerState::Finished || s.state == TrainerState::Failed ||
               !s.alarm.empty();
    }

    bool screenshot_due(const TrainerSnapshot& s) {
        if (options_.screenshot.empty() || !training_done(s) || panels_working_) return false;
        return ++frames_after_ready_ >= std::max(2, options_.frames);
    }

    int write_screenshot(const std::vector<uint8_t>& pixels, int w, int h,
                         const TrainerSnapshot& s) {
        try {
            if (auto dir = std::filesystem::path(options_.screenshot).parent_path(); !dir.empty())
                std::filesystem::create_directories(dir);
            save_png(options_.screenshot, w, h, 4, pixels.data());
        } catch (const std::exception& e) {
            std::fprintf(stderr, "ganvas: %s\n", e.what());
            return 1;
        }
        if (!options_.tab.empty() && lower(current_tab_) != lower(options_.tab)) {
            std::fprintf(stderr, "ganvas: no tab named '%s'\n", options_.tab.c_str());
            return 2;
        }
        if (s.state == TrainerState::Failed) {
            std::fprintf(stderr, "ganvas: training could not start: %s\n", s.notice.c_str());
            return 1;
        }
        std::fprintf(stderr, "ganvas: wrote %s (%dx%d, step %lld)\n", options_.screenshot.c_str(),
                     w, h, static_cast<long long>(s.step));
        return 0;
    }

    void write_timing() {
        if (options_.timing.empty()) return;
        const auto s = trainer_->snapshot();
        // The first frames upload fonts and textures: leave them out of the figures.
        std::vector<double> frames(frame_ms_.begin() + std::min<size_t>(frame_ms_.size(), 10),
                                   frame_ms_.end());
        char json[512];
        std::snprintf(json, sizeof json,
                      "{\"frames\": %zu, \"frame_ms_median\": %.3f, \"frame_ms_p95\": %.3f, "
                      "\"steps\": %lld, \"ms_per_step\": %.2f, \"ms_per_step_wall\": %.2f, "
                      "\"threads\": %d}\n",
                      frames.size(), percentile(frames, 0.5), percentile(frames, 0.95),
                      static_cast<long long>(s->step),
                      s->step > 0 ? 1000 * s->train_seconds / s->step : 0.0,
                      s->step > 0 ? 1000 * s->loop_seconds / s->step : 0.0, s->threads);
        if (options_.timing == "-") {
            std::fputs(json, stdout);
        } else {
            std::ofstream(options_.timing) << json;
        }
    }

    GuiOptions options_;
    Window& window_;
    Settings& settings_;
    bool persist_;
    std::unique_ptr<LiveTrainer> trainer_;
    std::string screenshot_work_dir_;
    ExperimentPanel experiment_;
    std::vector<std::unique_ptr<Panel>> panels_;
    std::string wanted_tab_, current_tab_;
    float ui_scale_ = 1.0f;
    bool scale_dirty_ = true;
    bool show_help_ = false;
    bool animating_ = false;       // a panel asked for frames at full rate
    bool panels_working_ = false;  // a panel is still computing what a screenshot should show
    FrameClock clock_;
    std::vector<double> frame_ms_;
    Clock::time_point started_ = Clock::now(), last_frame_end_ = Clock::now(),
                      last_save_ = Clock::now();
    int frames_after_ready_ = 0;
};

}  // namespace

int run_gui(const GuiOptions& options, std::string* why) {
    // A screenshot is taken with the defaults and leaves the user's settings alone.
    const bool persist = options.screenshot.empty();
    const std::string dir = config_dir();
    std::string settings_error;
    Settings settings =
        persist ? Settings::load((std::filesystem::path(dir) / "settings.json").string(),
                                 &settings_error)
                : Settings();
    if (!settings_error.empty()) std::fprintf(stderr, "ganvas: %s\n", settings_error.c_str());
    int width = options.width, height = options.height;
    if (persist) {
        width = static_cast<int>(settings.number("window.width", width));
        height = static_cast<int>(settings.number("window.height", height));
        std::error_code ec;
        std::filesystem::create_directories(dir, ec);
    }
    auto window =
        Window::open(width, height, "Ganvas",
                     persist ? (std::filesystem::path(dir) / "imgui.ini").string() : "", why);
    if (!window) return -1;
    App app(options, *window, settings, persist);
    return app.run();
}

}  // namespace ganvas::gui
