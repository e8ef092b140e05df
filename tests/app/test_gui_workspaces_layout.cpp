// What a person sees in each workspace at 1280×720 with the UI at 1.5 (a
// projector), and at 1024×768 in presentation mode, in English and in Chinese: the real window
// under Xvfb visits every tab of every workspace in one run (`ganvas --audit-layout`) and reports
// what it drew wrong (gui/layout_audit.h): a tab bar that needs scroll arrows,
// a glyph drawn as the missing-glyph box or missing from the atlas, text cut
// by its item. The audit itself is tested first, headless, on frames made to
// fail it.
#include <gtest/gtest.h>
#include <imgui.h>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <filesystem>
#include <functional>
#include <set>
#include <string>

#include "gui/layout_audit.h"
#include "gui/status_bar.h"
#include "gui/workspaces.h"
#include "panels/panel.h"
#include "support/cli_runner.h"
#include "support/headless_imgui.h"
#include "support/xvfb_server.h"
#include "widgets/path_field.h"

namespace ganvas::gui {
namespace {

// ---- the audit, on frames drawn to fail it ----

class LayoutAuditTest : public ::testing::Test {
protected:
    // Draws `draw` in a 300-pixel window and audits the frame (the second: a
    // new window shows nothing in its first).
    std::vector<LayoutIssue> audit(const std::function<void()>& draw) {
        std::vector<LayoutIssue> issues;
        for (int frame = 0; frame < 2; ++frame) {
            ImGui::NewFrame();
            ImGui::SetNextWindowSize(ImVec2(300, 200));
            ImGui::Begin("audited");
            draw();
            ImGui::End();
            ImGui::Render();
        }
        issues = audit_text(*ImGui::GetDrawData(), *ImGui::GetIO().Fonts->Fonts[0]);
        for (LayoutIssue& i : audit_tab_bars()) issues.push_back(i);
        for (LayoutIssue& i : audit_windows()) issues.push_back(i);
        return issues;
    }
    testing::HeadlessImGui imgui_;
};

TEST_F(LayoutAuditTest, ALabelWiderThanItsButtonIsClippedTextAndNamed) {
    const char* label = "a label far wider than its button";
    // 63 pixels: ImGui's own font is 7 pixels a character, so the cut falls inside one.
    auto issues = audit([&] { ImGui::Button(label, ImVec2(63, 0)); });
    ASSERT_EQ(issues.size(), 1u);
    EXPECT_EQ(issues[0].kind, "clipped text");
    EXPECT_EQ(issues[0].window, "audited");
    EXPECT_NE(std::string(label).find(issues[0].text), std::string::npos) << issues[0].text;
    EXPECT_FALSE(issues[0].text.empty());
    // The same button wide enough, and text that fits the window: nothing.
    issues = audit([&] {
        ImGui::Button(label);
        ImGui::TextUnformatted("short text");
    });
    EXPECT_TRUE(issues.empty()) << issues[0].text;
}

TEST_F(LayoutAuditTest, TextRunningOffTheWindowsEdgeIsClipped) {
    const auto issues = audit([] {
        ImGui::TextUnformatted("one line of text that is much longer than three hundred pixels");
    });
    ASSERT_FALSE(issues.empty());
    EXPECT_EQ(issues.back().kind, "cut at the window's edge");
    EXPECT_EQ(issues.back().window, "audited");
}

// A table writes its columns' vertices interleaved, row by row, and ImGui then
// draws each column under its own clip rectangle: a glyph of one column is not
// "clipped" by another's rectangle. A cell too narrow for its text still is.
TEST_F(LayoutAuditTest, TableColumnsAreAuditedEachUnderItsOwnClipRectangle) {
    auto table = [](float last_width) {
        return [last_width] {
            if (!ImGui::BeginTable("t", 3, ImGuiTableFlags_SizingFixedFit)) return;
            ImGui::TableSetupColumn("a", 0, 60);
            ImGui::TableSetupColumn("b", 0, 60);
            ImGui::TableSetupColumn("c", 0, last_width);
            for (int row = 0; row < 4; ++row) {
                ImGui::TableNextRow();
                for (int c = 0; c < 3; ++c) {
                    ImGui::TableSetColumnIndex(c);
                    ImGui::Text("r%d c%d", row, c);
                }
            }
            ImGui::EndTable();
        };
    };
    auto issues = audit(table(60));
    EXPECT_TRUE(issues.empty()) << issues[0].kind << ": " << issues[0].text;
    // 7 pixels, ImGui's own font's width of one character: the second is cut in half.
    issues = audit(table(7));
    ASSERT_FALSE(issues.empty());
    for (const LayoutIssue& i : issues) {
        EXPECT_EQ(i.kind, "clipped text");
        // Only the third column's cells are named, not the first two's beside them.
        EXPECT_EQ(i.text.find("c0"), std::string::npos) << i.text;
        EXPECT_EQ(i.text.find("c1"), std::string::npos) << i.text;
    }
}

// A table too wide for its window that scrolls sideways (the RF Sandbox's layers
// at 1024x768 in large type) shows part of a cell at the window's edge: the rest
// is a scroll away, not cut. Squeezed into the window instead, its cells are cut;
// and a column too narrow for its text is cut whether the table scrolls or not.
TEST_F(LayoutAuditTest, ATableThatScrollsSidewaysIsCutOnlyWhereAColumnIsTooNarrow) {
    auto table = [](ImGuiTableFlags scroll, float last_width, float scroll_to = 0) {
        return [=] {
            const ImGuiTableFlags flags = ImGuiTableFlags_SizingFixedFit | scroll;
            if (!ImGui::BeginTable("wide", 6, flags, ImVec2(0, 120))) return;
            if (scroll_to > 0) ImGui::SetScrollX(scroll_to);  // the table's own window
            for (int c = 0; c < 6; ++c) ImGui::TableSetupColumn("", 0, c == 5 ? last_width : 60);
            for (int row = 0; row < 3; ++row) {
                ImGui::TableNextRow();
                for (int c = 0; c < 6; ++c) {
                    ImGui::TableSetColumnIndex(c);
                    ImGui::Text("r%d c%d", row, c);
                }
            }
            ImGui::EndTable();
        };
    };
    // Six 60-pixel columns: wider than the 300-pixel window, the fifth straddles its edge.
    auto issues = audit(table(ImGuiTableFlags_ScrollX, 60));
    for (const LayoutIssue& i : issues) ADD_FAILURE() << i.kind << ": " << i.text;
    issues = audit(table(0, 60));
    EXPECT_FALSE(issues.empty());
    // 3 pixels, under half a character of ImGui's own font: the sixth column's cells
    // are cut. Scrolled to the end, the edge no longer excuses them.
    issues = audit(table(ImGuiTableFlags_ScrollX, 3, 1000));
    ASSERT_FALSE(issues.empty());
    for (const LayoutIssue& i : issues) EXPECT_EQ(i.kind, "clipped text");
}

// A letter whose ink starts a pixel left of its pen ("T" in DejaVu Sans), written at
// the very edge of a child window without padding, is not cut text.
TEST_F(LayoutAuditTest, AGlyphsOwnOverhangAtTheEdgeIsNotClipping) {
    ImFontGlyph* t = const_cast<ImFontGlyph*>(ImGui::GetIO().Fonts->Fonts[0]->FindGlyph('T'));
    ASSERT_NE(t, nullptr);
    t->X0 -= 2;
    t->X1 -= 2;
    auto issues = audit([] {
        ImGui::BeginChild("edge", ImVec2(200, 40), false);
        ImGui::TextUnformatted("To the edge");
        ImGui::EndChild();
    });
    EXPECT_TRUE(issues.empty()) << issues[0].kind << ": " << issues[0].text;
    // Written half a letter further left, it is cut.
    issues = audit([] {
        ImGui::BeginChild("edge", ImVec2(200, 40), false);
        ImGui::SetCursorPosX(-4);
        ImGui::TextUnformatted("To the edge");
        ImGui::EndChild();
    });
    t->X0 += 2;
    t->X1 += 2;
    ASSERT_FALSE(issues.empty());
    EXPECT_EQ(issues[0].kind, "clipped text");
}

// A path longer than its field shows its end, whole, rather than its start cut.
TEST_F(LayoutAuditTest, APathFieldShowsTheEndOfALongPathUncut) {
    char path[256] = "/a/rather/long/folder/name/that/goes/on/and/on/experiment.json";
    auto issues = audit([&] { path_field("##path", path, sizeof path, 160); });
    EXPECT_TRUE(issues.empty()) << issues[0].kind << ": " << issues[0].text;
    // ImGui's own field cuts it.
    issues = audit([&] {
        ImGui::SetNextItemWidth(160);
        ImGui::InputText("##plain", path, sizeof path);
    });
    EXPECT_FALSE(issues.empty());
}

TEST_F(LayoutAuditTest, ATabBarWhoseTabsDoNotFitScrolls) {
    auto tabs = [](int n) {
        return [n] {
            if (!ImGui::BeginTabBar("bar", ImGuiTabBarFlags_FittingPolicyScroll)) return;
            for (int i = 0; i < n; ++i) {
                const std::string name = "Tab number " + std::to_string(i);
                if (ImGui::BeginTabItem(name.c_str())) ImGui::EndTabItem();
            }
            ImGui::EndTabBar();
        };
    };
    auto issues = audit(tabs(8));
    const auto scrolls = std::find_if(issues.begin(), issues.end(), [](const LayoutIssue& i) {
        return i.kind == "tab bar scrolls";
    });
    ASSERT_NE(scrolls, issues.end());
    EXPECT_NE(scrolls->text.find("Tab number 7"), std::string::npos) << scrolls->text;
    issues = audit(tabs(2));
    EXPECT_TRUE(issues.empty());
}

TEST_F(LayoutAuditTest, GlyphsTheFontLacksAreNamed) {
    const ImFont& font = *ImGui::GetIO().Fonts->Fonts[0];  // ImGui's own: ASCII only
    EXPECT_EQ(missing_glyphs(font, {"plain ASCII"}), std::vector<std::string>{});
    EXPECT_EQ(missing_glyphs(font, {"训练 x", "练"}), (std::vector<std::string>{"练", "训"}));
}

// The status bar in a narrow window: what does not fit is left out, and the
// message is cut with "…" rather than clipped at the edge.
TEST_F(LayoutAuditTest, TheStatusBarLeavesOutAndShortensRatherThanClips) {
    TrainerSnapshot s;
    s.state = TrainerState::Running;
    s.step = 1234;
    s.budget = 3000;
    s.steps_per_second = 3.25;
    s.train_seconds = 400;
    s.threads = 2;
    s.notice = phrase("Saved step %s to %s.", "1234",
                      "experiments/a rather long folder name/experiment.json");
    const FrameClock clock{60, 12.5};
    auto issues = audit([&] { draw_status_bar(s, clock); });
    for (const LayoutIssue& i : issues) ADD_FAILURE() << i.kind << ": " << i.text;
    // Wide enough, the whole line is there and nothing is cut either.
    ImGui::GetIO().DisplaySize = ImVec2(3000, 800);
    std::vector<LayoutIssue> wide;
    for (int frame = 0; frame < 2; ++frame) {
        ImGui::NewFrame();
        ImGui::SetNextWindowSize(ImVec2(2900, 200));
        ImGui::Begin("wide");
        draw_status_bar(s, clock);
        ImGui::End();
        ImGui::Render();
    }
    wide = audit_windows();
    EXPECT_TRUE(wide.empty());
}

// ---- the window itself ----

class WorkspaceLayoutTest : public ::testing::Test {
protected:
    static void SetUpTestSuite() { server_ = new testing::XvfbServer(); }
    static void TearDownTestSuite() {
        delete server_;
        server_ = nullptr;
    }
    // The window: its size and how type is scaled.
    struct Screen {
        int width, height;
        std::string type;  // "--scale 1.5" or "--presentation"
    };
    static nlohmann::json audit(const std::string& lang, const Screen& screen) {
        const std::string dir = testing::temp_dir("layout_" + lang);
        const std::string file = dir + "/audit.json";
        const auto r = testing::run_ganvas(
            "--audit-layout " + file + " --size " + std::to_string(screen.width) + "x" +
                std::to_string(screen.height) + " " + screen.type + " --lang " + lang,
            "DISPLAY=" + server_->display() + " LIBGL_ALWAYS_SOFTWARE=1 XDG_CONFIG_HOME=" + dir +
                "/config ");
        EXPECT_EQ(r.status, 0) << r.output;
        const auto json = nlohmann::json::parse(testing::read_bytes(file), nullptr, false);
        std::filesystem::remove_all(dir);
        return json;
    }
    void check(const std::string& lang, const Screen& screen = {1280, 720, "--scale 1.5"}) {
        ASSERT_FALSE(server_->display().empty()) << "Xvfb did not start (is it installed?)";
        const nlohmann::json report = audit(lang, screen);
        ASSERT_FALSE(report.is_discarded());
        EXPECT_EQ(report["language"], lang);
        EXPECT_EQ(report["size"], nlohmann::json({screen.width, screen.height}));
        EXPECT_EQ(report["missing_glyphs"], nlohmann::json::array()) << lang;
        // Every tab of every workspace was seen, in the workspaces' order.
        const Arrangement a = arrange_workspaces(registered_panels());
        const nlohmann::json& visits = report["visits"];
        ASSERT_EQ(visits.size(), a.entries.size()) << report.dump(1);
        size_t i = 0;
        for (const Workspace& w : a.workspaces)
            for (int tab : w.tabs) {
                const nlohmann::json& v = visits[i++];
                EXPECT_EQ(v["workspace"], w.name);
                EXPECT_EQ(v["tab"], a.entries[tab].title);
                for (const auto& issue : v["issues"]) {
                    const std::string kind = issue["kind"], window = issue["window"];
                    ADD_FAILURE() << lang << ", " << screen.width << "x" << screen.height << " "
                                  << screen.type << ", " << w.name << " / " << a.entries[tab].title
                                  << ": " << kind << " in " << window << ": \""
                                  << std::string(issue["text"]) << "\"";
                }
            }
    }
    static inline testing::XvfbServer* server_ = nullptr;
};

TEST_F(WorkspaceLayoutTest, EveryWorkspaceFitsAProjectorInEnglish) {
    check("en");
}

TEST_F(WorkspaceLayoutTest, EveryWorkspaceFitsAProjectorInChinese) {
    check("zh-CN");
}

// The narrowest common projector, 1024x768, in presentation mode (type at 3% of
// the height, the sidebar folded): side-by-side views stack, rows of controls
// and long lines wrap, wide tables scroll sideways.
TEST_F(WorkspaceLayoutTest, EveryWorkspaceFitsA1024By768ProjectorInPresentationModeInEnglish) {
    check("en", {1024, 768, "--presentation"});
}

TEST_F(WorkspaceLayoutTest, EveryWorkspaceFitsA1024By768ProjectorInPresentationModeInChinese) {
    check("zh-CN", {1024, 768, "--presentation"});
}

}  // namespace
}  // namespace ganvas::gui
