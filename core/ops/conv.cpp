#include "ops/conv.h"

#include <stdexcept>
#include <string>

#include "backend/linear_kernels.h"
#include "ops/dispatch.h"
#include "ops/reduce.h"
#include "ops/shape_ops.h"
#include "tape/tape.h"

namespace ganvas {
namespace {

// ---------------------------------------------------------------------------
// The three primitives on one geometry. Each one's gradients are the other
// two on the same geometry, so derivatives of any order stay exact. Image
// sides (N, C, H, W), output sides (N, K, Ho, Wo), kernels (K, C, kh, kw).

Tensor conv_op(const Tensor& x, const Tensor& w, const Tensor& b, const ConvGeometry& g);
Tensor conv_t_op(const Tensor& y, const Tensor& w, const Tensor& b, const ConvGeometry& g);
Tensor conv_w_op(const Tensor& x, const Tensor& y, const ConvGeometry& g);

// The bias gradient: g summed over (N, H, W). With grad mode on it must be
// differentiable, so it goes through sum(), over contiguous dimensions (the
// fast reductions); otherwise a direct kernel.
Tensor bias_grad(const Tensor& g) {
    if (grad_mode_enabled())  // (N, C, H*W) -> (N, C) -> (C)
        return sum(sum(reshape(g, {g.size(0), g.size(1), -1}), {2}), {0});
    Backend& be = dispatch("conv bias gradient", {g});
    Tensor out = empty_on(g, {g.size(1)});
    be.linear().sum_channels(g.size(0), g.size(1), g.size(2) * g.size(3), g.storage(),
                             out.storage());
    return out;
}

// x (N, C, H, W), w (K, C, kh, kw), b (K) -> (N, K, Ho, Wo)
Tensor conv_op(const Tensor& x, const Tensor& w, const Tensor& b, const ConvGeometry& g) {
    Backend& be = dispatch("conv2d", {x, w, b});
    Tensor y = empty_on(x, {g.N, g.K, g.Ho, g.Wo});
    be.linear().conv2d_forward(g, x.storage(), w.storage(), optional_storage(b), y.storage());
    return record("conv2d", y, {x, w, b},
                  [x, w, g](const Tensor& gy, const std::vector<bool>& need) {
                      Tensor gx, gw, gb;
                      if (need[0]) gx = conv_t_op(gy, w, Tensor(), g);  // (N, C, H, W)
                      if (need[1]) gw = conv_w_op(x, gy, g);            // (K, C, kh, kw)
                      if (need[2]) gb = bias_grad(gy);                  // (K)
                      return std::vector<Tensor>{gx, gw, gb};
                  });
}

// y (N, K, Ho, Wo), w (K, C, kh, kw), b (C) -> (N, C, H, W)
Tensor conv_t_op(const Tensor& y, const Tensor& w, const Tensor& b, const ConvGeometry& g) {
    Backend& be = dispatch("conv_transpose2d", {y, w, b});
    Tensor x = empty_on(y, {g.N, g.C, g.H, g.W});
    be.linear().conv2d_backward_data(g, y.storage(), w.storage(), optional_storage(b), x.storage());
    return record("conv_transpose2d", x, {y, w, b},
                  [y, w, g](const Tensor& gx, const std::vector<bool>& need) {
                      Tensor gy, gw, gb;
                      if (need[0]) gy = conv_op(gx, w, Tensor(), g);  // (N, K, Ho, Wo)
                      if (need[1]) gw = conv_w_op(gx, y, g);          // (K, C, kh, kw)
                      if (need[2]) gb = bias_grad(gx);                // (C)
                      return std::vector<Tensor>{gy, gw, gb};
                  });
}

// x (N, C, H, W), y (N, K, Ho, Wo) -> (K, C, kh, kw)
Tensor conv_w_op(const Tensor& x, const Tensor& y, const ConvGeometry& g) {
    Backend& be = dispatch("conv2d_weight", {x, y});
    Tensor w = empty_on(x, {g.K, g.C, g.kh, g.kw});
    be.linear().conv2d_backward_weight(g, x.storage(), y.storage(), w.storage());
    return record("conv2d_weight", w, {x, y},
                  [x, y, g](const Tensor& gw, const std::vector<bool>& need) {
                      Tensor gx, gy;
                      if (need[0]) gx = conv_t_op(y, gw, Tensor(), g);  // (N, C, H, W)
                      if (need[1]) gy = conv_op(x, gw, Tensor(), g);    // (N, K, Ho, Wo)
                      return std::vector<Tensor>{gx, gy};
                  });
}

// ---------------------------------------------------------------------------
// Argument checks with PyTorch's rules.

[[noreturn]] void fail(const char* op, const std::string& what) {
    throw std::invalid_argument(std::string(op) + ": " + what);
}

void check_4d(const Tensor& t, const char* op, const char* name) {
    if (!t.defined()) fail(op, std::string(name) + " is undefined");
    if (t.dtype() != DType::f32) fail(op, std::string(name) + " must be float32");
    if (t.dim() != 4) fail(op, std::string(name) + " must be 4-D, got " + shape_str(t.shape()));
}

void check_bias(const Tensor& b, int64_t channels, const Tensor& w, const char* op) {
    if (!b.defined()) return;
    if (b.dtype() != DType::f32) fail(op, "bias must be float32");
    if (b.dim() != 1 || b.size(0) != channels)
        fail(op, "bias " + shape_str(b.shape()) + " does not match weight " + shape_str(w.shape()) +
                     ": expected (" + std::to_string(channels) + ")");
}

void check_params(const Conv2dParams& p, const char* op, bool transposed) {
    for (int a = 0; a < 2; ++a) {
        if (p.stride[a] < 1) fail(op, "stride must be at least 1");
        if (p.dilation[a] < 1) fail(op, "dilation must be at least 1");
        if (p.padding[a] < 0) fail(op, "padding must not be negative");
        if (p.output_padding[a] < 0) fail(op, "output_padding must not be negative");
        if (!transposed && p.output_padding[a] != 0)
            fail(op, "output_padding applies to conv_transpose2d only");
        if (p.output_padding[a] != 0 && p.output_padding[a] >= p.stride[a] &&
            p.output_padding[a] >= p.dilation[a])
            fail(op, "output_padding must be smaller than either stride or dilation");
    }
}

// conv2d's output length along one axis; <= 0 when the kernel does not fit.
int64_t conv_out(int64_t in, int64_t k, int64_t s, int64_t pad, int64_t d) {
    const int64_t span = in + 2 * pad - d * (k - 1) - 1;
    return span < 0 ? 0 : span / s + 1;
}

// conv_transpose2d's output length along one axis.
int64_t conv_t_out(int64_t in, int64_t k, int64_t s, int64_t pad, int64_t d, int64_t op) {
    return (in - 1) * s - 2 * pad + d * (k - 1) + op + 1;
}

ConvGeometry geometry(const Shape& image, int64_t K, int64_t kh, int64_t kw, int64_t Ho, int64_t Wo,
                      const Conv2dParams& p) {
    ConvGeometry g;
    g.N = image[0], g.C = image[1], g.H = image[2], g.W = image[3];
    g.K = K, g.kh = kh, g.kw = kw, g.Ho = Ho, g.Wo = Wo;
    g.sh = p.stride[0], g.sw = p.stride[1];
    g.ph = p.padding[0], g.pw = p.padding[1];
    g.dh = p.dilation[0], g.dw = p.dilation[1];
    return g;
}

}  // namespace

Tensor conv2d(const Tensor& x, const Tensor& weight, const Tensor& bias, const Conv2dParams& p) {
    const char* op = "conv2d";
    check_4d(x, op, "input");
    check_4d(weight, op, "weight");
    check_params(p, op, false);
    const Shape &xs = x.shape(), &ws = weight.shape();
    if (xs[1] != ws[1])
        fail(op, "input " + shape_str(xs) + " has " + std::to_string(xs[1]) +
                     " channels but weight " + shape_str(ws) + " expects " + std::to_string(ws[1]));
    check_bias(bias, ws[0], weight, op);
    const int64_t Ho = conv_out(xs[2], ws[2], p.stride[0], p.padding[0], p.dilation[0]);
    const int64_t Wo = conv_out(xs[3], ws[3], p.stride[1], p.padding[1], p.dilation[1]);
    if (ws[2] < 1 || ws[3] < 1 || Ho < 1 || Wo < 1)
        fail(op, "kernel of weight " + shape_str(ws) + " does not fit input " + shape_str(xs) +
                     " with this padding and dilation");
    return conv_op(x, weight, bias, geometry(xs, ws[0], ws[2], ws[3], Ho, Wo, p));
}

Tensor conv_transpose2d(const Tensor& x, const Tensor& weight, const Tensor& bias,
                        const Conv2dParams& p) {
    const char* op = "conv_transpose2d";
    check_4d(x, op, "input");
    check_4d(weight, op, "weight");
    check_params(p, op, true);
    const Shape &xs = x.shape(), &ws = weight.shape();  // (N, Cin, H, W), (Cin, Cout, kh, kw)
    if (xs[1] != ws[0])
        fail(op, "input " + shape_str(xs) + " has " + std::to_string(xs[1]) +
                     " channels but weight " + shape_str(ws) + " expects " + std::to_string(ws[0]));
    check_bias(bias, ws[1], weight, op);
    const int64_t Ho =
        conv_t_out(xs[2], ws[2], p.stride[0], p.padding[0], p.dilation[0], p.output_padding[0]);
    const int64_t Wo =
        conv_t_out(xs[3], ws[3], p.stride[1], p.padding[1], p.dilation[1], p.output_padding[1]);
    if (ws[2] < 1 || ws[3] < 1 || Ho < 1 || Wo < 1)
        fail(op, "output size for input " + shape_str(xs) + " and weight " + shape_str(ws) +
                     " would be (" + std::to_string(Ho) + ", " + std::to_string(Wo) +
                     "): too small");
    // The output is the image side of the geometry; x is the conv2d-output side.
    const Shape image{xs[0], ws[1], Ho, Wo};
    return conv_t_op(x, weight, bias, geometry(image, ws[0], ws[2], ws[3], xs[2], xs[3], p));
}

Tensor conv2d_weight(const Tensor& x, const Tensor& grad_out, const Shape& weight_shape,
                     const Conv2dParams& p) {
    const char* op = "conv2d_weight";
    check_4d(x, op, "input");
    check_4d(grad_out, op, "grad_out");
    check_params(p, op, true);
    const Shape &xs = x.shape(), &gs = grad_out.shape(), &ws = weight_shape;
    if (ws.size() != 4 || ws[0] < 1 || ws[1] < 1 || ws[2] < 1 || ws[3] < 1)
        fail(op, "weight shape must be 4-D and positive, got " + shape_str(ws));
    if (xs[0] != gs[0] || xs[1] != ws[1] || gs[1] != ws[0])
        fail(op, "input " + shape_str(xs) + " and grad_out " + shape_str(gs) +
                     " do not match weight " + shape_str(ws));
    // grad_out must be conv2d's output for x, or x must be conv_transpose2d's
    // output for grad_out (they differ when output_padding >= stride).
    for (int a = 0; a < 2; ++a) {
        const int64_t in = xs[2 + a], out = gs[2 + a], k = ws[2 + a];
        const int64_t s = p.stride[a], pad = p.padding[a], d = p.dilation[a];
        if (out < 1 || (out != conv_out(in, k, s, pad, d) &&
                        in != conv_t_out(out, k, s, pad, d, p.output_padding[a])))
            fail(op, "grad_out " + shape_str(gs) + " is not the output size for input " +
                         shape_str(xs) + " and weight " + shape_str(ws));
    }
    return conv_w_op(x, grad_out, geometry(xs, ws[0], ws[2], ws[3], gs[2], gs[3], p));
}

}  // namespace ganvas
