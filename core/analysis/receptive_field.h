// Receptive fields, layer by layer (Distill, "Computing Receptive Fields of
// Convolutional Neural Networks"; google-research/receptive_field).
//
// Each axis is handled on its own. A unit u of a layer sees the input
// positions [lo(u), hi(u)] (the hull: a dilated kernel has holes inside it).
// For convolutions and pooling lo and hi are affine in u: lo(u) = lo(0) + u *
// stride, and the usual three numbers follow: field = hi(0) - lo(0) + 1,
// effective stride (jump) = stride, effective padding = -lo(0).
// Transposed convolutions and upsampling make several output units per input
// position, and those units see differently shaped fields (the checkerboard):
// lo and hi become periodic, lo(u + period) = lo(u) + shift, and the field is
// reported per output phase u mod period.
#pragma once

#include <array>
#include <optional>
#include <string>
#include <vector>

namespace ganvas::rf {

using Pair = std::array<int64_t, 2>;  // {height, width}

enum class Kind {
    conv,         // kernel, stride, padding, dilation
    maxpool,      // kernel, stride, padding
    avgpool,      // kernel, stride, padding
    deconv,       // transposed conv: kernel, stride, padding, dilation, output_padding
    upsample,     // nearest-neighbour, by `scale`
    bilinear,     // bilinear upsampling by `scale`, align_corners=False: 1 or 2 inputs per output
    bicubic,      // bicubic upsampling by `scale`, align_corners=False: 1 or 4 inputs per output
    elementwise,  // activations, normalisation: the field passes through
    dense,        // linear / flatten / attention: every input position
    add,          // residual sum of its inputs (paths must align)
    concat,       // channel concatenation of its inputs (paths must align)
};
std::string kind_name(Kind k);
// "conv", "maxpool", ...; throws std::invalid_argument listing the known types.
Kind kind_from_name(const std::string& name);

struct Layer {
    std::string name;
    Kind kind = Kind::elementwise;
    Pair kernel{1, 1}, stride{1, 1}, padding{0, 0}, dilation{1, 1}, output_padding{0, 0};
    Pair scale{1, 1};                 // upsample, bilinear, bicubic
    std::vector<std::string> inputs;  // empty: the previous layer (or the input)
};

// A network: layers in evaluation order. Inputs refer to earlier layer names
// or to "input".
struct Network {
    std::string name;
    std::string input_note;  // what "input" is ("the 7x7 map G.fc is reshaped to")
    std::optional<Pair> input_size;
    std::vector<Layer> layers;
};

// The field along one axis, as periodic functions of the output unit u.
struct AxisField {
    int64_t period = 1;                 // output units per repeat
    int64_t shift = 1;                  // input positions the field moves per period
    std::vector<int64_t> lo{0}, hi{0};  // per phase; lo > hi: that phase sees nothing
    bool global = false;                // sees the whole input (after a dense layer)

    int64_t first(int64_t u) const;  // lo(u); std::overflow_error past int64
    int64_t last(int64_t u) const;   // hi(u)
    // The widest field over the phases (or the whole input when global).
    int64_t size(std::optional<int64_t> input_size = {}) const;
    int64_t phase_size(int64_t phase) const { return hi[phase] - lo[phase] + 1; }
    double stride() const { return static_cast<double>(shift) / static_cast<double>(period); }
    int64_t padding() const { return -lo[0]; }  // of the first unit
};

struct LayerField {
    Layer layer;
    std::array<AxisField, 2> axis;    // height, width
    std::optional<Pair> output_size;  // when the input size is known
};

// Fields of every layer, cumulative from the input. Throws std::invalid_argument
// for bad layers (kernel < 1, unknown input names), for branches that meet
// misaligned, naming the two paths, and, naming the layer, for a field that would
// repeat over more than 4096 output phases or reach past 2^30 input positions, or an
// output side past 2^30, or a network needing more than 2^25 steps (phases x kernel,
// summed over its layers): bounds that keep the analysis quick and its arithmetic exact.
std::vector<LayerField> compute(const Network& net);

// The units of layer `from` (-1: the input) that unit `unit` of layer `to` reads
// through the layers between: per axis the range {first, last}, first > last when
// it reads none (an empty phase), and {INT64_MIN, INT64_MAX} after a dense layer.
// Follows the chain of layers; explicit branch inputs are ignored.
using Range = std::pair<int64_t, int64_t>;
std::array<Range, 2> units_read(const Network& net, int from, int to, Pair unit);

// Upsampling by a whole factor: nearest, bilinear or bicubic.
bool is_upsampling(Kind k);
// The input positions that output `unit` of an upsampling layer reads with a nonzero
// weight, on an unbounded axis (PyTorch clamps them into [0, n - 1] at the edges).
// Nearest reads floor(u / scale). Bilinear and bicubic sample at (u + 0.5) / scale - 0.5
// and read its 2 or 4 neighbours, or that one position when the sample lands on it
// (the odd scales' middle phase), where every other weight is 0 (PyTorch's float
// arithmetic leaves about 1e-8 there: a rounding error, not a dependency).
std::vector<int64_t> upsample_taps(Kind kind, int64_t scale, int64_t unit);

// One output size along one axis, or throws naming the layer when it would be empty or
// longer than 2^30.
int64_t output_length(const Layer& layer, int axis, int64_t input_length);

// Distill's formulas for a chain of conv/pool layers, for cross-checking compute():
// closed form r0 = 1 + sum (k_l - 1) prod_{i<l} s_i, P0 = sum p_l prod_{i<l} s_i, and
// the top-down recurrence r_{l-1} = s_l r_l + (k_l - s_l) from r_L = 1.
struct ChainNumbers {
    int64_t field, stride, padding;
};
// Both throw std::overflow_error rather than wrap.
ChainNumbers closed_form(const std::vector<Layer>& chain, int axis);
int64_t top_down_field(const std::vector<Layer>& chain, int axis);

// The networks that are not Ganvas models: TF-slim's vgg_16 and alexnet_v2 up to pool5.
std::vector<std::string> builtin_architecture_names();
std::optional<Network> builtin_architecture(const std::string& name);

}  // namespace ganvas::rf
