#include "analysis/model_receptive_field.h"

#include <map>
#include <stdexcept>

#include "analysis/receptive_field_file.h"
#include "nn/layer_trace.h"
#include "nn/layers.h"
#include "tensor/rng.h"

namespace ganvas::rf {
namespace {

// Leaf modules (the layers) under `m`, by their path inside the network.
void collect_leaves(const Module& m, const std::string& path,
                    std::map<const Module*, std::string>& out) {
    if (m.children().empty() && !path.empty()) out[&m] = path;
    for (auto& [name, child] : m.children())
        collect_leaves(*child, path.empty() ? name : path + "." + name, out);
}

Pair to_pair(const std::array<int64_t, 2>& a) {
    return {a[0], a[1]};
}

bool spatial(const Shape& s) {
    return s.size() == 4;
}

// The layer as the analysis sees it; `in` is the shape that reached it when known.
Layer describe(const Module& m, const std::string& name, const Shape& in, const Shape& out) {
    Layer l;
    l.name = name;
    if (auto* c = dynamic_cast<const Conv2d*>(&m)) {
        l.kind = Kind::conv;
        l.kernel = {c->weight.size(2), c->weight.size(3)};  // (out, in, kh, kw)
        l.stride = to_pair(c->params.stride);
        l.padding = to_pair(c->params.padding);
        l.dilation = to_pair(c->params.dilation);
    } else if (auto* t = dynamic_cast<const ConvTranspose2d*>(&m)) {
        l.kind = Kind::deconv;
        l.kernel = {t->weight.size(2), t->weight.size(3)};  // (in, out, kh, kw)
        l.stride = to_pair(t->params.stride);
        l.padding = to_pair(t->params.padding);
        l.dilation = to_pair(t->params.dilation);
        l.output_padding = to_pair(t->params.output_padding);
    } else if (dynamic_cast<const Linear*>(&m) || !spatial(out) ||
               m.type_name().find("ttention") != std::string::npos) {
        l.kind = Kind::dense;  // every position of its input (after a flatten), or attention
    } else if (spatial(in) && spatial(out)) {
        // Unknown layer: judged by its weight and what it does to the shape.
        const Tensor* kernel = nullptr;
        NamedTensors params = m.named_parameters();
        for (auto& [pname, t] : params)
            if (t.dim() == 4 && pname.find("weight") != std::string::npos) kernel = &t;
        for (int a = 0; a < 2; ++a) {
            const int64_t hi = in[2 + a], ho = out[2 + a];
            if (kernel) {
                // A convolution in disguise (a wrapped or re-implemented conv): its kernel
                // from the weight, the stride from the sizes, the padding that makes them fit.
                const int64_t k = kernel->size(2 + a);
                l.kernel[a] = k;
                if (ho > hi) {
                    l.kind = Kind::deconv;
                    l.stride[a] = ho / hi;
                    l.padding[a] = std::max<int64_t>(0, ((hi - 1) * l.stride[a] + k - ho) / 2);
                } else {
                    l.kind = Kind::conv;
                    l.stride[a] = (hi + ho - 1) / ho;
                    l.padding[a] = std::max<int64_t>(0, ((ho - 1) * l.stride[a] + k - hi + 1) / 2);
                }
            } else if (ho > hi && ho % hi == 0) {
                l.kind = Kind::upsample;
                l.scale[a] = ho / hi;
            } else if (ho < hi && hi % ho == 0) {
                l.kind = Kind::avgpool;
                l.kernel[a] = l.stride[a] = hi / ho;
            } else if (ho != hi) {
                throw std::invalid_argument("layer '" + name + "' (" + m.type_name() +
                                            ") changes the size from " + std::to_string(hi) +
                                            " to " + std::to_string(ho) +
                                            ", which is no integer resampling");
            }
        }
    }
    return l;
}

// The input size that gives output `out` (the smallest one, for strided convolutions).
int64_t inverse_length(const Layer& l, int a, int64_t out) {
    const int64_t d = l.kind == Kind::conv ? l.dilation[a] : 1;
    switch (l.kind) {
        case Kind::conv:
        case Kind::maxpool:
        case Kind::avgpool:
            return (out - 1) * l.stride[a] - 2 * l.padding[a] + d * (l.kernel[a] - 1) + 1;
        case Kind::deconv:
            return (out - 1 - l.output_padding[a] - l.dilation[a] * (l.kernel[a] - 1) +
                    2 * l.padding[a]) /
                       l.stride[a] +
                   1;
        case Kind::upsample:
        case Kind::bilinear:
        case Kind::bicubic:
            return out / l.scale[a];
        default:
            return out;
    }
}

bool produces(const Layer& l, const Pair& in, const Shape& out) {
    try {
        return output_length(l, 0, in[0]) == out[2] && output_length(l, 1, in[1]) == out[3];
    } catch (const std::invalid_argument&) {
        return false;
    }
}

}  // namespace

std::vector<Network> model_networks(Model& model, const Batch& example) {
    LayerTrace trace;
    model.trace_forward(example);
    std::vector<Network> nets;
    for (auto& [prefix, root] : model.networks()) {
        std::map<const Module*, std::string> leaves;
        collect_leaves(*root, "", leaves);
        Network net;
        net.name = prefix;
        std::vector<std::string> before;   // layers ahead of the first feature map
        std::vector<Layer> before_layers;  // and their descriptions
        Shape prev = example.images.defined() ? example.images.shape() : Shape{};
        // Output sizes of the network's nodes so far, for finding a branch's source.
        std::vector<std::pair<std::string, Pair>> nodes;
        for (auto& [module, out] : trace.outputs()) {
            auto it = leaves.find(module);
            if (it == leaves.end()) continue;
            Layer l = describe(*module, it->second, prev, out);
            if (!spatial(out) && !net.input_size) {
                before.push_back(it->second);
                before_layers.push_back(l);
                prev = out;
                continue;
            }
            if (!net.input_size) {
                if (!spatial(out))  // cannot happen: handled above
                    continue;
                Pair in;
                if (spatial(prev) && produces(l, {prev[2], prev[3]}, out)) {
                    in = {prev[2], prev[3]};
                    net.input_note = before.empty() ? "the image" : "";
                } else {
                    in = {inverse_length(l, 0, out[2]), inverse_length(l, 1, out[3])};
                }
                if (net.input_note.empty()) {
                    std::string list;
                    for (auto& b : before) list += (list.empty() ? "" : ", ") + prefix + "." + b;
                    net.input_note = "the " + std::to_string(in[0]) + "x" + std::to_string(in[1]) +
                                     " map " +
                                     (list.empty() ? "it is given" : "reshaped from " + list);
                }
                net.input_size = in;
                nodes.push_back({"input", in});
            } else if (spatial(out) && !produces(l, nodes.back().second, out) &&
                       l.kind != Kind::dense) {
                // Not fed by the layer before it: a branch (a strided shortcut). Its
                // source is the latest node whose size it maps to the traced one.
                for (auto n = nodes.rbegin(); n != nodes.rend(); ++n)
                    if (produces(l, n->second, out)) {
                        l.inputs = {n->first};
                        break;
                    }
            }
            // After an unmerged branch the chain goes on from the main path.
            if (l.inputs.empty() && !net.layers.empty() && !net.layers.back().inputs.empty() &&
                net.layers.back().kind != Kind::add)
                l.inputs = {nodes.back().first};
            const bool branch = !l.inputs.empty() && l.inputs[0] != nodes.back().first;
            net.layers.push_back(l);
            if (branch && spatial(out) && nodes.back().second == Pair{out[2], out[3]}) {
                // The branch meets the main path at this size: the residual add the trace
                // cannot see. Meeting here rather than later only widens the merged field
                // by the branch, which the main path's field holds anyway; the merge checks
                // that both paths stay aligned.
                Layer merge;
                merge.name = l.name + "+";
                merge.kind = Kind::add;
                merge.inputs = {nodes.back().first, l.name};
                net.layers.push_back(merge);
                nodes.push_back({merge.name, {out[2], out[3]}});
            } else if (!branch && spatial(out)) {
                nodes.push_back({l.name, {out[2], out[3]}});
            }
            prev = out;
        }
        if (!net.input_size) {
            // An MLP or a transformer: listed, each layer seeing the whole input (a
            // causal transformer's position t sees the whole prefix before it).
            net.input_note = "no feature maps: every layer sees the whole input";
            net.input_size = Pair{1, 1};
            for (Layer& l : before_layers) {
                l.kind = Kind::dense;
                l.kernel = l.stride = l.dilation = Pair{1, 1};
                l.padding = l.output_padding = Pair{0, 0};
                net.layers.push_back(l);
            }
        }
        nets.push_back(std::move(net));
    }
    return nets;
}

std::vector<Network> model_networks(const std::string& model_name, int64_t image_size) {
    Rng rng(0);
    std::unique_ptr<Model> model = make_model(model_name, rng);
    Batch example{Tensor::zeros(model->example_shape(image_size)), Tensor{}};
    return model_networks(*model, example);
}

std::map<std::string, std::string> layer_field_texts(const std::vector<Network>& nets) {
    std::map<std::string, std::string> out;
    for (const Network& net : nets)
        for (const LayerField& f : compute(net))
            out[net.name + "." + f.layer.name] = field_text(f, net.input_size);
    return out;
}

}  // namespace ganvas::rf
