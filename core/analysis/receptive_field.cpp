#include "analysis/receptive_field.h"

#include <algorithm>
#include <map>
#include <numeric>
#include <stdexcept>

#include "tensor/checked_math.h"

namespace ganvas::rf {
namespace {

// Bounds that keep the analysis fast and its arithmetic far from int64's edge: every
// layer's settings are at most 1000 (padding 10000), so within one layer no product
// of these with a field's numbers comes near 2^63. Past them a layer is refused.
constexpr int64_t kMaxPhases = 4096;                // output phases of one field (upsampling 64x64)
constexpr int64_t kMaxPosition = int64_t(1) << 30;  // field ends, effective strides, sizes
constexpr int64_t kMaxWork = int64_t(1) << 25;      // hull steps over a whole network (~1 s)

std::string int_text(int64_t v) {
    return std::to_string(v);
}

// The period of a field made `factor` times finer, before its phases are allocated:
// three stride-1000 transposed convolutions would need 10^9 of them.
int64_t finer_period(const AxisField& in, int64_t factor) {
    const int64_t period = checked_mul(in.period, factor, "the field's period");
    if (period > kMaxPhases)
        throw std::invalid_argument("the field would repeat every " + int_text(period) +
                                    " output units, more than the " + int_text(kMaxPhases) +
                                    " phases Ganvas analyses (upsampling or transposed strides "
                                    "multiply to at most " +
                                    int_text(kMaxPhases) + ")");
    return period;
}

// After each layer: no field end or stride beyond kMaxPosition, so later products of
// them with unit numbers and layer settings stay exact.
void check_field_bounds(const AxisField& f) {
    if (f.global) return;
    bool inside = f.shift <= kMaxPosition;
    for (int64_t p = 0; p < f.period && inside; ++p)
        inside = f.lo[p] >= -kMaxPosition && f.lo[p] <= kMaxPosition && f.hi[p] >= -kMaxPosition &&
                 f.hi[p] <= kMaxPosition;
    if (!inside)
        throw std::invalid_argument("the receptive field grows past " + int_text(kMaxPosition) +
                                    " input positions (effective stride " + int_text(f.shift) +
                                    "/" + int_text(f.period) + "), more than Ganvas analyses");
}

int64_t floor_div(int64_t a, int64_t b) {
    int64_t q = a / b;
    return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q;
}
int64_t floor_mod(int64_t a, int64_t b) {
    return a - floor_div(a, b) * b;
}

bool empty_phase(const AxisField& f, int64_t phase) {
    return f.lo[phase] > f.hi[phase];
}

// The hull of the fields of input units [a, b] taken from `f` at the unit
// positions `units`; empty phases among them add nothing.
struct Hull {
    int64_t lo = INT64_MAX, hi = INT64_MIN;
    void add(const AxisField& f, int64_t u) {
        if (empty_phase(f, floor_mod(u, f.period))) return;
        lo = std::min(lo, f.first(u));
        hi = std::max(hi, f.last(u));
    }
    bool empty() const { return lo > hi; }
};

void set_phase(AxisField& out, int64_t phase, const Hull& h) {
    if (h.empty()) {
        out.lo[phase] = 0;
        out.hi[phase] = -1;
    } else {
        out.lo[phase] = h.lo;
        out.hi[phase] = h.hi;
    }
}

// The smallest period that describes the same field: a stride-2 convolution
// after a stride-2 transposed convolution is translation invariant again.
void reduce_period(AxisField& f) {
    for (int64_t p = 1; p < f.period; ++p) {
        if (f.period % p != 0 || (f.shift * p) % f.period != 0) continue;
        const int64_t step = f.shift * p / f.period;
        bool same = true;
        for (int64_t i = 0; i + p < f.period && same; ++i) {
            const bool e0 = empty_phase(f, i), e1 = empty_phase(f, i + p);
            same = e0 == e1 &&
                   (e0 || (f.lo[i + p] == f.lo[i] + step && f.hi[i + p] == f.hi[i] + step));
        }
        if (!same) continue;
        f.period = p;
        f.shift = step;
        f.lo.resize(p);
        f.hi.resize(p);
        return;
    }
}

AxisField through_conv(const AxisField& in, int64_t k, int64_t s, int64_t p, int64_t d) {
    AxisField out;
    const int64_t g = std::gcd(in.period, s);
    out.period = in.period / g;
    out.shift = checked_mul(in.shift, s / g, "the effective stride");
    out.lo.assign(out.period, 0);
    out.hi.assign(out.period, 0);
    for (int64_t phase = 0; phase < out.period; ++phase) {
        Hull h;
        for (int64_t t = 0; t < k; ++t) h.add(in, phase * s - p + t * d);
        set_phase(out, phase, h);
    }
    return out;
}

// Output o of a transposed convolution receives input i when o = i*s - p + t*d.
AxisField through_deconv(const AxisField& in, int64_t k, int64_t s, int64_t p, int64_t d) {
    AxisField out;
    out.period = finer_period(in, s);
    out.shift = in.shift;
    out.lo.assign(out.period, 0);
    out.hi.assign(out.period, 0);
    for (int64_t phase = 0; phase < out.period; ++phase) {
        Hull h;
        for (int64_t t = 0; t < k; ++t) {
            const int64_t num = phase + p - t * d;
            if (floor_mod(num, s) == 0) h.add(in, floor_div(num, s));
        }
        set_phase(out, phase, h);
    }
    return out;
}

AxisField through_upsample(const AxisField& in, Kind kind, int64_t scale) {
    AxisField out;
    out.period = finer_period(in, scale);
    out.shift = in.shift;
    out.lo.assign(out.period, 0);
    out.hi.assign(out.period, 0);
    for (int64_t phase = 0; phase < out.period; ++phase) {
        Hull h;
        for (int64_t i : upsample_taps(kind, scale, phase)) h.add(in, i);
        set_phase(out, phase, h);
    }
    return out;
}

// The same field written with period `period` (a multiple of f.period).
AxisField expand(const AxisField& f, int64_t period) {
    AxisField out;
    out.period = period;
    out.shift = checked_mul(f.shift, period / f.period, "the effective stride");
    out.lo.resize(period);
    out.hi.resize(period);
    for (int64_t u = 0; u < period; ++u) {
        out.lo[u] = f.first(u);
        out.hi[u] = f.last(u);
    }
    return out;
}

std::string stride_text(const AxisField& f) {
    const int64_t g = std::gcd(f.shift, f.period);  // 2/4 reads 1/2
    if (f.shift % f.period == 0) return std::to_string(f.shift / f.period);
    return std::to_string(f.shift / g) + "/" + std::to_string(f.period / g);
}

const char* axis_name(int axis) {
    return axis == 0 ? "height" : "width";
}

// Residual adds and concatenations need every path on the same grid: the same
// effective stride and the same centre for every unit.
AxisField merge(const std::string& at, const std::vector<std::string>& names,
                const std::vector<const AxisField*>& fields, int axis) {
    for (const AxisField* f : fields)
        if (f->global) {
            AxisField g;
            g.global = true;
            return g;
        }
    int64_t period = 1;
    for (const AxisField* f : fields) {
        period = std::lcm(period, f->period);  // each at most kMaxPhases: no overflow
        if (period > kMaxPhases)
            throw std::invalid_argument("paths meeting at '" + at + "' repeat together every " +
                                        int_text(period) + " output units, more than the " +
                                        int_text(kMaxPhases) + " phases Ganvas analyses");
    }
    std::vector<AxisField> same;
    for (const AxisField* f : fields) same.push_back(expand(*f, period));
    for (size_t i = 1; i < same.size(); ++i) {
        const AxisField &a = same[0], &b = same[i];
        const std::string paths = "paths '" + names[0] + "' and '" + names[i] + "' meet at '" + at +
                                  "' misaligned along the " + axis_name(axis) + ": ";
        if (a.shift != b.shift)
            throw std::invalid_argument(paths + "effective stride " + stride_text(*fields[0]) +
                                        " vs " + stride_text(*fields[i]));
        for (int64_t u = 0; u < period; ++u) {
            const int64_t ca = a.lo[u] + a.hi[u], cb = b.lo[u] + b.hi[u];  // twice the centres
            if (ca != cb)
                throw std::invalid_argument(
                    paths + "unit " + std::to_string(u) + " is centred on input position " +
                    std::to_string(ca / 2.0) + " vs " + std::to_string(cb / 2.0));
        }
    }
    AxisField out = same[0];
    for (size_t i = 1; i < same.size(); ++i)
        for (int64_t u = 0; u < period; ++u) {
            out.lo[u] = std::min(out.lo[u], same[i].lo[u]);
            out.hi[u] = std::max(out.hi[u], same[i].hi[u]);
        }
    reduce_period(out);
    return out;
}

AxisField through_layer(const AxisField& in, const Layer& l, int a) {
    switch (l.kind) {
        case Kind::conv:
            return through_conv(in, l.kernel[a], l.stride[a], l.padding[a], l.dilation[a]);
        case Kind::maxpool:
        case Kind::avgpool:
            return through_conv(in, l.kernel[a], l.stride[a], l.padding[a], 1);
        case Kind::deconv:
            return through_deconv(in, l.kernel[a], l.stride[a], l.padding[a], l.dilation[a]);
        case Kind::upsample:
        case Kind::bilinear:
        case Kind::bicubic:
            return through_upsample(in, l.kind, l.scale[a]);
        default:
            return in;
    }
}

void check_layer(const Layer& l) {
    auto positive = [&](const Pair& v, const char* what) {
        if (v[0] < 1 || v[1] < 1)
            throw std::invalid_argument("layer '" + l.name + "': " + what + " must be at least 1");
    };
    auto non_negative = [&](const Pair& v, const char* what) {
        if (v[0] < 0 || v[1] < 0)
            throw std::invalid_argument("layer '" + l.name + "': " + what +
                                        " must not be negative");
    };
    positive(l.kernel, "kernel");
    positive(l.stride, "stride");
    positive(l.dilation, "dilation");
    positive(l.scale, "scale");
    non_negative(l.padding, "padding");
    non_negative(l.output_padding, "output_padding");
    for (int a = 0; a < 2; ++a) {
        if (l.kernel[a] > 1000 || l.stride[a] > 1000 || l.dilation[a] > 1000 || l.scale[a] > 1000 ||
            l.padding[a] > 10000)
            throw std::invalid_argument("layer '" + l.name +
                                        "': kernel, stride, dilation and scale must be at most "
                                        "1000, padding at most 10000");
        if (l.kind == Kind::deconv && l.output_padding[a] >= std::max(l.stride[a], l.dilation[a]))
            throw std::invalid_argument("layer '" + l.name +
                                        "': output_padding must be smaller than the stride "
                                        "or the dilation");
    }
}

}  // namespace

int64_t AxisField::first(int64_t u) const {
    return checked_add(lo[floor_mod(u, period)],
                       checked_mul(floor_div(u, period), shift, "a unit's field"),
                       "a unit's field");
}
int64_t AxisField::last(int64_t u) const {
    return checked_add(hi[floor_mod(u, period)],
                       checked_mul(floor_div(u, period), shift, "a unit's field"),
                       "a unit's field");
}
int64_t AxisField::size(std::optional<int64_t> input_size) const {
    if (global) return input_size.value_or(0);
    int64_t widest = 0;
    for (int64_t p = 0; p < period; ++p) widest = std::max(widest, phase_size(p));
    return widest;
}

bool is_upsampling(Kind k) {
    return k == Kind::upsample || k == Kind::bilinear || k == Kind::bicubic;
}

std::vector<int64_t> upsample_taps(Kind kind, int64_t scale, int64_t u) {
    if (kind == Kind::upsample) return {floor_div(u, scale)};
    // The sample point (u + 0.5) / scale - 0.5 = num / den, in integers.
    const int64_t num = 2 * u + 1 - scale, den = 2 * scale;
    const int64_t i0 = floor_div(num, den);
    if (floor_mod(num, den) == 0) return {i0};
    if (kind == Kind::bilinear) return {i0, i0 + 1};
    return {i0 - 1, i0, i0 + 1, i0 + 2};
}

std::string kind_name(Kind k) {
    switch (k) {
        case Kind::conv:
            return "conv";
        case Kind::maxpool:
            return "maxpool";
        case Kind::avgpool:
            return "avgpool";
        case Kind::deconv:
            return "deconv";
        case Kind::upsample:
            return "upsample";
        case Kind::bilinear:
            return "bilinear";
        case Kind::bicubic:
            return "bicubic";
        case Kind::elementwise:
            return "elementwise";
        case Kind::dense:
            return "dense";
        case Kind::add:
            return "add";
        case Kind::concat:
            return "concat";
    }
    return "?";
}

Kind kind_from_name(const std::string& name) {
    for (Kind k :
         {Kind::conv, Kind::maxpool, Kind::avgpool, Kind::deconv, Kind::upsample, Kind::bilinear,
          Kind::bicubic, Kind::elementwise, Kind::dense, Kind::add, Kind::concat})
        if (kind_name(k) == name) return k;
    throw std::invalid_argument("unknown layer type '" + name +
                                "' (known: conv, maxpool, avgpool, deconv, upsample, "
                                "bilinear, bicubic, elementwise, dense, add, concat)");
}

int64_t output_length(const Layer& l, int a, int64_t n) {
    check_layer(l);
    if (n < 0 || n > kMaxPosition)
        throw std::invalid_argument("layer '" + l.name + "' takes an input " + axis_name(a) +
                                    " of " + int_text(n) + ", outside 0 to " +
                                    int_text(kMaxPosition));
    int64_t out = n;
    switch (l.kind) {
        case Kind::conv:
        case Kind::maxpool:
        case Kind::avgpool: {
            // n and every setting are bounded (kMaxPosition, check_layer), so these
            // sums and products are far inside int64.
            const int64_t d = l.kind == Kind::conv ? l.dilation[a] : 1;
            out = floor_div(n + 2 * l.padding[a] - d * (l.kernel[a] - 1) - 1, l.stride[a]) + 1;
            break;
        }
        case Kind::deconv:
            out = (n - 1) * l.stride[a] - 2 * l.padding[a] + l.dilation[a] * (l.kernel[a] - 1) +
                  l.output_padding[a] + 1;
            break;
        case Kind::upsample:
        case Kind::bilinear:
        case Kind::bicubic:
            out = n * l.scale[a];
            break;
        case Kind::dense:
            out = 1;
            break;
        default:
            break;
    }
    if (out > kMaxPosition)
        throw std::invalid_argument("layer '" + l.name + "' makes an output " + axis_name(a) +
                                    " of " + int_text(out) + ", more than the " +
                                    int_text(kMaxPosition) + " Ganvas analyses");
    if (out < 1)
        throw std::invalid_argument("layer '" + l.name + "' leaves no output: its " + axis_name(a) +
                                    " " + std::to_string(n) + " is too small for kernel " +
                                    std::to_string(l.kernel[a]));
    return out;
}

std::vector<LayerField> compute(const Network& net) {
    std::map<std::string, size_t> index;  // layer name -> position in `out`
    int64_t work = 0;
    std::vector<LayerField> out;
    LayerField input;
    input.layer.name = "input";
    input.output_size = net.input_size;
    if (net.input_size)
        for (int a = 0; a < 2; ++a)
            if ((*net.input_size)[a] < 1 || (*net.input_size)[a] > 1000000)
                throw std::invalid_argument("the input size must be between 1 and 1000000");
    auto find = [&](const std::string& name, const std::string& user) -> const LayerField& {
        if (name == "input") return input;
        auto it = index.find(name);
        if (it == index.end())
            throw std::invalid_argument("layer '" + user + "' takes input '" + name +
                                        "', which is not an earlier layer");
        return out[it->second];
    };
    for (size_t i = 0; i < net.layers.size(); ++i) {
        const Layer& l = net.layers[i];
        check_layer(l);
        if (l.name.empty() || l.name == "input" || index.count(l.name))
            throw std::invalid_argument("layer " + std::to_string(i) +
                                        " needs a unique name other than 'input', not '" + l.name +
                                        "'");
        std::vector<std::string> from = l.inputs;
        if (from.empty()) from.push_back(out.empty() ? "input" : out.back().layer.name);
        const bool merging = l.kind == Kind::add || l.kind == Kind::concat;
        if (!merging && from.size() != 1)
            throw std::invalid_argument("layer '" + l.name + "' is a " + kind_name(l.kind) +
                                        " and takes one input, not " + std::to_string(from.size()));
        std::vector<const LayerField*> srcs;
        for (auto& name : from) srcs.push_back(&find(name, l.name));

        LayerField f;
        f.layer = l;
        for (int a = 0; a < 2; ++a) {
            const AxisField& in = srcs[0]->axis[a];
            if (merging) {
                std::vector<const AxisField*> fields;
                for (auto* s : srcs) fields.push_back(&s->axis[a]);
                f.axis[a] = merge(l.name, from, fields, a);
                continue;
            }
            if (in.global || l.kind == Kind::dense) {
                f.axis[a] = AxisField{};
                f.axis[a].global = true;
                continue;
            }
            try {
                f.axis[a] = through_layer(in, l, a);
                // Each layer costs phases x taps; a long list of wide layers at many
                // phases is refused rather than left running for minutes.
                work += f.axis[a].period * (is_upsampling(l.kind) ? 4 : l.kernel[a]);
                if (work > kMaxWork)
                    throw std::invalid_argument(
                        "the layers so far need more than " + int_text(kMaxWork) +
                        " steps of field arithmetic (phases x kernel, summed), more than "
                        "Ganvas analyses");
                reduce_period(f.axis[a]);
                check_field_bounds(f.axis[a]);
            } catch (const std::exception& e) {  // the bounds above, or an overflow
                throw std::invalid_argument("layer '" + l.name + "' (" + axis_name(a) +
                                            "): " + e.what());
            }
        }
        if (std::all_of(srcs.begin(), srcs.end(),
                        [](auto* s) { return s->output_size.has_value(); })) {
            Pair size{};
            for (int a = 0; a < 2; ++a) {
                size[a] = output_length(l, a, (*srcs[0]->output_size)[a]);
                for (auto* s : srcs)
                    if (merging && (*s->output_size)[a] != size[a])
                        throw std::invalid_argument(
                            "paths '" + from[0] + "' and '" + s->layer.name + "' meet at '" +
                            l.name + "' with different sizes: " + std::to_string(size[a]) + " vs " +
                            std::to_string((*s->output_size)[a]));
            }
            f.output_size = size;
        }
        index[l.name] = out.size();
        out.push_back(std::move(f));
    }
    return out;
}

std::array<Range, 2> units_read(const Network& net, int from, int to, Pair unit) {
    Network part;
    for (int i = from + 1; i <= to; ++i) {
        Layer l = net.layers.at(static_cast<size_t>(i));
        if (l.kind == Kind::add || l.kind == Kind::concat) l.kind = Kind::elementwise;
        l.inputs.clear();
        part.layers.push_back(l);
    }
    std::array<Range, 2> out;
    if (part.layers.empty()) return {Range{unit[0], unit[0]}, Range{unit[1], unit[1]}};
    const LayerField last = compute(part).back();
    for (int a = 0; a < 2; ++a) {
        const AxisField& f = last.axis[a];
        if (f.global)
            out[a] = {INT64_MIN, INT64_MAX};
        else
            out[a] = {f.first(unit[a]), f.last(unit[a])};
    }
    return out;
}

ChainNumbers closed_form(const std::vector<Layer>& chain, int a) {
    ChainNumbers n{1, 1, 0};
    for (const Layer& l : chain) {
        check_layer(l);
        const int64_t d = l.kind == Kind::conv ? l.dilation[a] : 1;
        const int64_t k = d * (l.kernel[a] - 1) + 1;
        // n.stride is prod_{i<l} s_i here
        n.field = checked_add(n.field, checked_mul(k - 1, n.stride, "the field"), "the field");
        n.padding = checked_add(n.padding, checked_mul(l.padding[a], n.stride, "the padding"),
                                "the padding");
        n.stride = checked_mul(n.stride, l.stride[a], "the effective stride");
    }
    return n;
}

int64_t top_down_field(const std::vector<Layer>& chain, int a) {
    int64_t r = 1;
    for (auto it = chain.rbegin(); it != chain.rend(); ++it) {
        check_layer(*it);
        const int64_t d = it->kind == Kind::conv ? it->dilation[a] : 1;
        const int64_t k = d * (it->kernel[a] - 1) + 1;
        r = checked_add(checked_mul(it->stride[a], r, "the field"), k - it->stride[a], "the field");
    }
    return r;
}

namespace {

Layer square(const std::string& name, Kind kind, int64_t k, int64_t s, int64_t p) {
    Layer l;
    l.name = name;
    l.kind = kind;
    l.kernel = {k, k};
    l.stride = {s, s};
    l.padding = {p, p};
    return l;
}

// TF-slim's nets/vgg.py vgg_16 up to pool5: 3x3 SAME convolutions, 2x2/2 VALID pooling.
Network vgg16() {
    Network n;
    n.name = "vgg16";
    n.input_note = "TF-slim vgg_16, up to pool5";
    n.input_size = Pair{224, 224};
    const int convs[5] = {2, 2, 3, 3, 3};
    for (int b = 1; b <= 5; ++b) {
        const std::string block = "conv" + std::to_string(b);
        for (int c = 1; c <= convs[b - 1]; ++c)
            n.layers.push_back(
                square(block + "/" + block + "_" + std::to_string(c), Kind::conv, 3, 1, 1));
        n.layers.push_back(square("pool" + std::to_string(b), Kind::maxpool, 2, 2, 0));
    }
    return n;
}

// TF-slim's nets/alexnet.py alexnet_v2 up to pool5 (fc6 onwards are convolutions
// over the whole pool5 map).
Network alexnet_v2() {
    Network n;
    n.name = "alexnet_v2";
    n.input_note = "TF-slim alexnet_v2, up to pool5";
    n.input_size = Pair{224, 224};
    n.layers = {square("conv1", Kind::conv, 11, 4, 0), square("pool1", Kind::maxpool, 3, 2, 0),
                square("conv2", Kind::conv, 5, 1, 2),  square("pool2", Kind::maxpool, 3, 2, 0),
                square("conv3", Kind::conv, 3, 1, 1),  square("conv4", Kind::conv, 3, 1, 1),
                square("conv5", Kind::conv, 3, 1, 1),  square("pool5", Kind::maxpool, 3, 2, 0)};
    return n;
}

}  // namespace

std::vector<std::string> builtin_architecture_names() {
    return {"vgg16", "alexnet_v2"};
}

std::optional<Network> builtin_architecture(const std::string& name) {
    if (name == "vgg16") return vgg16();
    if (name == "alexnet_v2") return alexnet_v2();
    return std::nullopt;
}

}  // namespace ganvas::rf
