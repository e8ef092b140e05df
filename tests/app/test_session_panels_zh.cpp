// The session sidebar, the Losses, Samples, Model, Data and VQ tabs in Chinese:
// each draws for a few frames headless under ImGui's own checks, with metrics,
// layers and a dataset to show rather than only their empty states; the
// settings' help from core has a Chinese text; and a dataset whose class
// folders have Chinese names asks the font atlas for their glyphs.
#include <gtest/gtest.h>
#include <imgui.h>

#include <cmath>
#include <map>
#include <memory>
#include <string>

#include "gui/fonts.h"
#include "i18n/tr.h"
#include "models/model.h"
#include "panels/experiment_panel.h"
#include "panels/losses_panel.h"
#include "panels/panel_registry.h"
#include "support/headless_imgui.h"

using namespace ganvas;
using namespace ganvas::gui;
using ganvas::testing::HeadlessImGui;

namespace {

// The tabs this file draws, by their registry titles.
const char* kTabs[] = {"Losses", "Samples", "Model", "Data", "VQ Stage 1", "VQ Stage 2"};

std::map<std::string, std::string> chinese_catalog() {
    const i18n::Catalog catalog = i18n::read_catalog(i18n::default_catalog_dir());
    return {catalog.entries.begin(), catalog.entries.end()};
}

class ChineseSession : public ::testing::Test {
protected:
    void SetUp() override {
        i18n::use_catalog(i18n::read_catalog(i18n::default_catalog_dir()));
        i18n::set_language(i18n::Language::Chinese);
    }
    void TearDown() override { i18n::set_language(i18n::Language::English); }
};

// Ten images of 28x28 in two classes named like the folders of a Chinese user's data.
// (Glyphs once noted stay noted for the process: each test names its own.)
std::shared_ptr<ImageDataset> chinese_folder_dataset(std::vector<std::string> classes = {"运动鞋",
                                                                                         "衬衫"},
                                                     std::string name = "folder:数据/服装") {
    auto d = std::make_shared<ImageDataset>();
    d->images = Tensor::zeros({10, 1, 28, 28});
    d->labels = Tensor::empty({10}, DType::i64);
    for (int64_t i = 0; i < 10; ++i) d->labels.data_i64()[i] = i % 2;
    d->class_names = std::move(classes);
    d->name = std::move(name);
    return d;
}

// A snapshot with something in every view these tabs have: losses of a
// minimax GAN and an FFD, a network's layers and norms, a labelled dataset.
TrainerSnapshot filled_snapshot(const TrainerSnapshot& idle) {
    TrainerSnapshot s = idle;
    s.state = TrainerState::Paused;
    auto metrics = std::make_shared<MetricHistory>();
    for (int64_t step = 1; step <= 20; ++step)
        metrics->add(step, {{"loss_D", 1.4f - 0.01f * step},
                            {"loss_G", 0.7f + 0.01f * step},
                            {"D(x)", 0.5f},
                            {"D(G(z))", 0.45f},
                            {"ffd", step % 5 == 0 ? 40.0f / step : std::nanf("")},
                            {"accuracy", 0.5f}});
    s.metrics = metrics;
    auto norms = std::make_shared<MetricHistory>();
    for (int64_t step = 1; step <= 5; ++step)
        norms->add(step, {{"G.fc.weight", 1.0f * step}, {"G.fc.bias", 0.1f * step}});
    s.param_norms = norms;
    s.grad_norms = norms;
    s.layers = std::make_shared<std::vector<LayerRow>>(std::vector<LayerRow>{
        {"G", "Generator", {1, 1, 28, 28}, 110, 0}, {"G.fc", "Linear", {1, 10}, 110, 1}});
    s.dataset = chinese_folder_dataset();
    return s;
}

void draw_tabs(HeadlessImGui& imgui, const TrainerSnapshot& snapshot, LiveTrainer& trainer) {
    Settings settings;
    std::vector<PanelEntry> entries;
    for (const PanelEntry& e : registered_panels())
        for (const char* tab : kTabs)
            if (e.title == tab) entries.push_back(e);
    ASSERT_EQ(entries.size(), std::size(kTabs));
    auto panels = make_panels(entries, {});
    ExperimentPanel sidebar;
    for (int frame = 0; frame < 3; ++frame) {
        PanelContext ctx{snapshot, trainer, settings, 1.0f};
        imgui.frame([&] {
            sidebar.draw(ctx);
            for (size_t i = 0; i < panels.size(); ++i) {
                ImGui::PushID(
                    static_cast<int>(i));  // the tabs, one at a time as the window has them
                ImGui::BeginChild(entries[i].title.c_str(), ImVec2(1200, 700));
                panels[i]->draw(ctx);
                ImGui::EndChild();
                ImGui::PopID();
            }
        });
    }
    for (auto& panel : panels) panel->set_shown(false);
}

TEST_F(ChineseSession, EachPanelDrawsItsEmptyStateForAFewFrames) {
    HeadlessImGui imgui;
    LiveTrainer trainer(ganvas::testing::idle_trainer_options("ganvas-zh-session-empty"));
    draw_tabs(imgui, *trainer.snapshot(), trainer);
}

TEST_F(ChineseSession, EachPanelDrawsItsViewsForAFewFrames) {
    HeadlessImGui imgui;
    LiveTrainer trainer(ganvas::testing::idle_trainer_options("ganvas-zh-session-full"));
    draw_tabs(imgui, filled_snapshot(*trainer.snapshot()), trainer);
}

TEST_F(ChineseSession, ChineseClassAndFolderNamesReachTheFontAtlas) {
    if (cjk_font_path().empty()) GTEST_SKIP() << "no CJK font (fonts-noto-cjk) installed";
    HeadlessImGui imgui;
    // An English atlas: no ideograph in it, nothing pending.
    i18n::set_language(i18n::Language::English);
    build_font_atlas(*ImGui::GetIO().Fonts, 16, false);
    ASSERT_FALSE(font_glyphs_pending());
    LiveTrainer trainer(ganvas::testing::idle_trainer_options("ganvas-zh-session-glyphs"));
    TrainerSnapshot s = filled_snapshot(*trainer.snapshot());
    s.dataset = chinese_folder_dataset({"凉拖", "毛衣"}, "folder:衣橱");
    Settings settings;
    PanelContext ctx{s, trainer, settings, 1.0f};
    std::unique_ptr<Panel> data;
    for (const PanelEntry& e : registered_panels())
        if (e.title == "Data") data = e.make({});
    ASSERT_TRUE(data);
    imgui.frame([&] { data->draw(ctx); });
    EXPECT_TRUE(font_glyphs_pending()) << "the class folders' names did not reach the atlas";
    build_font_atlas(*ImGui::GetIO().Fonts, 16, false);
    const ImFont* font = ImGui::GetIO().Fonts->Fonts[0];
    for (unsigned c : decode_utf8("凉拖毛衣衣橱"))
        EXPECT_NE(font->FindGlyphNoFallback(static_cast<ImWchar>(c)), nullptr)
            << "U+" << std::hex << c;
}

TEST_F(ChineseSession, AChineseDataSpecInTheSidebarReachesTheFontAtlas) {
    if (cjk_font_path().empty()) GTEST_SKIP() << "no CJK font (fonts-noto-cjk) installed";
    HeadlessImGui imgui;
    i18n::set_language(i18n::Language::English);
    build_font_atlas(*ImGui::GetIO().Fonts, 16, false);
    ASSERT_FALSE(font_glyphs_pending());
    LiveTrainer trainer(ganvas::testing::idle_trainer_options("ganvas-zh-session-spec"));
    TrainerSnapshot s = *trainer.snapshot();
    s.config.data = "folder:图片/鞋类";  // as the sidebar's data field shows it
    Settings settings;
    PanelContext ctx{s, trainer, settings, 1.0f};
    ExperimentPanel sidebar;
    imgui.frame([&] { sidebar.draw(ctx); });
    EXPECT_TRUE(font_glyphs_pending()) << "the data spec's folder name did not reach the atlas";
}

// A language switch while paused (no new metrics) still retitles the plots.
TEST_F(ChineseSession, TheLossPlotsFollowALanguageSwitch) {
    HeadlessImGui imgui;
    LiveTrainer trainer(ganvas::testing::idle_trainer_options("ganvas-zh-session-switch"));
    const TrainerSnapshot s = filled_snapshot(*trainer.snapshot());
    Settings settings;
    PanelContext ctx{s, trainer, settings, 1.0f};
    LossesPanel losses;
    i18n::set_language(i18n::Language::English);
    imgui.frame([&] { losses.draw(ctx); });
    ASSERT_FALSE(losses.groups().empty());
    EXPECT_EQ(losses.groups()[0].title, "Losses");
    i18n::set_language(i18n::Language::Chinese);
    imgui.frame([&] { losses.draw(ctx); });
    EXPECT_EQ(losses.groups()[0].title, "损失");
    EXPECT_EQ(losses.groups()[0].references[0].label, "ln 4：均衡时的 loss_D");
}

// The sidebar shows each model setting's help, which core writes in English.
TEST(SessionSettingsInChinese, EverySettingsHelpOfTheSidebarsModelsHasAChineseText) {
    const auto catalog = chinese_catalog();
    std::vector<std::string> models = window_model_names();
    models.push_back("prior49");
    for (const std::string& name : models) {
        Rng rng(1);
        const auto model = make_model(name, rng);
        for (const HyperParam& h : model->hyper_params())
            EXPECT_TRUE(catalog.count(h.help))
                << name << "." << h.name << ": \"" << h.help << "\" has no entry in session.json";
    }
}

}  // namespace
