// Receptive fields: google-research/receptive_field's published numbers for
// TF-slim's vgg_16 and alexnet_v2, hand-computed dilated, asymmetric and
// transposed cases, Distill's closed form and top-down recurrence against the
// layer-by-layer composition, misaligned branches, fields read from the live
// models, and every field against the true dependency set found by autograd.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <stdexcept>

#include "analysis/model_receptive_field.h"
#include "analysis/receptive_field.h"
#include "autograd/autograd.h"
#include "nn/layer_trace.h"
#include "nn/layers.h"
#include "ops/interpolate.h"
#include "ops/ops.h"

using namespace ganvas;
using namespace ganvas::rf;

namespace {

Layer make(const std::string& name, Kind kind, Pair k, Pair s = {1, 1}, Pair p = {0, 0},
           Pair d = {1, 1}) {
    Layer l;
    l.name = name;
    l.kind = kind;
    l.kernel = k;
    l.stride = s;
    l.padding = p;
    l.dilation = d;
    return l;
}
// "l0", "l1", ...; appended, as GCC 12 warns falsely (-Wrestrict) on "l" + std::to_string(i).
std::string layer_name(int i) {
    std::string name = "l";
    name += std::to_string(i);
    return name;
}

Layer sq(const std::string& name, Kind kind, int64_t k, int64_t s = 1, int64_t p = 0,
         int64_t d = 1) {
    return make(name, kind, {k, k}, {s, s}, {p, p}, {d, d});
}

Network chain(std::vector<Layer> layers) {
    Network n;
    n.layers = std::move(layers);
    return n;
}

const LayerField& by_name(const std::vector<LayerField>& fields, const std::string& name) {
    for (auto& f : fields)
        if (f.layer.name == name) return f;
    throw std::runtime_error("no layer " + name);
}

}  // namespace

TEST(ReceptiveField, Vgg16MatchesGoogleResearch) {
    auto fields = compute(*builtin_architecture("vgg16"));
    const AxisField& last = fields.back().axis[0];
    EXPECT_EQ(fields.back().layer.name, "pool5");
    EXPECT_EQ(last.size(), 212);
    EXPECT_EQ(last.stride(), 32);
    EXPECT_EQ(last.padding(), 90);
    // The first block layer by layer: conv1_1, conv1_2, pool1, conv2_1, conv2_2, pool2.
    const int64_t expected[6] = {3, 5, 6, 10, 14, 16};
    for (int i = 0; i < 6; ++i) EXPECT_EQ(fields[i].axis[0].size(), expected[i]) << i;
    EXPECT_EQ(fields.back().output_size, (Pair{7, 7}));
}

TEST(ReceptiveField, AlexnetV2MatchesGoogleResearch) {
    auto fields = compute(*builtin_architecture("alexnet_v2"));
    const AxisField& last = fields.back().axis[1];
    EXPECT_EQ(last.size(), 195);
    EXPECT_EQ(last.stride(), 32);
    EXPECT_EQ(last.padding(), 64);
    EXPECT_EQ(fields.front().output_size, (Pair{54, 54}));  // 11x11 stride 4 VALID on 224
}

TEST(ReceptiveField, DilatedByHand) {
    // WaveNet-style 3x3 with dilations 1, 2, 4: fields 3, 7, 15.
    auto f = compute(chain({sq("a", Kind::conv, 3, 1, 1, 1), sq("b", Kind::conv, 3, 1, 2, 2),
                            sq("c", Kind::conv, 3, 1, 4, 4)}));
    EXPECT_EQ(f[0].axis[0].size(), 3);
    EXPECT_EQ(f[1].axis[0].size(), 7);
    EXPECT_EQ(f[2].axis[0].size(), 15);
    EXPECT_EQ(f[2].axis[0].padding(), 7);
    // Stride 2 before a dilated conv: 3 + (5 - 1) * 2 = 11, padding 1 + 2 * 2 = 5.
    auto g = compute(chain({sq("s", Kind::conv, 3, 2, 1), sq("d", Kind::conv, 3, 1, 2, 2)}));
    EXPECT_EQ(g[1].axis[1].size(), 11);
    EXPECT_EQ(g[1].axis[1].stride(), 2);
    EXPECT_EQ(g[1].axis[1].padding(), 5);
}

TEST(ReceptiveField, AsymmetricByHand) {
    // kernel [3, 5], stride [1, 2], padding [1, 2], then a 3x3: height 3 -> 5,
    // width 5 -> 5 + 2 * 2 = 9; strides 1 and 2; paddings 1 + 1 = 2 and 2 + 1 * 2 = 4.
    auto f = compute(chain({make("a", Kind::conv, {3, 5}, {1, 2}, {1, 2}),
                            make("b", Kind::conv, {3, 3}, {1, 1}, {1, 1})}));
    EXPECT_EQ(f[1].axis[0].size(), 5);
    EXPECT_EQ(f[1].axis[1].size(), 9);
    EXPECT_EQ(f[1].axis[0].stride(), 1);
    EXPECT_EQ(f[1].axis[1].stride(), 2);
    EXPECT_EQ(f[1].axis[0].padding(), 2);
    EXPECT_EQ(f[1].axis[1].padding(), 4);
}

TEST(ReceptiveField, ClosedFormAndTopDownAgreeWithComposition) {
    Rng rng(5);
    for (int trial = 0; trial < 200; ++trial) {
        std::vector<Layer> layers;
        const int depth = 1 + static_cast<int>(rng.randint(7));
        for (int i = 0; i < depth; ++i) {
            const Kind kind = rng.randint(3) == 0 ? Kind::maxpool : Kind::conv;
            const int64_t k = 1 + rng.randint(5), s = 1 + rng.randint(3), p = rng.randint(3);
            const int64_t d = kind == Kind::conv ? 1 + rng.randint(3) : 1;
            layers.push_back(sq(layer_name(i), kind, k, s, p, d));
        }
        auto fields = compute(chain(layers));
        ChainNumbers c = closed_form(layers, 0);
        const AxisField& last = fields.back().axis[0];
        ASSERT_EQ(last.period, 1);
        EXPECT_EQ(c.field, last.size()) << trial;
        EXPECT_EQ(c.stride, last.shift) << trial;
        EXPECT_EQ(c.padding, last.padding()) << trial;
        EXPECT_EQ(top_down_field(layers, 0), c.field) << trial;
    }
}

TEST(ReceptiveField, TransposedConvolutionPerPhase) {
    // k3 s2 p1: even outputs hear one input (t = 1), odd ones two: the checkerboard.
    Layer up = sq("up", Kind::deconv, 3, 2, 1);
    auto f = compute(chain({up}));
    ASSERT_EQ(f[0].axis[0].period, 2);
    EXPECT_EQ(f[0].axis[0].phase_size(0), 1);
    EXPECT_EQ(f[0].axis[0].phase_size(1), 2);
    EXPECT_DOUBLE_EQ(f[0].axis[0].stride(), 0.5);
    // k4 s2 p1: every output hears two inputs.
    auto g = compute(chain({sq("up", Kind::deconv, 4, 2, 1)}));
    EXPECT_EQ(g[0].axis[0].phase_size(0), 2);
    EXPECT_EQ(g[0].axis[0].phase_size(1), 2);
    // A stride-2 conv after it is translation invariant again: one phase.
    auto h = compute(chain({sq("up", Kind::deconv, 4, 2, 1), sq("down", Kind::conv, 2, 2, 0)}));
    EXPECT_EQ(h[1].axis[0].period, 1);
    EXPECT_EQ(h[1].axis[0].size(), 3);  // outputs 0 and 1 hear inputs {-1, 0} and {0, 1}
    // Nearest upsampling by 3: three phases that each see one input position.
    Layer u;
    u.name = "u";
    u.kind = Kind::upsample;
    u.scale = {3, 3};
    auto n = compute(chain({u}));
    EXPECT_EQ(n[0].axis[0].period, 3);
    EXPECT_EQ(n[0].axis[0].size(), 1);
}

TEST(ReceptiveField, BilinearAndBicubicUpsamplingReadAroundTheirSamplePoint) {
    // Output u samples the input at (u + 0.5) / s - 0.5. For s = 2 that is i - 0.25 and
    // i + 0.25 around input i: every output reads two inputs, one each side.
    EXPECT_EQ(upsample_taps(Kind::bilinear, 2, 0), (std::vector<int64_t>{-1, 0}));
    EXPECT_EQ(upsample_taps(Kind::bilinear, 2, 1), (std::vector<int64_t>{0, 1}));
    EXPECT_EQ(upsample_taps(Kind::bicubic, 2, 1), (std::vector<int64_t>{-1, 0, 1, 2}));
    // For s = 3 the middle output of each three lands on an input and reads it alone.
    EXPECT_EQ(upsample_taps(Kind::bilinear, 3, 4), (std::vector<int64_t>{1}));
    EXPECT_EQ(upsample_taps(Kind::bicubic, 3, 4), (std::vector<int64_t>{1}));
    EXPECT_EQ(upsample_taps(Kind::upsample, 3, 5), (std::vector<int64_t>{1}));

    Layer b = sq("b", Kind::bilinear, 1, 1, 0);
    b.scale = {3, 3};
    auto f = compute(chain({b}));
    ASSERT_EQ(f[0].axis[0].period, 3);
    EXPECT_EQ(f[0].axis[0].phase_size(0), 2);
    EXPECT_EQ(f[0].axis[0].phase_size(1), 1);
    EXPECT_EQ(f[0].axis[0].phase_size(2), 2);
    // Bilinear x2 then a 3x3 convolution (resize-convolution): one phase pattern,
    // every unit sees 3 inputs, unlike nearest x2 (2 inputs for every unit).
    Layer b2 = sq("b2", Kind::bilinear, 1, 1, 0);
    b2.scale = {2, 2};
    auto rc = compute(chain({b2, sq("c", Kind::conv, 3, 1, 1)}));
    EXPECT_EQ(rc[1].axis[0].phase_size(0), 3);
    EXPECT_EQ(rc[1].axis[0].phase_size(1), 3);
    EXPECT_EQ(rc[1].output_size, std::nullopt);
    Layer n2 = b2;
    n2.kind = Kind::upsample;
    auto nc = compute(chain({n2, sq("c", Kind::conv, 3, 1, 1)}));
    EXPECT_EQ(nc[1].axis[0].phase_size(0), 2);
    EXPECT_EQ(nc[1].axis[0].phase_size(1), 2);
    EXPECT_EQ(kind_from_name("bicubic"), Kind::bicubic);
}

TEST(ReceptiveField, BranchesMustAlign) {
    Layer a1 = sq("a1", Kind::conv, 3, 1, 1), a2 = sq("a2", Kind::conv, 3, 1, 1);
    Layer add;
    add.name = "sum";
    add.kind = Kind::add;
    add.inputs = {"a2", "input"};
    auto ok = compute(chain({a1, a2, add}));  // a residual block
    EXPECT_EQ(ok.back().axis[0].size(), 5);
    EXPECT_EQ(ok.back().axis[0].padding(), 2);

    // Same stride, centres one pixel apart (padding 0 instead of 1).
    Layer b = sq("b", Kind::conv, 3, 1, 0);
    b.inputs = {"input"};
    add.inputs = {"a2", "b"};
    try {
        compute(chain({a1, a2, b, add}));
        FAIL() << "misaligned branches accepted";
    } catch (const std::invalid_argument& e) {
        const std::string msg = e.what();
        EXPECT_NE(msg.find("'a2'"), std::string::npos) << msg;
        EXPECT_NE(msg.find("'b'"), std::string::npos) << msg;
        EXPECT_NE(msg.find("misaligned"), std::string::npos) << msg;
    }
    // Different strides.
    Layer c = sq("c", Kind::conv, 1, 2, 0);
    c.inputs = {"input"};
    add.inputs = {"a2", "c"};
    EXPECT_THROW(compute(chain({a1, a2, c, add})), std::invalid_argument);
}

TEST(ReceptiveField, BadLayersAreErrors) {
    EXPECT_THROW(compute(chain({sq("a", Kind::conv, 0)})), std::invalid_argument);
    EXPECT_THROW(compute(chain({sq("a", Kind::conv, 3, 0)})), std::invalid_argument);
    EXPECT_THROW(compute(chain({sq("a", Kind::conv, 3, 1, -1)})), std::invalid_argument);
    Layer l = sq("a", Kind::conv, 3);
    l.inputs = {"nowhere"};
    EXPECT_THROW(compute(chain({l})), std::invalid_argument);
    EXPECT_THROW(compute(chain({sq("a", Kind::conv, 3), sq("a", Kind::conv, 3)})),
                 std::invalid_argument);
    Network small = chain({sq("big", Kind::conv, 7)});
    small.input_size = Pair{5, 5};
    EXPECT_THROW(compute(small), std::invalid_argument);
    EXPECT_THROW(kind_from_name("conv3d"), std::invalid_argument);
}

// Every unit's field against its true dependency set: the support of the
// gradient of that unit with respect to the input, through all-ones weights
// (no cancellations) and average pooling (every window cell gets gradient), and
// through the interpolate op itself for nearest, bilinear and bicubic upsampling.
TEST(ReceptiveField, FieldIsTheSupportOfTheGradient) {
    Rng rng(11);
    int interior = 0;            // units checked exactly
    int interior_resampled = 0;  // of those, through an upsampling layer
    for (int trial = 0; trial < 60; ++trial) {
        std::vector<Layer> layers;
        const int depth = 1 + static_cast<int>(rng.randint(4));
        for (int i = 0; i < depth; ++i) {
            const int64_t pick = rng.randint(4);
            if (pick == 3) {  // upsampling, nearest, bilinear or bicubic, by 2 or 3
                const Kind kinds[] = {Kind::upsample, Kind::bilinear, Kind::bicubic};
                Layer up = sq(layer_name(i), kinds[rng.randint(3)], 1, 1, 0);
                up.scale[0] = up.scale[1] = 2 + rng.randint(2);
                layers.push_back(up);
                continue;
            }
            const Kind kind = pick == 0 ? Kind::conv : pick == 1 ? Kind::deconv : Kind::avgpool;
            const int64_t k = 1 + rng.randint(4), s = 1 + rng.randint(2);
            const int64_t d = kind == Kind::avgpool ? 1 : 1 + rng.randint(2);
            const int64_t p =
                kind == Kind::avgpool ? rng.randint(k / 2 + 1) : rng.randint(d * (k - 1) / 2 + 1);
            layers.push_back(make(layer_name(i), kind, {k, k}, {s, s}, {p, p}, {d, d}));
        }
        Network net = chain(layers);
        net.input_size = Pair{13, 13};
        std::vector<LayerField> fields;
        try {
            fields = compute(net);
        } catch (const std::invalid_argument&) {
            continue;  // too small an input for this stack
        }
        Tensor x = Tensor::ones({1, 1, 13, 13});
        x.requires_grad_(true);
        Tensor h = x;
        for (const Layer& l : layers) {
            Conv2dParams p;
            p.stride = l.stride;
            p.padding = l.padding;
            p.dilation = l.dilation;
            if (l.kind == Kind::conv)
                h = conv2d(h, Tensor::ones({1, 1, l.kernel[0], l.kernel[1]}), Tensor{}, p);
            else if (l.kind == Kind::deconv)
                h = conv_transpose2d(h, Tensor::ones({1, 1, l.kernel[0], l.kernel[1]}), Tensor{},
                                     p);
            else if (is_upsampling(l.kind)) {
                InterpolateOptions o;
                o.mode = l.kind == Kind::upsample   ? InterpMode::nearest
                         : l.kind == Kind::bilinear ? InterpMode::bilinear
                                                    : InterpMode::bicubic;
                o.scale = {static_cast<double>(l.scale[0]), static_cast<double>(l.scale[1])};
                h = interpolate(h, o);
            } else
                h = avg_pool2d(h, l.kernel[0], l.stride[0], l.padding[0]);
        }
        // The square stack's dependency set is a rectangle: its rows are the height
        // field of the unit, read at an output column whose own field lies inside the
        // image (column 0 of a transposed convolution may read nothing at all).
        const int64_t out_h = h.size(2);
        const AxisField& cols = fields.back().axis[1];
        int64_t column = -1;
        for (int64_t c = 0; c < h.size(3) && column < 0; ++c)
            if (cols.first(c) <= cols.last(c) && cols.first(c) >= 0 && cols.last(c) <= 12)
                column = c;
        if (column < 0) continue;
        ASSERT_EQ(out_h, fields.back().output_size->at(0)) << trial;
        for (int64_t u = 0; u < out_h; ++u) {
            Tensor mask = Tensor::zeros(h.shape());
            mask.data()[u * h.size(3) + column] = 1;
            Tensor g = grad({sum(mul(h, mask))}, {x})[0];  // (1, 1, 13, 13)
            // Weights that are 0 in exact arithmetic can come out near 1e-8 in float (bilinear
            // x3's middle phase samples at 1.5f * (1.0f / 3) - 0.5f, not at 0): a relative
            // 1e-6 separates those from real paths, which carry 1e-4 or more here.
            float largest = 0;
            for (int64_t i = 0; i < 13 * 13; ++i)
                largest = std::max(largest, std::fabs(g.data()[i]));
            int64_t lo = 13, hi = -1;
            for (int64_t i = 0; i < 13 * 13; ++i)
                if (std::fabs(g.data()[i]) > 1e-6f * largest)
                    lo = std::min(lo, i / 13), hi = std::max(hi, i / 13);
            const AxisField& f = fields.back().axis[0];
            const bool empty = f.lo[u % f.period] > f.hi[u % f.period];
            if (empty) {
                EXPECT_EQ(hi, -1) << "trial " << trial << " unit " << u;
            } else if (f.first(u) >= 0 && f.last(u) <= 12) {
                // Inside the image the hull's ends are real dependencies.
                EXPECT_EQ(lo, f.first(u)) << "trial " << trial << " unit " << u;
                EXPECT_EQ(hi, f.last(u)) << "trial " << trial << " unit " << u;
                ++interior;
                interior_resampled += std::any_of(layers.begin(), layers.end(), [](const Layer& l) {
                    return is_upsampling(l.kind);
                });
            } else if (hi >= 0) {
                // Reaching into padding (of the input or of a layer between), the
                // real dependencies are fewer but never outside the field.
                EXPECT_GE(lo, f.first(u)) << "trial " << trial << " unit " << u;
                EXPECT_LE(hi, f.last(u)) << "trial " << trial << " unit " << u;
            }
        }
    }
    EXPECT_GT(interior, 100);
    EXPECT_GT(interior_resampled, 30);
}

TEST(ReceptiveField, ReadFromTheLiveModels) {
    auto nets = model_networks("dcgan28");
    ASSERT_EQ(nets.size(), 2u);
    // D: c1 4x4/2 pad 1 -> 4, jump 2, pad 1; c2 -> 4 + 3 * 2 = 10, jump 4, pad 3; fc sees all.
    auto d = compute(nets[1]);
    EXPECT_EQ(nets[1].name, "D");
    EXPECT_EQ(by_name(d, "c1").axis[0].size(), 4);
    EXPECT_EQ(by_name(d, "c2").axis[0].size(), 10);
    EXPECT_EQ(by_name(d, "c2").axis[0].padding(), 3);
    EXPECT_EQ(by_name(d, "c2").output_size, (Pair{7, 7}));
    EXPECT_EQ(by_name(d, "bn2").axis[0].size(), 10);
    EXPECT_TRUE(by_name(d, "fc").axis[0].global);
    // G: from the 7x7 map fc is reshaped to, two 4x4/2 transposed convs: four
    // output phases per input position, hearing 2, 3, 3, 2 positions (by hand).
    auto g = compute(nets[0]);
    EXPECT_EQ(nets[0].input_size, (Pair{7, 7}));
    const AxisField& out = by_name(g, "up2").axis[0];
    ASSERT_EQ(out.period, 4);
    EXPECT_EQ(out.shift, 1);
    EXPECT_EQ(out.phase_size(0), 2);
    EXPECT_EQ(out.phase_size(1), 3);
    EXPECT_EQ(out.phase_size(2), 3);
    EXPECT_EQ(out.phase_size(3), 2);
    EXPECT_EQ(by_name(g, "up2").output_size, (Pair{28, 28}));

    auto texts = layer_field_texts(nets);
    EXPECT_EQ(texts.at("D.c2"), "10");
    EXPECT_EQ(texts.at("D.fc"), "28 (all)");
    EXPECT_EQ(texts.at("G.up2"), "2|3|3|2");
    EXPECT_EQ(texts.count("G.fc"), 0u);  // before the first feature map

    auto c = compute(model_networks("classifier28")[0]);
    EXPECT_EQ(by_name(c, "c3").axis[1].size(), 3 + 3 * 1 + 3 * 2);  // 3, then 4/2, then 4/2
}

TEST(ReceptiveField, UnitsReadBetweenLayers) {
    Network vgg = *builtin_architecture("vgg16");
    // pool2 unit (3, 5) in the input: rows -6 + 3 * 4 .. +15, cols -6 + 5 * 4 .. +15.
    auto in = units_read(vgg, -1, 5, {3, 5});
    EXPECT_EQ(in[0], (Range{6, 21}));
    EXPECT_EQ(in[1], (Range{14, 29}));
    // In pool1's map (layer 2) the same unit reads a 6x6 window: conv2_1, conv2_2 add 4, pool2
    // doubles.
    auto mid = units_read(vgg, 2, 5, {0, 0});
    EXPECT_EQ(mid[0], (Range{-2, 3}));
    EXPECT_EQ(units_read(vgg, 5, 5, {3, 5})[0], (Range{3, 3}));  // itself
}

namespace {

// A layer Ganvas does not know, with a 3x3 weight: a convolution in disguise.
class DisguisedConv : public Module {
public:
    DisguisedConv() { register_parameter("weight", Tensor::ones({2, 2, 3, 3})); }
    Tensor forward(const Tensor& x) const {
        Conv2dParams same;
        same.padding = {1, 1};
        Tensor y = conv2d(x, named_parameters()[0].second, Tensor{}, same);
        LayerTrace::record(this, y);
        return y;
    }
    std::string type_name() const override { return "DisguisedConv"; }
};

// A parameter-free layer that halves the size.
class Halve : public Module {
public:
    Tensor forward(const Tensor& x) const {
        Tensor y = avg_pool2d(x, 2, 2);
        LayerTrace::record(this, y);
        return y;
    }
    std::string type_name() const override { return "Halve"; }
};

// A residual block with a strided 1x1 shortcut, then the unknown layers.
class ResidualNet : public Module {
public:
    ResidualNet(Rng& rng, bool shortcut_first)
        : c1(1, 2, 3, 1, 1, false, rng),
          c2(2, 2, 3, 2, 1, false, rng),
          shortcut(2, 2, 1, 2, 0, false, rng),
          shortcut_first(shortcut_first) {
        register_module("c1", c1);
        register_module("c2", c2);
        register_module("shortcut", shortcut);
        register_module("c3", c3);
        register_module("down", down);
    }
    Tensor forward(const Tensor& x) {
        Tensor h = c1.forward(x);  // (N, 2, 16, 16)
        Tensor a, b;               // (N, 2, 8, 8) each; the trace sees them in this order
        if (shortcut_first) {
            b = shortcut.forward(h);
            a = c2.forward(h);
        } else {
            a = c2.forward(h);
            b = shortcut.forward(h);
        }
        return down.forward(c3.forward(add(a, b)));  // (N, 2, 4, 4)
    }
    Conv2d c1, c2, shortcut;
    bool shortcut_first;
    DisguisedConv c3;
    Halve down;
};

class ResidualModel : public Model {
public:
    ResidualModel(Rng& rng, bool shortcut_first) : net(rng, shortcut_first) {}
    std::string name() const override { return "residual"; }
    StepStats step(const Batch&, Rng&) override { return {}; }
    std::vector<std::pair<std::string, Module*>> networks() override { return {{"R", &net}}; }
    NamedTensors optimizer_state() const override { return {}; }
    void load_optimizer_state(const std::map<std::string, Tensor>&, const std::string&) override {}
    void trace_forward(const Batch& batch) override {
        NoGradGuard no_grad;
        net.forward(batch.images);
    }
    ResidualNet net;
};

}  // namespace

// The trace shows no adds: a layer that does not fit the layer before it is a
// branch from an earlier map and meets the main path where its size matches,
// whichever of the two paths ran first.
TEST(ReceptiveField, ShortcutsAndUnknownLayersFromTheTrace) {
    for (bool shortcut_first : {false, true}) {
        Rng rng(1);
        ResidualModel model(rng, shortcut_first);
        auto nets = model_networks(model, Batch{Tensor::zeros({1, 1, 16, 16}), Tensor{}});
        ASSERT_EQ(nets.size(), 1u);
        const Network& net = nets[0];
        ASSERT_EQ(net.layers.size(), 6u) << shortcut_first;  // c1, two paths, their add, c3, down
        const std::string branch = shortcut_first ? "c2" : "shortcut";
        EXPECT_EQ(net.layers[2].name, branch);
        EXPECT_EQ(net.layers[2].inputs, (std::vector<std::string>{"c1"}));
        EXPECT_EQ(net.layers[3].kind, Kind::add);
        EXPECT_EQ(net.layers[4].name, "c3");
        EXPECT_EQ(net.layers[4].kind, Kind::conv);  // the disguised conv
        EXPECT_EQ(net.layers[4].kernel, (Pair{3, 3}));
        EXPECT_EQ(net.layers[4].padding, (Pair{1, 1}));
        EXPECT_EQ(net.layers[5].kind, Kind::avgpool);
        EXPECT_EQ(net.layers[5].stride, (Pair{2, 2}));
        auto f = compute(net);
        EXPECT_EQ(f[3].axis[0].size(), 5) << shortcut_first;  // the add: c2's 3 + 2 covers the 1x1
        EXPECT_EQ(f[3].axis[0].stride(), 2);
        EXPECT_EQ(f[4].axis[0].size(), 9) << shortcut_first;   // c3: 5 + 2 * 2
        EXPECT_EQ(f[5].axis[0].size(), 11) << shortcut_first;  // down: 9 + 1 * 2
        EXPECT_EQ(f[5].axis[0].stride(), 4);
        EXPECT_EQ(f[5].output_size, (Pair{4, 4}));
    }
}
