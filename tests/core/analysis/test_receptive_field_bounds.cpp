// Receptive-field arithmetic from a user's layer list stays exact or is refused naming
// the layer: strides that multiply past int64, periods that would need billions of
// phases, outputs too long to describe.
#include <gtest/gtest.h>

#include <limits>
#include <stdexcept>
#include <string>

#include "analysis/receptive_field.h"

using namespace ganvas::rf;

namespace {

Layer layer(const std::string& name, Kind kind, int64_t stride, int64_t padding = 0) {
    Layer l;
    l.name = name;
    l.kind = kind;
    l.kernel = {3, 3};
    l.stride = {stride, stride};
    l.padding = {padding, padding};
    if (kind == Kind::upsample) {
        l.kernel = {1, 1};
        l.stride = {1, 1};
        l.scale = {stride, stride};
    }
    return l;
}

Network chain(Kind kind, int count, int64_t stride, int64_t padding = 0) {
    Network net;
    for (int i = 1; i <= count; ++i)
        net.layers.push_back(
            layer(std::string("l").append(std::to_string(i)), kind, stride, padding));
    return net;
}

std::string compute_error(const Network& net) {
    try {
        compute(net);
    } catch (const std::invalid_argument& e) {
        return e.what();
    }
    return "(no error)";
}

}  // namespace

TEST(ReceptiveFieldBounds, StridesMultiplyingPastTheBoundAreRefusedAtTheirLayer) {
    // 1000^7 wrapped int64; the field is refused once it passes 2^30 positions.
    const std::string e = compute_error(chain(Kind::conv, 7, 1000));
    EXPECT_EQ(e.rfind("layer 'l4' (height): the receptive field grows past 1073741824 input "
                      "positions (effective stride 1000000000000/1)",
                      0),
              0u)
        << e;
    // Padding 10000 behind two strides of 1000 reaches 10^10 positions before the input.
    const std::string padded = compute_error(chain(Kind::conv, 7, 1000, 10000));
    EXPECT_EQ(padded.rfind("layer 'l3' (height): the receptive field grows past", 0), 0u) << padded;
    EXPECT_EQ(compute(chain(Kind::conv, 3, 1000)).back().axis[0].shift, 1000000000);
}

TEST(ReceptiveFieldBounds, PeriodsNeedingMillionsOfPhasesAreRefusedBeforeAllocating) {
    // Three stride-1000 transposed convolutions asked for 10^9 phases (8 GB of them).
    const std::string deconvs = compute_error(chain(Kind::deconv, 3, 1000));
    EXPECT_EQ(deconvs,
              "layer 'l2' (height): the field would repeat every 1000000 output units, more than "
              "the 4096 phases Ganvas analyses (upsampling or transposed strides multiply to at "
              "most 4096)");
    EXPECT_EQ(compute_error(chain(Kind::upsample, 2, 1000))
                  .rfind("layer 'l2' (height): the field "
                         "would repeat every 1000000",
                         0),
              0u);
    EXPECT_EQ(compute(chain(Kind::upsample, 2, 64)).back().axis[0].period, 4096);
}

TEST(ReceptiveFieldBounds, LongListsOfWideLayersAtManyPhasesAreRefused) {
    // 64x64 upsampling leaves 4096 phases; each 1000-wide convolution then costs 4096000
    // steps an axis, and the fifth passes the 2^25 the analysis takes in all.
    Network net = chain(Kind::upsample, 2, 64);
    for (int i = 1; i <= 8; ++i) {
        Layer c = layer(std::string("c").append(std::to_string(i)), Kind::conv, 1);
        c.kernel = {1000, 1000};
        net.layers.push_back(c);
    }
    const std::string e = compute_error(net);
    EXPECT_EQ(e.rfind("layer 'c5' (height): the layers so far need more than 33554432 steps", 0),
              0u)
        << e;
    net.layers.resize(6);  // the upsamplings and c1..c4
    EXPECT_EQ(compute(net).size(), 6u);
}

TEST(ReceptiveFieldBounds, OutputSizesAreBounded) {
    Network net = chain(Kind::upsample, 2, 1000);
    net.layers.pop_back();
    net.input_size = Pair{1000000, 1000000};
    net.layers.push_back(layer("more", Kind::upsample, 2));
    EXPECT_EQ(compute_error(net),
              "layer 'more' makes an output height of 2000000000, more than the 1073741824 "
              "Ganvas analyses");
    const Layer up = layer("up", Kind::upsample, 2);
    EXPECT_THROW(output_length(up, 0, std::numeric_limits<int64_t>::max() / 2 + 1),
                 std::invalid_argument);
    EXPECT_EQ(output_length(up, 0, 10), 20);
}

TEST(ReceptiveFieldBounds, ClosedFormsAndUnitFieldsThrowRatherThanWrap) {
    Network seven = chain(Kind::conv, 7, 1000);
    for (Layer& l : seven.layers) l.kernel = {1000, 1000};  // top-down: r = 1000 r
    EXPECT_THROW(closed_form(seven.layers, 0), std::overflow_error);
    EXPECT_THROW(top_down_field(seven.layers, 0), std::overflow_error);
    const std::vector<Layer> two(seven.layers.begin(), seven.layers.begin() + 2);
    EXPECT_EQ(closed_form(two, 0).stride, 1000000);
    EXPECT_EQ(closed_form(two, 0).field, 1000000);
    EXPECT_EQ(top_down_field(two, 0), 1000000);

    AxisField f;
    f.shift = 1000;
    EXPECT_EQ(f.first(7), 7000);
    EXPECT_THROW(f.first(std::numeric_limits<int64_t>::max() / 10), std::overflow_error);
    EXPECT_THROW(f.last(std::numeric_limits<int64_t>::min() / 10), std::overflow_error);
}
