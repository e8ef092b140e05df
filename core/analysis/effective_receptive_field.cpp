#include "analysis/effective_receptive_field.h"

#include <cmath>
#include <stdexcept>

#include "autograd/autograd.h"
#include "nn/layer_trace.h"
#include "ops/ops.h"
#include "tensor/rng.h"

namespace ganvas::rf {
namespace {

const Module* find_module(const Module& m, const std::string& path) {
    const size_t dot = path.find('.');
    const std::string head = path.substr(0, dot);
    for (auto& [name, child] : m.children())
        if (name == head)
            return dot == std::string::npos ? child : find_module(*child, path.substr(dot + 1));
    return nullptr;
}

}  // namespace

Erf describe_map(Tensor map) {
    Erf e;
    const int64_t h = map.size(0), w = map.size(1);
    const float* p = map.data();
    double m = 0, sr = 0, sc = 0, srr = 0, scc = 0;
    for (int64_t r = 0; r < h; ++r)
        for (int64_t c = 0; c < w; ++c) {
            const double v = p[r * w + c];
            m += v;
            sr += v * r;
            sc += v * c;
            srr += v * r * r;
            scc += v * c * c;
        }
    e.mass = m;
    if (m > 0) {
        e.centre = {sr / m, sc / m};
        e.spread = {std::sqrt(std::max(0.0, srr / m - e.centre[0] * e.centre[0])),
                    std::sqrt(std::max(0.0, scc / m - e.centre[1] * e.centre[1]))};
    }
    e.map = std::move(map);
    return e;
}

Erf effective_receptive_field(const FeatureFn& features, const Tensor& images, int64_t row,
                              int64_t col) {
    GradModeGuard grad_on(true);
    Tensor x = images.detach().clone();  // (B, C, H, W)
    x.requires_grad_(true);
    Tensor y = features(x);  // (B, K, Ho, Wo)
    if (y.dim() != 4 || row < 0 || col < 0 || row >= y.size(2) || col >= y.size(3))
        throw std::invalid_argument("unit (" + std::to_string(row) + ", " + std::to_string(col) +
                                    ") is outside the feature map " + shape_str(y.shape()));
    // Select the unit in every channel and batch item: the items are independent
    // (eval mode), so one backward pass gives each item's gradient.
    Tensor mask = Tensor::zeros({1, y.size(1), y.size(2), y.size(3)});
    for (int64_t k = 0; k < y.size(1); ++k)
        mask.data()[(k * y.size(2) + row) * y.size(3) + col] = 1;
    Tensor g = grad({sum(mul(y, mask))}, {x})[0];  // (B, C, H, W)
    Tensor per_pixel = sum(abs(g), {0, 1});        // (H, W)
    return describe_map(mul_scalar(per_pixel, 1.0f / static_cast<float>(x.size(0))).detach());
}

double mass_share(const Tensor& map, int64_t r0, int64_t r1, int64_t c0, int64_t c1) {
    const int64_t h = map.size(0), w = map.size(1);
    double inside = 0, total = 0;
    for (int64_t r = 0; r < h; ++r)
        for (int64_t c = 0; c < w; ++c) {
            const double v = map.data()[r * w + c];
            total += v;
            if (r >= r0 && r <= r1 && c >= c0 && c <= c1) inside += v;
        }
    return total > 0 ? inside / total : 0.0;
}

FeatureFn layer_features(Model& model, const std::string& prefix, const std::string& layer) {
    FeatureFn whole = model.image_network(prefix);
    if (!whole) return {};
    const Module* target = nullptr;
    for (auto& [p, net] : model.networks())
        if (p == prefix) {
            target = find_module(*net, layer);
            net->eval();  // batch statistics would mix the items' gradients
        }
    if (!target) throw std::invalid_argument(prefix + " has no layer '" + layer + "'");
    return [whole, target, name = prefix + "." + layer](const Tensor& x) {
        LayerTrace trace(true);
        whole(x);
        for (size_t i = 0; i < trace.outputs().size(); ++i)
            if (trace.outputs()[i].first == target) return trace.tensors()[i];
        throw std::runtime_error(name + " did not run");
    };
}

Erf conv_stack_erf(int depth, const StackOptions& o) {
    if (depth < 1 || depth > 256)
        throw std::invalid_argument("the depth must be between 1 and 256");
    Rng rng(o.seed);
    const int64_t size = 2 * depth + 9, c = o.channels;
    std::vector<Tensor> weights;
    for (int l = 0; l < depth; ++l) {
        const int64_t cin = l == 0 ? 1 : c;
        Tensor w = o.uniform ? Tensor::ones({c, cin, 3, 3})
                             : mul_scalar(rng.randn({c, cin, 3, 3}),
                                          1.0f / std::sqrt(9.0f * static_cast<float>(cin)));
        weights.push_back(w);  // (C, Cin, 3, 3)
    }
    Conv2dParams same;
    same.padding = {1, 1};
    FeatureFn stack = [&](const Tensor& x) {
        Tensor h = x;  // (B, 1, size, size)
        for (int l = 0; l < depth; ++l) {
            h = conv2d(h, weights[l], Tensor{}, same);
            if (o.relu && l + 1 < depth) h = relu(h);
        }
        return h;  // (B, C, size, size)
    };
    Tensor images = rng.randn({o.batch, 1, size, size});
    return effective_receptive_field(stack, images, size / 2, size / 2);
}

double uniform_stack_spread(int depth) {
    return std::sqrt(2.0 * depth / 3.0);
}

}  // namespace ganvas::rf
