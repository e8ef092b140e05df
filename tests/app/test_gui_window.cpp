// The real window under Xvfb with Mesa's llvmpipe: train a few steps, take a
// screenshot of every tab, and check each is a real picture (right size, not
// blank, different from the other tabs). The X server is started here, on a
// display number it picks itself, so the test runs anywhere Xvfb is installed
// (scripts/test.sh installs it).
#include <gtest/gtest.h>
#include <unistd.h>

#include <nlohmann/json.hpp>

#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <string>

#include "gui/workspaces.h"
#include "io/image_png.h"
#include "panels/panel.h"
#include "support/cli_runner.h"
#include "support/xvfb_server.h"

namespace ganvas {
namespace {

using testing::run_ganvas;

using testing::XvfbServer;

class GuiWindowTest : public ::testing::Test {
protected:
    static void SetUpTestSuite() {
        dir_ = testing::temp_dir("gui_" + std::to_string(getpid()));
        server_ = new XvfbServer();
    }
    static void TearDownTestSuite() {
        delete server_;
        server_ = nullptr;
        std::filesystem::remove_all(dir_);
    }
    // Mesa's software rasteriser, a private config dir, our display.
    static std::string env() {
        return "DISPLAY=" + server_->display() +
               " LIBGL_ALWAYS_SOFTWARE=1 XDG_CONFIG_HOME=" + dir_ + "/config ";
    }
    // Runs the window with `flags` in the folder `home` under dir_ and drives it with
    // xdotool: the bash `steps` run once a first frame is drawn (they see $win, $app
    // and chord KEY, Ctrl+KEY held long enough for a frame to see it); then Ctrl+Q
    // must quit, and the output ends "exit STATUS" and the window's log.
    static testing::CliResult drive(const std::string& home, const std::string& flags,
                                    const std::string& steps) {
        std::filesystem::create_directories(home);
        const std::string script = home + "/drive.sh";
        std::ofstream(script) << R"SH(set -u
cd "$1"
export DISPLAY="$2" LIBGL_ALWAYS_SOFTWARE=1 XDG_CONFIG_HOME="$1/config"
"$3" )SH" << flags << R"SH( > window.log 2>&1 &
app=$!
win=$(timeout 60 xdotool search --sync --name '^Ganvas$' | head -1)
[ -n "$win" ] || { echo "no window"; kill $app; exit 3; }
chord() {
  xdotool keydown --window "$win" ctrl; sleep 0.3
  xdotool keydown --window "$win" "$1"; sleep 0.3
  xdotool keyup --window "$win" "$1"; sleep 0.1
  xdotool keyup --window "$win" ctrl
}
# The settings are first saved a second after the first frame: the window is drawing.
for i in $(seq 240); do [ -f config/ganvas/settings.json ] && break; sleep 0.25; done
[ -f config/ganvas/settings.json ] || { echo "no frame drawn"; kill $app; exit 4; }
)SH" << steps << R"SH(
chord q
for i in $(seq 60); do kill -0 $app 2>/dev/null || break; sleep 0.5; done
if kill -0 $app 2>/dev/null; then echo "Ctrl+Q did not quit"; kill $app; exit 5; fi
wait $app
echo "exit $?"
cat window.log
)SH";
        return testing::run_command("bash " + script + " " + home + " " + server_->display() + " " +
                                    GANVAS_BINARY);
    }

    static inline XvfbServer* server_ = nullptr;
    static inline std::string dir_;
};

double mean_abs_difference(const Tensor& a, const Tensor& b) {
    double s = 0;
    for (int64_t i = 0; i < a.numel(); ++i) s += std::fabs(a.data()[i] - b.data()[i]);
    return s / a.numel();
}

TEST_F(GuiWindowTest, EveryTabRendersAfterTrainingAndEachLooksDifferent) {
    ASSERT_FALSE(server_->display().empty()) << "Xvfb did not start (is it installed?)";
    const std::vector<std::string> tabs = {"Losses",
                                           "Samples",
                                           "Model",
                                           "Data",
                                           "GAN Lab",
                                           "Perceptron",
                                           "Receptive Field",
                                           "RF Sandbox",
                                           "Upsampling",
                                           "Checkerboard",
                                           "Learned upsampling",
                                           "VQ Stage 2"};
    std::map<std::string, Tensor> shots;
    for (const std::string& tab : tabs) {
        const std::string png = dir_ + "/" + tab + ".png";
        // Quoted: tab names may have spaces ("Learned upsampling").
        auto r =
            run_ganvas("--screenshot '" + png + "' --train-steps 3 --tab '" + tab + "'", env());
        ASSERT_EQ(r.status, 0) << r.output;
        EXPECT_NE(r.output.find("step 3"), std::string::npos) << r.output;
        Tensor img = load_image(png, 3);  // (1, 3, H, W)
        ASSERT_EQ(img.size(2), 800);
        ASSERT_EQ(img.size(3), 1280);
        // Not blank: many distinct grey levels and real contrast.
        std::set<int> levels;
        double mean = 0, sq = 0;
        for (int64_t i = 0; i < img.numel(); ++i) {
            const float v = img.data()[i];
            levels.insert(static_cast<int>(std::lround((v + 1) * 127.5f)));
            mean += v;
            sq += double(v) * v;
        }
        mean /= img.numel();
        const double stddev = std::sqrt(sq / img.numel() - mean * mean);
        EXPECT_GT(levels.size(), 40u) << tab;
        EXPECT_GT(stddev, 0.05) << tab;
        shots[tab] = img;
    }
    for (size_t i = 0; i < tabs.size(); ++i)
        for (size_t j = i + 1; j < tabs.size(); ++j)
            EXPECT_GT(mean_abs_difference(shots[tabs[i]], shots[tabs[j]]), 0.005)
                << tabs[i] << " and " << tabs[j] << " look the same";
}

TEST_F(GuiWindowTest, AModelWithoutAGeneratorShowsEveryTabToo) {
    ASSERT_FALSE(server_->display().empty());
    for (const std::string tab : {"Samples", "Model"}) {
        auto r =
            run_ganvas("--screenshot " + dir_ + "/classifier_" + tab +
                           ".png --model classifier28 --data fashion-mnist:test --train-steps 2 "
                           "--tab " +
                           tab,
                       env());
        EXPECT_EQ(r.status, 0) << r.output;
    }
}

TEST_F(GuiWindowTest, AWganShowsItsCriticPlots) {
    ASSERT_FALSE(server_->display().empty());
    auto r = run_ganvas(
        "--screenshot " + dir_ + "/wgan_Losses.png --model wgan_gp28 --train-steps 1 --tab Losses",
        env());
    EXPECT_EQ(r.status, 0) << r.output;
    EXPECT_TRUE(std::filesystem::exists(dir_ + "/wgan_Losses.png"));
}

TEST_F(GuiWindowTest, TheGanLabScreenshotWaitsForItsStepsAndTheExactW1) {
    ASSERT_FALSE(server_->display().empty());
    for (const std::string view : {"field", "wasserstein"}) {
        const std::string png = dir_ + "/lab_" + view + ".png";
        auto r = run_ganvas("--screenshot " + png +
                                " --tab 'GAN Lab' --lab "
                                "data=ring8,objective=wgan_gp,width=16,steps=40,w1=64,view=" +
                                view,
                            env());
        ASSERT_EQ(r.status, 0) << r.output;
        EXPECT_EQ(load_image(png, 3).size(3), 1280);
    }
    // The Wasserstein view differs from the field view once its plan and plots are in.
    EXPECT_GT(mean_abs_difference(load_image(dir_ + "/lab_field.png", 3),
                                  load_image(dir_ + "/lab_wasserstein.png", 3)),
              0.005);
}

TEST_F(GuiWindowTest, VqStage1TabShowsAVqgan28) {
    ASSERT_FALSE(server_->display().empty());
    const std::string png = dir_ + "/vq_stage1.png";
    auto r = run_ganvas(
        "--screenshot " + png + " --model vqgan28 --train-steps 3 --tab \"VQ Stage 1\"", env());
    ASSERT_EQ(r.status, 0) << r.output;
    Tensor img = load_image(png, 3);  // (1, 3, H, W)
    std::set<int> levels;
    for (int64_t i = 0; i < img.numel(); ++i)
        levels.insert(static_cast<int>(std::lround((img.data()[i] + 1) * 127.5f)));
    EXPECT_GT(levels.size(), 60u);  // images, code colours and plots, not a line of text
    // Another model gets a sentence on the tab, not a crash.
    r = run_ganvas("--screenshot " + dir_ + "/vq_dcgan.png --train-steps 1 --tab \"VQ Stage 1\"",
                   env());
    EXPECT_EQ(r.status, 0) << r.output;
    // A run from `ganvas train` opens with its model and goes on from its step.
    r = run_ganvas("train --model vqgan28 --batch 8 --steps 2 --threads 1 --set ema=1 --out " +
                   dir_ + "/vqrun");
    ASSERT_EQ(r.status, 0) << r.output;
    r = run_ganvas("--screenshot " + dir_ + "/vq_open.png --checkpoint " + dir_ +
                       "/vqrun/checkpoint.safetensors --train-steps 1 --tab \"VQ Stage 1\"",
                   env());
    ASSERT_EQ(r.status, 0) << r.output;
    EXPECT_NE(r.output.find("step 3)"), std::string::npos) << r.output;
}

TEST_F(GuiWindowTest, ABadDataSetIsShownNotACrash) {
    ASSERT_FALSE(server_->display().empty());
    auto r = run_ganvas("--screenshot " + dir_ + "/bad.png --data idx:/nonexistent.idx --tab Data",
                        env());
    EXPECT_EQ(r.status, 1) << r.output;
    EXPECT_NE(r.output.find("/nonexistent.idx"), std::string::npos) << r.output;
    EXPECT_TRUE(std::filesystem::exists(dir_ + "/bad.png"));  // the window itself still rendered
}

// A user's session, driven by xdotool: Ctrl+S saves the experiment, Ctrl+Q
// quits cleanly, and the settings and ImGui layout are written on the way out.
TEST_F(GuiWindowTest, ShortcutsSaveTheExperimentAndQuitKeepingSettings) {
    ASSERT_FALSE(server_->display().empty());
    const std::string home = dir_ + "/user";
    const auto r = drive(home, "", R"SH(for i in $(seq 120); do
  chord s
  for j in 1 2 3 4 5; do [ -f experiments/experiment.json ] && break 2; sleep 0.5; done
done
[ -f experiments/experiment.json ] || { echo "Ctrl+S wrote nothing"; kill $app; exit 6; })SH");
    ASSERT_EQ(r.status, 0) << r.output;
    EXPECT_NE(r.output.find("exit 0"), std::string::npos) << r.output;
    EXPECT_TRUE(std::filesystem::exists(home + "/experiments/experiment.safetensors"));
    const std::string settings = testing::read_bytes(home + "/config/ganvas/settings.json");
    EXPECT_NE(settings.find("window.width"), std::string::npos) << settings;
    EXPECT_TRUE(std::filesystem::exists(home + "/config/ganvas/imgui.ini"));
}

// Ten quick taps of Ctrl+PageDown, each pressed and released at once, as a
// presenter's clicker sends them: ImGui 1.86 alone sees a key only if it is
// still down when a frame starts, so most were lost. The window queues every
// press, so the tenth tab after Losses ends up shown (and saved on the way out).
TEST_F(GuiWindowTest, TenQuickTabTapsAreTenTabSwitches) {
    ASSERT_FALSE(server_->display().empty());
    const std::string home = dir_ + "/taps";
    // One xdotool a tap (one run sending all ten sometimes lost most of them in X).
    const auto r = drive(home, "", R"SH(
for t in 1 2 3 4 5 6 7 8 9 10; do xdotool key --window "$win" --delay 0 ctrl+Next; done
sleep 1.5)SH");
    ASSERT_EQ(r.status, 0) << r.output;
    EXPECT_NE(r.output.find("exit 0"), std::string::npos) << r.output;
    const std::string settings = testing::read_bytes(home + "/config/ganvas/settings.json");
    // The first tab is shown at start; ten tabs on is the eleventh, whichever panels there
    // are, stepping through the workspaces in turn.
    const std::vector<gui::PanelEntry> tabs =
        gui::arrange_workspaces(gui::registered_panels()).entries;
    ASSERT_GT(tabs.size(), 10u);
    const auto saved = nlohmann::json::parse(settings, nullptr, false);
    ASSERT_FALSE(saved.is_discarded()) << settings;
    EXPECT_EQ(saved["texts"].value("window.tab", ""), tabs[10].title) << settings;
}

// The panels' own keys count quick taps too: ImGui is shown each tap a frame
// down, so five instant → taps over the Data tab turn five pages.
TEST_F(GuiWindowTest, FiveQuickArrowTapsTurnFivePagesOfTheDataTab) {
    ASSERT_FALSE(server_->display().empty());
    const std::string home = dir_ + "/arrows";
    const auto r = drive(home, "--tab Data", R"SH(
xdotool mousemove --window "$win" 640 420; sleep 1  # over the image grid
# The grid appears once the data set has loaded, which a busy machine makes slow:
# one slow tap at a time until a page turns, then the five quick taps.
page() { grep -o '"data.page": *[0-9]*' config/ganvas/settings.json | grep -o '[0-9]*$'; }
for i in $(seq 60); do
  [ -n "$(page)" ] && break
  xdotool key --window "$win" Right; sleep 1
done
sleep 2.5  # settings are saved a second after a change: read the page once it settles
first=$(page)
[ -n "$first" ] || { echo "no page ever turned"; kill $app; exit 6; }
for t in 1 2 3 4 5; do xdotool key --window "$win" --delay 0 Right; done
sleep 2
echo "first page $first")SH");
    ASSERT_EQ(r.status, 0) << r.output;
    const std::string settings = testing::read_bytes(home + "/config/ganvas/settings.json");
    const auto saved = nlohmann::json::parse(settings, nullptr, false);
    ASSERT_FALSE(saved.is_discarded()) << settings;
    EXPECT_EQ(saved["texts"].value("window.tab", ""), "Data") << settings;
    const auto at = r.output.find("first page ");
    ASSERT_NE(at, std::string::npos) << r.output;
    const double first = std::stod(r.output.substr(at + 11));
    EXPECT_EQ(saved["numbers"].value("data.page", -1.0), first + 5.0) << settings << r.output;
}

TEST_F(GuiWindowTest, AnUnknownTabIsAnErrorThatNamesIt) {
    ASSERT_FALSE(server_->display().empty());
    auto r = run_ganvas("--screenshot " + dir_ + "/none.png --tab Nowhere", env());
    EXPECT_EQ(r.status, 2) << r.output;
    EXPECT_NE(r.output.find("Nowhere"), std::string::npos) << r.output;
}

TEST_F(GuiWindowTest, WorkspaceAndTabFlagsShowTheirWorkspace) {
    ASSERT_FALSE(server_->display().empty());
    // A workspace opens on its first tab; a tab opens in its workspace.
    auto r = run_ganvas("--screenshot " + dir_ + "/ws.png --workspace vqgan", env());
    ASSERT_EQ(r.status, 0) << r.output;
    EXPECT_NE(r.output.find("VQGAN / VQ Stage 1, step"), std::string::npos) << r.output;
    r = run_ganvas("--screenshot " + dir_ + "/ws.png --tab 'rf sandbox' --scale 2", env());
    ASSERT_EQ(r.status, 0) << r.output;
    EXPECT_NE(r.output.find("Receptive fields / RF Sandbox, step"), std::string::npos) << r.output;
    r = run_ganvas("--screenshot " + dir_ + "/ws.png --workspace Nowhere", env());
    EXPECT_EQ(r.status, 2) << r.output;
    EXPECT_NE(r.output.find("no workspace named 'Nowhere'"), std::string::npos) << r.output;
}

// Presentation mode at a screenshot's size: type 3% of the height, so a taller
// window gets larger type (and the sidebar, folded, leaves the panels the width).
TEST_F(GuiWindowTest, PresentationModeRendersAtTheSizeAsked) {
    ASSERT_FALSE(server_->display().empty());
    const std::string png = dir_ + "/presentation.png";
    auto r = run_ganvas("--screenshot " + png + " --presentation --size 1500x900", env());
    ASSERT_EQ(r.status, 0) << r.output;
    Tensor img = load_image(png, 3);  // (1, 3, H, W)
    EXPECT_EQ(img.size(2), 900);
    EXPECT_EQ(img.size(3), 1500);
}

// F11 fills the screen (Xvfb's, 1600x1000, with no window manager) and F11 again
// gives the window back its size; Ctrl+B folds the sidebar and Ctrl+Shift+L
// switches to the light theme, and both are kept.
TEST_F(GuiWindowTest, F11FillsTheScreenAndGivesTheWindowBackItsSize) {
    ASSERT_FALSE(server_->display().empty());
    const std::string home = dir_ + "/present";
    const auto r = drive(home, "--size 1100x700", R"SH(
geometry() { xdotool getwindowgeometry "$win" | grep -o 'Geometry: [0-9x]*'; }
echo "before $(geometry)"
xdotool key --window "$win" F11; sleep 2
echo "full $(geometry)"
xdotool key --window "$win" F11; sleep 2
echo "after $(geometry)"
chord b; sleep 1
xdotool key --window "$win" ctrl+shift+l; sleep 1.5)SH");
    ASSERT_EQ(r.status, 0) << r.output;
    EXPECT_NE(r.output.find("before Geometry: 1100x700"), std::string::npos) << r.output;
    EXPECT_NE(r.output.find("full Geometry: 1600x1000"), std::string::npos) << r.output;
    EXPECT_NE(r.output.find("after Geometry: 1100x700"), std::string::npos) << r.output;
    const auto saved = nlohmann::json::parse(
        testing::read_bytes(home + "/config/ganvas/settings.json"), nullptr, false);
    ASSERT_FALSE(saved.is_discarded());
    EXPECT_EQ(saved["numbers"].value("window.width", 0.0), 1100);
    EXPECT_EQ(saved["numbers"].value("ui.sidebar_folded", 0.0), 1);
    EXPECT_EQ(saved["texts"].value("ui.theme", ""), "light");
}

TEST_F(GuiWindowTest, WithoutADisplayTheScreenshotSaysWhy) {
    auto r = run_ganvas("--screenshot " + dir_ + "/nodisplay.png", "DISPLAY= WAYLAND_DISPLAY= ");
    EXPECT_EQ(r.status, 1) << r.output;
    EXPECT_NE(r.output.find("cannot open the window"), std::string::npos) << r.output;
    EXPECT_FALSE(std::filesystem::exists(dir_ + "/nodisplay.png"));
}

TEST_F(GuiWindowTest, BadWindowFlagsAreUsageErrors) {
    auto r = run_ganvas("--screenshot x.png --size 10x10");
    EXPECT_EQ(r.status, 2) << r.output;
    EXPECT_NE(r.output.find("--size"), std::string::npos) << r.output;
    r = run_ganvas("--screenshot x.png --scale 9");
    EXPECT_EQ(r.status, 2) << r.output;
    EXPECT_NE(r.output.find("--scale"), std::string::npos) << r.output;
    r = run_ganvas("--screenshot x.png --frames -3");
    EXPECT_EQ(r.status, 2) << r.output;
    r = run_ganvas("--screenshot x.png --set ema");
    EXPECT_EQ(r.status, 2) << r.output;
    EXPECT_NE(r.output.find("--set expects name=value"), std::string::npos) << r.output;
    r = run_ganvas("--screenshot x.png --checkpoint " + dir_ + "/none.safetensors");
    EXPECT_EQ(r.status, 1) << r.output;
    EXPECT_NE(r.output.find("none.safetensors"), std::string::npos) << r.output;
    r = run_ganvas("--screenshot x.png --checkpoint a.safetensors --model dcgan28");
    EXPECT_EQ(r.status, 2) << r.output;
    EXPECT_NE(r.output.find("leave out --model"), std::string::npos) << r.output;
}

}  // namespace
}  // namespace ganvas
