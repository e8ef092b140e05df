// Settings declared once (Model::settings): every model's declarations agree with
// the model they describe, round-trip through set and get, and refuse bad values
// with a sentence naming the setting.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <string>

#include "models/model.h"

using namespace ganvas;

namespace {

// A value in range that differs from the default, so a setter that writes nowhere fails.
double another_value(const HyperParam& h) {
    if (h.boolean) return h.default_value == 0 ? 1 : 0;
    if (h.integer) return h.default_value == h.min ? h.min + 1 : h.min;
    const double v = h.log_scale ? std::sqrt(h.min * h.max) : (h.min + h.max) / 2;
    return v == h.default_value ? h.min : v;
}

// The message of the std::invalid_argument that `f` throws; fails the test if none.
template <class F>
std::string error_of(F f) {
    try {
        f();
    } catch (const std::invalid_argument& e) {
        return e.what();
    }
    ADD_FAILURE() << "no std::invalid_argument";
    return "";
}

bool near(double a, double b) {
    return std::fabs(a - b) <= 1e-6 * std::max(1.0, std::fabs(b));  // float fields round
}

}  // namespace

TEST(ModelSettings, EveryDeclarationMatchesAFreshModelAndRoundTrips) {
    for (const std::string& name : model_names()) {
        Rng rng(1);
        std::unique_ptr<Model> model = make_model(name, rng);
        const std::vector<HyperParam> declared = model->hyper_params();
        EXPECT_FALSE(declared.empty()) << name;
        for (const HyperParam& h : declared) {
            SCOPED_TRACE(name + " " + h.name);
            EXPECT_FALSE(h.help.empty());
            EXPECT_LE(h.min, h.default_value);
            EXPECT_LE(h.default_value, h.max);
            EXPECT_TRUE(near(h.value, h.default_value)) << "a fresh model's value " << h.value;
            if (h.boolean) {
                EXPECT_TRUE(h.integer && h.min == 0 && h.max == 1);
            }
            const double v = another_value(h);
            ASSERT_NE(v, h.default_value);
            model->set_hyper_param(h.name, v);
            EXPECT_TRUE(near(model->hyper_param(h.name), v)) << model->hyper_param(h.name);
        }
        model->restore_default_settings();
        for (const HyperParam& h : model->hyper_params())
            EXPECT_TRUE(near(h.value, h.default_value)) << name << " " << h.name << " " << h.value;
    }
}

TEST(ModelSettings, BadNamesAndValuesAreRefusedWithTheirReason) {
    Rng rng(2);
    std::unique_ptr<Model> model = make_model("vqgan28", rng);
    const double lr = model->hyper_param("lr_AE");

    std::string e = error_of([&] { model->set_hyper_param("nosuch", 1); });
    EXPECT_NE(e.find("vqgan28 has no setting 'nosuch'"), std::string::npos) << e;
    EXPECT_NE(e.find("lr_AE"), std::string::npos) << "lists the known ones: " << e;
    e = error_of([&] { model->hyper_param("nosuch"); });
    EXPECT_NE(e.find("'nosuch'"), std::string::npos) << e;

    e = error_of([&] { model->set_hyper_param("lr_AE", 5.0); });
    EXPECT_NE(e.find("lr_AE must be between"), std::string::npos) << e;
    e = error_of([&] { model->set_hyper_param("lr_AE", std::nan("")); });
    EXPECT_NE(e.find("lr_AE"), std::string::npos) << e;
    EXPECT_EQ(model->hyper_param("lr_AE"), lr) << "a refused value changes nothing";

    e = error_of([&] { model->set_hyper_param("dead_after", 2.5); });
    EXPECT_NE(e.find("dead_after must be a whole number"), std::string::npos) << e;

    // A switch is on or off: 0.5 is neither, and neither is 2.
    for (double bad : {0.5, 2.0, -1.0}) {
        e = error_of([&] { model->set_hyper_param("ema", bad); });
        EXPECT_NE(e.find("ema is on or off"), std::string::npos) << e;
    }
    EXPECT_EQ(model->hyper_param("ema"), 1.0);
    model->set_hyper_param("ema", 0);
    EXPECT_EQ(model->hyper_param("ema"), 0.0);
}

TEST(ModelSettings, OnOffSettingsAreSwitchesNotSliders) {
    Rng rng(3);
    for (const char* name : {"vqgan28", "toy2d"}) {
        std::unique_ptr<Model> model = make_model(name, rng);
        int switches = 0;
        for (const HyperParam& h : model->hyper_params()) {
            const bool on_off = h.integer && h.min == 0 && h.max == 1;
            EXPECT_EQ(h.boolean, on_off) << name << " " << h.name;
            switches += h.boolean;
        }
        EXPECT_EQ(switches, 2) << name;  // ema, restart_dead; spectral_norm, gaussian_noise
    }
}

TEST(ModelSettings, TheWindowOffersOnlyModelsItCanTrain) {
    const std::vector<std::string> offered = window_model_names();
    for (const std::string& name : model_names()) {
        Rng rng(4);
        const bool trainable = make_model(name, rng)->trains_in_window();
        EXPECT_EQ(std::count(offered.begin(), offered.end(), name), trainable ? 1 : 0) << name;
    }
    for (const char* not_here : {"prior49", "toy2d"})
        EXPECT_EQ(std::count(offered.begin(), offered.end(), not_here), 0) << not_here;
    EXPECT_EQ(std::count(offered.begin(), offered.end(), "vqgan28"), 1);
}
