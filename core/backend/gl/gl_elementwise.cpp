// The GPU backend's elementwise kernels: one invocation per output element,
// one program per entry with the mode as a uniform (shaders/elementwise_unary,
// elementwise_binary and elementwise_activation, forward and backward alike).
//
// The mode codes below are the shaders' constants, spelled out so that
// reordering an enum in elementwise_kernels.h cannot silently change a shader.
#include <cstdint>
#include <limits>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "backend/elementwise_kernels.h"
#include "backend/gl/gl_device.h"

namespace ganvas::gl {
namespace {

// The most dimensions a broadcast keeps after merging: the shader's kMaxRank.
constexpr size_t kMaxBroadcastRank = 16;

GLint unary_code(UnaryOp op) {
    switch (op) {
        case UnaryOp::add_scalar:
            return 0;
        case UnaryOp::mul_scalar:
            return 1;
        case UnaryOp::pow:
            return 2;
        case UnaryOp::sqrt:
            return 3;
        case UnaryOp::exp:
            return 4;
        case UnaryOp::log:
            return 5;
        case UnaryOp::abs:
            return 6;
        case UnaryOp::sign:
            return 7;
        case UnaryOp::clamp:
            return 8;
        case UnaryOp::clamp_mask:
            return 9;
        case UnaryOp::gelu_curvature:
            return 10;
    }
    throw std::invalid_argument("unary: unknown op");
}

GLint binary_code(BinaryOp op) {
    switch (op) {
        case BinaryOp::add:
            return 0;
        case BinaryOp::sub:
            return 1;
        case BinaryOp::mul:
            return 2;
        case BinaryOp::div:
            return 3;
    }
    throw std::invalid_argument("binary: unknown op");
}

GLint activation_code(ActivationOp f) {
    switch (f) {
        case ActivationOp::relu:
            return 0;
        case ActivationOp::leaky_relu:
            return 1;
        case ActivationOp::tanh:
            return 2;
        case ActivationOp::sigmoid:
            return 3;
        case ActivationOp::gelu:
            return 4;
    }
    throw std::invalid_argument("activation: unknown activation");
}

// `g` with its size-1 dimensions dropped and each run of dimensions that both
// operands step through contiguously (or both broadcast over) merged into one:
// equal shapes and a scalar side become rank 1, a middle-axis broadcast rank 3.
BroadcastGeometry merged(const BroadcastGeometry& g) {
    BroadcastGeometry m;
    for (size_t d = 0; d < g.sizes.size(); ++d) {
        if (g.sizes[d] == 1) continue;
        if (!m.sizes.empty()) {
            const int64_t size = g.sizes[d];
            int64_t &last_size = m.sizes.back(), &last_a = m.a_strides.back(),
                    &last_b = m.b_strides.back();
            if (last_a == g.a_strides[d] * size && last_b == g.b_strides[d] * size) {
                last_size *= size;
                last_a = g.a_strides[d];
                last_b = g.b_strides[d];
                continue;
            }
        }
        m.sizes.push_back(g.sizes[d]);
        m.a_strides.push_back(g.a_strides[d]);
        m.b_strides.push_back(g.b_strides[d]);
    }
    return m;
}

void set_uints(Program& p, const char* name, const std::vector<int64_t>& values) {
    std::vector<GLuint> v;
    for (int64_t x : values) v.push_back(u32(x));
    if (!v.empty())
        glProgramUniform1uiv(p.id, p.location(name), static_cast<GLsizei>(v.size()), v.data());
}

class GlElementwiseKernels final : public ElementwiseKernels {
public:
    explicit GlElementwiseKernels(GlBackend& be) : be_(be) {}

    void unary(UnaryOp op, float p0, float p1, const Storage& x, Storage& y,
               int64_t n) const override {
        const GLint code = unary_code(op);
        if (n == 0) return;
        Program& p = be_.program("elementwise_unary");
        set_int(p, "op", code);
        set_float(p, "p0", p0);
        set_float(p, "p1", p1);
        set_uint(p, "n", u32(n));
        be_.bind(0, x);
        be_.bind(1, y);
        be_.dispatch_linear(p, static_cast<uint64_t>(n));
    }

    void binary(BinaryOp op, const BroadcastGeometry& g, const Storage& a, const Storage& b,
                Storage& out) const override {
        const GLint code = binary_code(op);
        const int64_t n = g.numel();
        if (n == 0) return;
        const BroadcastGeometry m = merged(g);
        if (m.sizes.size() > kMaxBroadcastRank)
            throw std::runtime_error(std::string(current_op()) + ": a broadcast over " +
                                     std::to_string(m.sizes.size()) +
                                     " unmergeable dimensions is more than the GPU kernels' " +
                                     std::to_string(kMaxBroadcastRank));
        Program& p = be_.program("elementwise_binary");
        set_int(p, "op", code);
        set_uint(p, "n", u32(n));
        set_int(p, "rank", static_cast<GLint>(m.sizes.size()));
        set_uints(p, "sizes", m.sizes);
        set_uints(p, "a_strides", m.a_strides);
        set_uints(p, "b_strides", m.b_strides);
        be_.bind(0, a);
        be_.bind(1, b);
        be_.bind(2, out);
        be_.dispatch_linear(p, static_cast<uint64_t>(n));
    }

    void activation_forward(ActivationOp f, float slope, const Storage& x, Storage& y,
                            int64_t n) const override {
        run_activation(f, slope, false, x, x, y, n);
    }

    void activation_backward(ActivationOp f, float slope, const Storage& g, const Storage& saved,
                             Storage& dx, int64_t n) const override {
        run_activation(f, slope, true, g, saved, dx, n);
    }

private:
    // Forward binds x twice: the gradient slot is unread there, but bound all the same.
    void run_activation(ActivationOp f, float slope, bool backward, const Storage& g,
                        const Storage& saved, Storage& out, int64_t n) const {
        // The CPU computes leaky_relu with slope 0 as relu (relu(-inf) is 0, not 0 * -inf).
        if (f == ActivationOp::leaky_relu && slope == 0.0f) f = ActivationOp::relu;
        const GLint code = activation_code(f);
        if (n == 0) return;
        Program& p = be_.program("elementwise_activation");
        set_int(p, "f", code);
        set_int(p, "backward", backward ? 1 : 0);
        set_float(p, "slope", slope);
        set_uint(p, "n", u32(n));
        be_.bind(0, saved);
        be_.bind(1, g);
        be_.bind(2, out);
        be_.dispatch_linear(p, static_cast<uint64_t>(n));
    }

    GlBackend& be_;
};

}  // namespace

std::unique_ptr<ElementwiseKernels> make_gl_elementwise_kernels(GlBackend& backend) {
    return std::make_unique<GlElementwiseKernels>(backend);
}

}  // namespace ganvas::gl
