#include "panels/losses_layout.h"

#include <imgui.h>

#include <algorithm>
#include <cmath>

#include "i18n/tr.h"

namespace ganvas::gui {
namespace {

struct Known {
    const char* name;
    ImU32 colour;              // its own colour, used where the plot has it free
    const char* (*meaning)();  // in the current language
};

// The columns Ganvas' models write, with colours that stay put between runs
// and a sentence on what each one means.
const Known kKnown[] = {
    {"loss_D", IM_COL32(240, 135, 60, 255),
     [] {
         return tr(
             "Discriminator loss: binary cross-entropy on a real batch (label 1) plus a generated "
             "batch (label 0). About ln 4 ≈ 1.39 when D cannot tell them apart; near 0 when D "
             "wins.");
     }},
    {"loss_G", IM_COL32(80, 160, 240, 255),
     [] {
         return tr(
             "Generator loss (non-saturating): −log D(G(z)), the cross-entropy of D calling the "
             "fakes real. ln 2 ≈ 0.69 when D says ½ to the fakes.");
     }},
    {"D(x)", IM_COL32(90, 200, 120, 255),
     [] {
         return tr("D(x): the discriminator's mean belief that the batch's real images are real.");
     }},
    {"D(G(z))", IM_COL32(225, 105, 205, 255),
     [] {
         return tr("D(G(z)): the discriminator's mean belief that the generated images are real.");
     }},
    {"W_estimate", IM_COL32(235, 200, 70, 255),
     [] {
         return tr(
             "E[f(real)] − E[f(fake)]: how much higher the critic f scores real images than "
             "generated ones, on the last critic update's batch.");
     }},
    {"grad_norm", IM_COL32(160, 130, 240, 255),
     [] {
         return tr(
             "‖∇x f(x̂)‖: the critic's input-gradient norm at random points x̂ between real and "
             "generated images, averaged over the batch. The penalty pulls it toward 1.");
     }},
    {"gradient_penalty", IM_COL32(230, 90, 90, 255),
     [] {
         return tr(
             "E[(‖∇x f(x̂)‖ − 1)²], before the weight λ: how far the critic is from having unit "
             "gradient norm between the two distributions.");
     }},
    {"ffd", IM_COL32(40, 195, 195, 255),
     [] {
         return tr(
             "Fréchet distance between features of generated and real images, measured every few "
             "steps. Lower is better.");
     }},
    {"loss", IM_COL32(80, 160, 240, 255),
     [] {
         return tr(
             "The model's training objective on the batch: a classifier's or the prior's "
             "cross-entropy, a VQGAN's sum of rec, codebook, commitment and λ·gan.");
     }},
    {"accuracy", IM_COL32(90, 200, 120, 255),
     [] { return tr("Fraction of the batch classified correctly."); }},
    {"bits_per_code", IM_COL32(235, 200, 70, 255),
     [] {
         return tr(
             "The prior's cross-entropy of the next code in bits (loss / ln 2): its average "
             "surprise per code. log2 of the codebook size is a uniform guess.");
     }},
    {"rec", IM_COL32(90, 200, 120, 255),
     [] {
         return tr(
             "Reconstruction loss: mean |x̂ − x| (L1) between each image and its reconstruction "
             "through the codebook.");
     }},
    {"codebook", IM_COL32(160, 130, 240, 255),
     [] {
         return tr(
             "Codebook loss: pulls each chosen code toward the encoder outputs it stands for.");
     }},
    {"commitment", IM_COL32(225, 105, 205, 255),
     [] {
         return tr(
             "Commitment loss: how far the encoder's outputs are from the codes chosen for them; "
             "it keeps the encoder committed to the codebook.");
     }},
    {"gan", IM_COL32(80, 160, 240, 255),
     [] {
         return tr(
             "The autoencoder's adversarial (hinge) loss: −D(x̂), averaged over the patch "
             "discriminator's outputs. 0 until the discriminator starts.");
     }},
    {"d_loss", IM_COL32(240, 135, 60, 255),
     [] {
         return tr(
             "The patch discriminator's hinge loss on real images and reconstructions. 0 until it "
             "starts.");
     }},
    {"lambda", IM_COL32(235, 200, 70, 255),
     [] {
         return tr(
             "λ, the adversarial term's adaptive weight: ‖∇ rec‖ / ‖∇ gan‖ at the decoder's last "
             "layer, so neither term swamps the other.");
     }},
    {"perplexity", IM_COL32(40, 195, 195, 255),
     [] {
         return tr(
             "exp(entropy) of the codes chosen in the batch: how many codes are in effective use. "
             "The codebook size is its ceiling.");
     }},
    {"used_codes", IM_COL32(90, 200, 120, 255),
     [] { return tr("Distinct codes chosen in the batch."); }},
    {"dead_codes", IM_COL32(230, 90, 90, 255),
     [] {
         return tr(
             "Codes no input has chosen for a long while: capacity the codebook is not using.");
     }},
};

// A WGAN's losses mean something else than a minimax GAN's of the same names.
const Known kCriticLosses[] = {
    {"loss_D", IM_COL32(240, 135, 60, 255),
     [] {
         return tr(
             "Critic loss: E[f(fake)] − E[f(real)] (+ λ·gradient penalty). Minimising it raises "
             "the critic's scores of real images and lowers those of generated ones; it is "
             "−W_estimate plus the penalty. It has no equilibrium value to aim for.");
     }},
    {"loss_G", IM_COL32(80, 160, 240, 255),
     [] {
         return tr(
             "Generator loss: −E[f(G(z))], the critic's score of the generated images, negated. "
             "Its level is arbitrary (the critic may shift all scores by a constant); its trend "
             "against the critic's is what matters.");
     }},
};

struct PlotSpec {
    const char* id;
    const char* (*title)();            // in the current language
    std::vector<std::string> metrics;  // the columns it holds, in the order drawn
    const char* prefix;                // and any other column starting with this; "" none
    float weight;
    bool log_allowed, y_include;
    const char* (*help)();  // nullptr: none
};

// The tab's plots, top to bottom. A column named by none goes to the last.
const PlotSpec kPlots[] = {
    {"losses",
     [] { return tr("Losses"); },
     {"loss_D", "loss_G", "loss", "rec", "codebook", "commitment", "bits_per_code"},
     "loss",
     1.0f,
     true,
     false,
     [] {
         return tr("The training objectives, one point per step. Right-click a plot for more.");
     }},
    {"outputs",
     [] { return tr("Discriminator outputs"); },
     {"D(x)", "D(G(z))"},
     "",
     0.85f,
     false,
     true,
     [] {
         return tr(
             "D(x) is D's belief that real images are real; D(G(z)) the same for generated images. "
             "At the minimax game's equilibrium p_g = p_data and D = ½ everywhere, so both lines "
             "meet at 0.5. D(x) near 1 with D(G(z)) near 0 means the discriminator is winning.");
     }},
    {"critic",
     [] { return tr("Critic's Wasserstein estimate"); },
     {"W_estimate"},
     "",
     0.85f,
     false,
     false,
     [] {
         return tr(
             "W_estimate = E[f(real)] − E[f(fake)]. By the Kantorovich–Rubinstein duality the "
             "Wasserstein-1 distance is W1(p_data, p_g) = sup over 1-Lipschitz f of E_data[f] − "
             "E_g[f]. The critic f is trained to maximise this gap, so the gap estimates W1, but "
             "only up to f's actual Lipschitz constant K (it estimates K·W1) and only as well as "
             "the critic is trained: a lower bound, not a measurement. It should fall as the "
             "samples improve; it is comparable within one run, not across settings that change K "
             "(λ, the clip bound c).");
     }},
    {"gradient",
     [] { return tr("Critic's input-gradient norm"); },
     {"grad_norm", "gradient_penalty"},
     "",
     0.85f,
     false,
     true,  // keep 0 and the target 1 in view
     [] {
         return tr(
             "‖∇x f(x̂)‖ at random points between real and generated images. A 1-Lipschitz critic "
             "has norm at most 1 everywhere, and the optimal one has norm 1 almost everywhere "
             "between the distributions, so WGAN-GP penalises (‖∇x f(x̂)‖ − 1)².");
     }},
    {"adversarial",
     [] { return tr("Adversarial terms"); },
     {"gan", "d_loss", "lambda"},
     "",
     0.85f,
     false,  // hinge losses go below 0
     false,
     [] {
         return tr(
             "The patch discriminator's game: its hinge loss (d_loss), the autoencoder's "
             "adversarial loss (gan) and λ, the weight that loss gets beside the reconstruction, "
             "chosen each step from their gradients at the decoder's last layer. All stay 0 until "
             "the discriminator starts.");
     }},
    {"codebook",
     [] { return tr("Codebook usage"); },
     {"perplexity", "used_codes", "dead_codes"},
     "",
     0.85f,
     true,
     false,
     [] {
         return tr(
             "How much of the codebook the encoder uses. Perplexity and used codes near the "
             "codebook size are healthy; many dead codes mean codebook collapse.");
     }},
    {"ffd",
     [] { return tr("FFD"); },
     {"ffd"},
     "",
     0.7f,
     true,
     false,
     [] {
         return tr(
             "Fréchet feature distance of generated to real images; lower is better. Turn it on "
             "with \"FFD every\" in the sidebar.");
     }},
    {"other", [] { return tr("Other metrics"); }, {}, "", 0.85f, true, false, nullptr},
};

// Colours for columns without their own (or whose own is taken in the plot),
// chosen to stay apart from each other on both themes.
const ImU32 kPalette[] = {IM_COL32(235, 200, 70, 255),  IM_COL32(160, 130, 240, 255),
                          IM_COL32(230, 90, 90, 255),   IM_COL32(120, 200, 230, 255),
                          IM_COL32(200, 160, 110, 255), IM_COL32(90, 200, 120, 255),
                          IM_COL32(240, 135, 60, 255),  IM_COL32(80, 160, 240, 255),
                          IM_COL32(225, 105, 205, 255), IM_COL32(40, 195, 195, 255)};

// Past the palette: hues a golden angle apart, never twice the same.
ImU32 generated_colour(size_t n) {
    const float hue = std::fmod(0.13f + 0.618034f * static_cast<float>(n), 1.0f);
    float r = 0, g = 0, b = 0;
    ImGui::ColorConvertHSVtoRGB(hue, 0.55f, 0.92f, r, g, b);
    return IM_COL32(static_cast<int>(r * 255), static_cast<int>(g * 255), static_cast<int>(b * 255),
                    255);
}

const Known* find_known(const std::string& name, bool critic) {
    if (critic)
        for (const Known& k : kCriticLosses)
            if (name == k.name) return &k;
    for (const Known& k : kKnown)
        if (name == k.name) return &k;
    return nullptr;
}

size_t plot_of(const std::string& name) {
    for (size_t p = 0; p < std::size(kPlots); ++p) {
        const PlotSpec& spec = kPlots[p];
        if (std::find(spec.metrics.begin(), spec.metrics.end(), name) != spec.metrics.end())
            return p;
    }
    for (size_t p = 0; p < std::size(kPlots); ++p)
        if (*kPlots[p].prefix && name.rfind(kPlots[p].prefix, 0) == 0) return p;
    return std::size(kPlots) - 1;
}

// The known colour if the plot has it free, else the first free one.
ImU32 free_colour(const Known* known, const std::vector<uint32_t>& used) {
    auto is_free = [&](ImU32 c) { return std::find(used.begin(), used.end(), c) == used.end(); };
    if (known && is_free(known->colour)) return known->colour;
    for (ImU32 c : kPalette)
        if (is_free(c)) return c;
    for (size_t n = 0;; ++n)
        if (is_free(generated_colour(n))) return generated_colour(n);
}

}  // namespace

std::vector<MetricPlan> plan_metric_plots(const std::vector<std::string>& names) {
    // What the columns say the model is, rather than its name: a critic reports
    // a Wasserstein estimate.
    const bool critic = std::find(names.begin(), names.end(), "W_estimate") != names.end();
    std::vector<MetricPlan> plans(std::size(kPlots));
    for (size_t p = 0; p < plans.size(); ++p) {
        const PlotSpec& spec = kPlots[p];
        plans[p].id = spec.id;
        plans[p].title = spec.title();
        plans[p].weight = spec.weight;
        plans[p].log_allowed = spec.log_allowed;
        plans[p].y_include = spec.y_include;
        plans[p].help = spec.help ? spec.help() : "";
    }
    if (critic)
        plans[0].help =
            tr("The critic's and the generator's objectives, one point per step. Unlike the "
               "minimax GAN's they have no equilibrium value: read the Wasserstein estimate below "
               "instead. Right-click a plot for more.");
    for (size_t c = 0; c < names.size(); ++c) {
        MetricPlan& plan = plans[plot_of(names[c])];
        const Known* known = find_known(names[c], critic);
        plan.columns.push_back(c);
        plan.colours.push_back(free_colour(known, plan.colours));
        plan.meaning.push_back(known ? known->meaning() : "");
    }
    MetricPlan& other = plans.back();
    if (other.columns.size() == 1) {  // a single statistic: the plot is named after it
        other.title = names[other.columns[0]];
        other.title[0] =
            static_cast<char>(std::toupper(static_cast<unsigned char>(other.title[0])));
    }
    std::erase_if(plans, [](const MetricPlan& p) { return p.columns.empty(); });
    return plans;
}

std::string losses_to_come(const std::string& model) {
    if (model.rfind("cdcgan28", 0) == 0)  // dcgan28's statistics, each given the class
        return i18n::tr(
            "The discriminator's and the generator's losses, and D's beliefs about real and "
            "generated images of the class each was drawn for, will be plotted here, step by step "
            "(and FFD, when \"FFD every\" is on).");
    auto is = [&](const char* name) {
        return model == name || model.rfind(std::string(name) + ":", 0) == 0;
    };
    if (is("dcgan28"))
        return tr(
            "The discriminator's and the generator's losses, with the ln 4 and ln 2 lines where a "
            "balanced game sits, and D's beliefs about real and generated images will be plotted "
            "here, step by step (and FFD, when \"FFD every\" is on).");
    if (is("wgan_gp28"))
        return tr(
            "The critic's and the generator's losses, the critic's Wasserstein estimate and its "
            "input-gradient norm, with the penalty's target at 1, will be plotted here, step by "
            "step.");
    if (is("wgan_clip28"))
        return tr(
            "The critic's and the generator's losses and the critic's Wasserstein estimate, kept "
            "honest by clipping its weights, will be plotted here, step by step.");
    if (is("vqgan28"))
        return tr(
            "The autoencoder's losses (reconstruction, codebook, commitment), the adversarial "
            "terms and their weight λ once the discriminator starts, and how much of the codebook "
            "is in use will be plotted here, step by step.");
    if (is("prior49"))
        return tr(
            "The prior's cross-entropy of the next code, in nats and in bits per code, and how "
            "often its first guess is right will be plotted here, step by step.");
    if (is("classifier28"))
        return tr(
            "The classifier's cross-entropy and its accuracy on each batch will be plotted here, "
            "step by step.");
    if (model.rfind("toy2d", 0) == 0)
        return tr(
            "The toy GAN's losses and the discriminator's outputs on real and generated points "
            "will be plotted here, step by step.");
    return tr("The model's losses and statistics will be plotted here, step by step.");
}

}  // namespace ganvas::gui
