// Which plot each metric column of the Losses tab joins, in which colour, and
// what the empty tab promises for each model.
#include <gtest/gtest.h>

#include <set>

#include "models/model.h"
#include "panels/losses_layout.h"

namespace ganvas::gui {
namespace {

std::vector<std::string> names_in(const MetricPlan& plan, const std::vector<std::string>& names) {
    std::vector<std::string> out;
    for (size_t c : plan.columns) out.push_back(names[c]);
    return out;
}

const MetricPlan* find_plan(const std::vector<MetricPlan>& plans, const std::string& id) {
    for (const MetricPlan& p : plans)
        if (p.id == id) return &p;
    return nullptr;
}

void expect_distinct_colours(const std::vector<MetricPlan>& plans) {
    for (const MetricPlan& p : plans) {
        ASSERT_EQ(p.colours.size(), p.columns.size()) << p.title;
        const std::set<uint32_t> distinct(p.colours.begin(), p.colours.end());
        EXPECT_EQ(distinct.size(), p.colours.size()) << p.title << " reuses a colour";
    }
}

const std::vector<std::string> kVqgan = {"loss",       "rec",       "codebook", "commitment",
                                         "gan",        "lambda",    "d_loss",   "perplexity",
                                         "used_codes", "dead_codes"};

TEST(LossesLayout, AVqganGetsReadablePlotsWithoutRepeatedColours) {
    const auto plans = plan_metric_plots(kVqgan);
    std::vector<std::string> titles;
    for (const MetricPlan& p : plans) titles.push_back(p.title);
    EXPECT_EQ(titles, (std::vector<std::string>{"Losses", "Adversarial terms", "Codebook usage"}));
    EXPECT_EQ(names_in(*find_plan(plans, "losses"), kVqgan),
              (std::vector<std::string>{"loss", "rec", "codebook", "commitment"}));
    EXPECT_EQ(names_in(*find_plan(plans, "adversarial"), kVqgan),
              (std::vector<std::string>{"gan", "lambda", "d_loss"}));
    EXPECT_EQ(names_in(*find_plan(plans, "codebook"), kVqgan),
              (std::vector<std::string>{"perplexity", "used_codes", "dead_codes"}));
    expect_distinct_colours(plans);
    size_t columns = 0;
    for (const MetricPlan& p : plans) {
        columns += p.columns.size();
        for (const std::string& m : p.meaning) EXPECT_FALSE(m.empty()) << p.title;
    }
    EXPECT_EQ(columns, kVqgan.size());  // every column in exactly one plot
}

TEST(LossesLayout, UnknownColumnsGoToTheLastPlotEachInItsOwnColour) {
    std::vector<std::string> names = {"loss_D", "loss_G", "loss_extra"};
    for (int i = 0; i < 25; ++i) names.push_back("stat" + std::to_string(i));
    const auto plans = plan_metric_plots(names);
    ASSERT_EQ(plans.size(), 2u);
    EXPECT_EQ(plans[0].id, "losses");  // loss* joins the losses
    EXPECT_EQ(names_in(plans[0], names),
              (std::vector<std::string>{"loss_D", "loss_G", "loss_extra"}));
    EXPECT_EQ(plans[1].id, "other");
    EXPECT_EQ(plans[1].title, "Other metrics");
    EXPECT_EQ(plans[1].columns.size(), 25u);  // more than the palette holds
    expect_distinct_colours(plans);
    EXPECT_EQ(plans[1].meaning[0], "");

    // A single unknown statistic names its plot.
    const auto one = plan_metric_plots({"loss", "accuracy"});
    ASSERT_EQ(one.size(), 2u);
    EXPECT_EQ(one[1].title, "Accuracy");
}

TEST(LossesLayout, KnownColumnsKeepTheirColourWhereItIsFree) {
    const auto gan = plan_metric_plots({"loss_D", "loss_G"});
    const auto vq = plan_metric_plots({"gan", "d_loss"});
    // The same roles look the same: the generator's side blue, the discriminator's orange.
    EXPECT_EQ(gan[0].colours[0], vq[0].colours[1]);
    EXPECT_EQ(gan[0].colours[1], vq[0].colours[0]);
    // "loss" and "loss_G" share a colour of their own; in one plot one of them moves.
    const auto both = plan_metric_plots({"loss", "loss_G"});
    ASSERT_EQ(both.size(), 1u);
    EXPECT_EQ(both[0].colours[0], gan[0].colours[1]);
    EXPECT_NE(both[0].colours[1], both[0].colours[0]);
}

TEST(LossesLayout, TheCriticsLossesAreExplainedAsACritics) {
    const std::vector<std::string> names = {"loss_D", "loss_G", "W_estimate", "gradient_penalty",
                                            "grad_norm"};
    const auto plans = plan_metric_plots(names);
    ASSERT_EQ(plans.size(), 3u);
    EXPECT_NE(plans[0].meaning[0].find("Critic loss"), std::string::npos);
    EXPECT_NE(plans[0].help.find("no equilibrium"), std::string::npos);
    EXPECT_NE(plan_metric_plots({"loss_D"})[0].meaning[0].find("cross-entropy"), std::string::npos);
    expect_distinct_colours(plans);
}

TEST(LossesLayout, EachModelsEmptyTabSaysWhatWillAppear) {
    std::set<std::string> texts;
    for (const std::string& model : model_names()) {
        const std::string text = losses_to_come(model);
        EXPECT_TRUE(texts.insert(text).second) << model << " shares its words with another model";
        EXPECT_NE(text, losses_to_come("someone_elses_model")) << model;
    }
    EXPECT_EQ(losses_to_come("vqgan28:codes=64"), losses_to_come("vqgan28"));
    EXPECT_NE(losses_to_come("vqgan28").find("codebook"), std::string::npos);
}

}  // namespace
}  // namespace ganvas::gui
