#include "ops/activation.h"

#include <stdexcept>
#include <string>

#include "backend/elementwise_kernels.h"
#include "ops/dispatch.h"
#include "ops/elementwise.h"
#include "tape/tape.h"

namespace ganvas {
namespace {

void require_f32(const Tensor& t, const char* op) {
    if (!t.defined()) throw std::invalid_argument(std::string(op) + ": undefined tensor");
    if (t.dtype() != DType::f32)
        throw std::invalid_argument(std::string(op) + ": expects float32, got " +
                                    dtype_name(t.dtype()));
}

void require_same_shape(const Tensor& g, const Tensor& x, const char* op) {
    if (g.shape() != x.shape())
        throw std::invalid_argument(std::string(op) + ": gradient " + shape_str(g.shape()) +
                                    " does not match input " + shape_str(x.shape()));
}

// y = f(x) on x's device.
Tensor forward(const Tensor& x, const char* name, ActivationOp f, float slope = 0.0f) {
    require_f32(x, name);
    Backend& be = dispatch(name, {x});
    Tensor y = empty_on(x, x.shape());
    be.elementwise().activation_forward(f, slope, x.storage(), y.storage(), x.numel());
    return y;
}

// g * f'(.), read from `saved` (x or y, as activation_backward says); no graph.
Tensor derivative_times(const Tensor& g, const Tensor& saved, const char* name, ActivationOp f,
                        float slope = 0.0f) {
    require_same_shape(g, saved, name);
    Backend& be = dispatch(name, {g, saved});
    Tensor out = empty_on(saved, saved.shape());
    be.elementwise().activation_backward(f, slope, g.storage(), saved.storage(), out.storage(),
                                         saved.numel());
    return out;
}

// g * (x > 0 ? 1 : slope). Linear in g with a mask that is constant almost
// everywhere in x, so its own gradient is the same op applied to the incoming
// gradient (w.r.t. g) and nothing w.r.t. x: second derivatives through
// leaky_relu come out exactly, to any order.
Tensor leaky_relu_backward(const Tensor& g, const Tensor& x, float slope) {
    Tensor out =
        derivative_times(g, x, "leaky_relu_backward",
                         slope == 0.0f ? ActivationOp::relu : ActivationOp::leaky_relu, slope);
    return record("leaky_relu_backward", out, {g, x},
                  [x, slope](const Tensor& gg, const std::vector<bool>& need) {
                      Tensor dg = need[0] ? leaky_relu_backward(gg, x, slope) : Tensor();
                      return std::vector<Tensor>{dg, Tensor()};
                  });
}

// relu is leaky_relu with slope 0; only the node's name differs.
Tensor leaky_relu_named(const Tensor& x, float slope, const char* name) {
    Tensor out =
        forward(x, name, slope == 0.0f ? ActivationOp::relu : ActivationOp::leaky_relu, slope);
    return record(name, out, {x}, [x, slope](const Tensor& g, const std::vector<bool>&) {
        return std::vector<Tensor>{leaky_relu_backward(g, x, slope)};
    });
}

// g * GELU'(x). Linear in g, so its gradient in g is the same op; its gradient
// in x is gg * g * GELU''(x).
Tensor gelu_backward(const Tensor& g, const Tensor& x) {
    Tensor out = derivative_times(g, x, "gelu_backward", ActivationOp::gelu);
    return record("gelu_backward", out, {g, x},
                  [g, x](const Tensor& gg, const std::vector<bool>& need) {
                      Tensor dg = need[0] ? gelu_backward(gg, x) : Tensor();
                      Tensor dx;
                      if (need[1]) {
                          Backend& be = dispatch("gelu_curvature", {x});
                          Tensor curvature = empty_on(x, x.shape());
                          be.elementwise().unary(UnaryOp::gelu_curvature, 0.0f, 0.0f, x.storage(),
                                                 curvature.storage(), x.numel());
                          dx = mul(mul(gg, g), curvature);
                      }
                      return std::vector<Tensor>{dg, dx};
                  });
}

}  // namespace

Tensor gelu(const Tensor& x) {
    Tensor y = forward(x, "gelu", ActivationOp::gelu);
    return record("gelu", y, {x}, [x](const Tensor& g, const std::vector<bool>&) {
        return std::vector<Tensor>{gelu_backward(g, x)};
    });
}

Tensor relu(const Tensor& x) {
    return leaky_relu_named(x, 0.0f, "relu");
}

Tensor leaky_relu(const Tensor& x, float negative_slope) {
    return leaky_relu_named(x, negative_slope, "leaky_relu");
}

Tensor tanh(const Tensor& x) {
    Tensor y = forward(x, "tanh", ActivationOp::tanh);
    return record("tanh", y, {x}, [x, y = y.detach()](const Tensor& g, const std::vector<bool>&) {
        if (!grad_mode_enabled())  // plain backward(): one fused pass, g * (1 - y^2)
            return std::vector<Tensor>{derivative_times(g, y, "tanh_backward", ActivationOp::tanh)};
        // create_graph: recompute y with a graph so the gradient is differentiable in x.
        Tensor yy = tanh(x);
        return std::vector<Tensor>{mul(g, add_scalar(neg(mul(yy, yy)), 1.0f))};
    });
}

Tensor sigmoid(const Tensor& x) {
    Tensor y = forward(x, "sigmoid", ActivationOp::sigmoid);
    return record("sigmoid", y, {x},
                  [x, y = y.detach()](const Tensor& g, const std::vector<bool>&) {
                      if (!grad_mode_enabled())  // g * y * (1 - y) in one pass
                          return std::vector<Tensor>{
                              derivative_times(g, y, "sigmoid_backward", ActivationOp::sigmoid)};
                      Tensor yy = sigmoid(x);
                      return std::vector<Tensor>{mul(g, mul(yy, add_scalar(neg(yy), 1.0f)))};
                  });
}

}  // namespace ganvas
