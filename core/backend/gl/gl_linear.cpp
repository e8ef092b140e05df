// The GPU backend's linear kernels: a tiled GEMM (shaders/gemm.comp), the
// convolutions built on it through im2col and its adjoint, col2im, and fused
// causal attention (shaders/attention.comp).
//
// The im2col matrix of a batch is laid out (N, C*kh*kw, Ho*Wo), one block per
// image, so every convolution is one batched GEMM straight into NCHW memory:
// no reordering pass, and the weight gradient sums over the images inside
// the GEMM instead of in a second pass.
#include <algorithm>
#include <atomic>
#include <cstdint>
#include <limits>
#include <memory>
#include <stdexcept>
#include <string>

#include "backend/gl/gl_backend.h"
#include "backend/gl/gl_device.h"
#include "backend/linear_kernels.h"

namespace ganvas::gl {
namespace {

std::atomic<int64_t> g_scratch_floats{int64_t{1} << 24};  // 64 MiB

// One call of gemm.comp: C_z = sum over r of op(A_{z,r}) op(B_{z,r}) (+ bias) (+ C_z).
struct Gemm {
    int64_t batch = 1, M = 0, N = 0, K = 0;
    int64_t lda = 0, ldb = 0, ldc = 0;
    bool trans_a = false, trans_b = false;
    int64_t a_batch = 0, b_batch = 0, c_batch = 0;
    int64_t red_count = 1, a_red = 0, b_red = 0;
    int64_t a_off = 0, b_off = 0, c_off = 0;
    bool accumulate = false;
    bool bias_per_column = false;  // bias[n] (a linear layer's) instead of bias[m] (a conv's)
};

void set(Program& p, const char* name, GLuint v) {
    glProgramUniform1ui(p.id, p.location(name), v);
}
void set_int(Program& p, const char* name, int64_t v) {
    glProgramUniform1i(p.id, p.location(name), static_cast<GLint>(u32(v)));
}
void set_bool(Program& p, const char* name, bool v) {
    glProgramUniform1i(p.id, p.location(name), v ? 1 : 0);
}

void run_gemm(GlBackend& be, const Gemm& g, const Storage& a, const Storage& b, Storage& c,
              const Storage* bias) {
    // Every offset the shader forms must fit its 32-bit arithmetic.
    u32(std::max({a.bytes(), b.bytes(), c.bytes()}) / sizeof(float));
    Program& p = be.program("gemm");
    set(p, "M", u32(g.M));
    set(p, "N", u32(g.N));
    set(p, "K", u32(g.K));
    set(p, "lda", u32(g.lda));
    set(p, "ldb", u32(g.ldb));
    set(p, "ldc", u32(g.ldc));
    set_bool(p, "trans_a", g.trans_a);
    set_bool(p, "trans_b", g.trans_b);
    set(p, "a_batch", u32(g.a_batch));
    set(p, "b_batch", u32(g.b_batch));
    set(p, "c_batch", u32(g.c_batch));
    set(p, "red_count", u32(g.red_count));
    set(p, "a_red", u32(g.a_red));
    set(p, "b_red", u32(g.b_red));
    set(p, "a_off", u32(g.a_off));
    set(p, "b_off", u32(g.b_off));
    set(p, "c_off", u32(g.c_off));
    set_bool(p, "has_bias", bias != nullptr);
    set_bool(p, "bias_per_column", g.bias_per_column);
    set_bool(p, "accumulate", g.accumulate);
    be.bind(0, a);
    be.bind(1, b);
    be.bind(2, c);
    be.bind(3, bias ? *bias : c);  // unread without a bias, but bound all the same
    const GLuint gx = u32((g.N + 63) / 64), gy = u32((g.M + 63) / 64);
    for (int64_t z0 = 0; z0 < g.batch; z0 += 65535) {  // the dispatch limit in z
        set(p, "z_base", u32(z0));
        be.dispatch(p, gx, gy, u32(std::min<int64_t>(65535, g.batch - z0)));
    }
}

// The geometry of images n0 ... n0 + count - 1.
void set_geometry(Program& p, const ConvGeometry& g, int64_t n0, int64_t count) {
    set_int(p, "n0", n0);
    set_int(p, "N", count);
    set_int(p, "C", g.C);
    set_int(p, "H", g.H);
    set_int(p, "W", g.W);
    set_int(p, "kh", g.kh);
    set_int(p, "kw", g.kw);
    set_int(p, "Ho", g.Ho);
    set_int(p, "Wo", g.Wo);
    set_int(p, "sh", g.sh);
    set_int(p, "sw", g.sw);
    set_int(p, "ph", g.ph);
    set_int(p, "pw", g.pw);
    set_int(p, "dh", g.dh);
    set_int(p, "dw", g.dw);
}

class GlLinearKernels final : public LinearKernels {
public:
    explicit GlLinearKernels(GlBackend& be) : be_(be) {}

    void matmul(const GemmShape& s, const Storage& a, const Storage& b, Storage& c) const override {
        Gemm g;
        g.batch = s.batch, g.M = s.M, g.N = s.N, g.K = s.K;
        g.trans_a = s.trans_a, g.trans_b = s.trans_b;
        g.lda = s.trans_a ? s.M : s.K;
        g.ldb = s.trans_b ? s.K : s.N;
        g.ldc = s.N;
        g.a_batch = s.M * s.K, g.b_batch = s.K * s.N, g.c_batch = s.M * s.N;
        run_gemm(be_, g, a, b, c, nullptr);
    }

    void conv2d_forward(const ConvGeometry& g, const Storage& x, const Storage& w,
                        const Storage* bias, Storage& y) const override {
        const int64_t R = g.rows(), P = g.pixels(), nb = chunk_images(g);
        auto cols = scratch(g, nb);
        for (int64_t n0 = 0; n0 < g.N; n0 += nb) {
            const int64_t count = std::min(nb, g.N - n0);
            im2col(g, x, n0, count, *cols);  // (count, R, P)
            Gemm m;                          // y[n] (K, P) = w (K, R) cols[n] (R, P) + bias
            m.batch = count, m.M = g.K, m.N = P, m.K = R;
            m.lda = R, m.ldb = P, m.ldc = P;
            m.b_batch = R * P, m.c_batch = g.K * P, m.c_off = n0 * g.K * P;
            run_gemm(be_, m, w, *cols, y, bias);
        }
    }

    void conv2d_backward_data(const ConvGeometry& g, const Storage& y, const Storage& w,
                              const Storage* bias, Storage& x) const override {
        const int64_t R = g.rows(), P = g.pixels(), nb = chunk_images(g);
        u32(g.N * g.C * g.H * g.W);
        auto cols = scratch(g, nb);
        Program& p = be_.program("col2im");
        for (int64_t n0 = 0; n0 < g.N; n0 += nb) {
            const int64_t count = std::min(nb, g.N - n0);
            Gemm m;  // cols[n] (R, P) = w^T (R, K) y[n] (K, P)
            m.batch = count, m.M = R, m.N = P, m.K = g.K;
            m.trans_a = true;
            m.lda = R, m.ldb = P, m.ldc = P;
            m.b_batch = g.K * P, m.c_batch = R * P, m.b_off = n0 * g.K * P;
            run_gemm(be_, m, w, y, *cols, nullptr);
            set_geometry(p, g, n0, count);
            set_bool(p, "has_bias", bias != nullptr);
            be_.bind(0, *cols);
            be_.bind(1, bias ? *bias : *cols);
            be_.bind(2, x);
            be_.dispatch_linear(p, static_cast<uint64_t>(count * g.C * g.H * g.W));
        }
    }

    void conv2d_backward_weight(const ConvGeometry& g, const Storage& x, const Storage& y,
                                Storage& w) const override {
        const int64_t R = g.rows(), P = g.pixels(), nb = chunk_images(g);
        if (g.N == 0) {  // no images: a zero gradient
            be_.zero(w, static_cast<size_t>(g.K * R) * sizeof(float));
            return;
        }
        auto cols = scratch(g, nb);
        for (int64_t n0 = 0; n0 < g.N; n0 += nb) {
            const int64_t count = std::min(nb, g.N - n0);
            im2col(g, x, n0, count, *cols);  // (count, R, P)
            Gemm m;  // w (K, R) (+)= sum over n of y[n] (K, P) cols[n]^T (P, R)
            m.M = g.K, m.N = R, m.K = P;
            m.trans_b = true;
            m.lda = P, m.ldb = P, m.ldc = R;
            m.red_count = count, m.a_red = g.K * P, m.b_red = R * P;
            m.a_off = n0 * g.K * P;
            m.accumulate = n0 > 0;
            run_gemm(be_, m, y, *cols, w, nullptr);
        }
    }

    void sum_channels(int64_t N, int64_t channels, int64_t pixels, const Storage& y,
                      Storage& b) const override {
        u32(N * channels * pixels);
        Program& p = be_.program("sum_channels");
        set(p, "N", u32(N));
        set(p, "channels", u32(channels));
        set(p, "pixels", u32(pixels));
        be_.bind(0, y);
        be_.bind(1, b);
        for (int64_t k0 = 0; k0 < channels; k0 += 65535) {
            set(p, "base", u32(k0));
            be_.dispatch(p, u32(std::min<int64_t>(65535, channels - k0)));
        }
    }

    // The fully connected layer: the bias added in the GEMM's epilogue, and
    // its gradient as per-column sums of g (sum_channels with one pixel).
    bool has_linear() const override { return true; }
    void linear_forward(const LinearShape& s, const Storage& x, const Storage& w,
                        const Storage* bias, Storage& y) const override {
        Gemm g;  // y (rows, out) = x (rows, in) w^T (+ bias[n])
        g.M = s.rows, g.N = s.out, g.K = s.in;
        g.trans_b = true;
        g.lda = s.in, g.ldb = s.in, g.ldc = s.out;
        g.bias_per_column = true;
        run_gemm(be_, g, x, w, y, bias);
    }
    void linear_backward_params(const LinearShape& s, const Storage& x, const Storage& g,
                                Storage& gw, Storage* gb) const override {
        Gemm m;  // gw (out, in) = g^T (out, rows) x (rows, in)
        m.M = s.out, m.N = s.in, m.K = s.rows;
        m.trans_a = true;
        m.lda = s.out, m.ldb = s.in, m.ldc = s.in;
        run_gemm(be_, m, g, x, gw, nullptr);
        if (gb) sum_channels(s.rows, s.out, 1, g, *gb);
    }

    // shaders/attention.comp: forward in one dispatch, backward in two (rows, then columns).
    bool has_causal_attention() const override { return true; }
    void causal_attention_forward(const AttentionShape& s, const Storage& qkv, Storage& y,
                                  Storage& p) const override {
        Program& prog = attention_program(s, 0);
        be_.bind(0, qkv);
        be_.bind(1, p);
        be_.bind(2, qkv);  // dy and ds are not read in the forward
        be_.bind(3, p);
        be_.bind(4, y);
        be_.dispatch_linear(prog, static_cast<uint64_t>(s.B * s.H * s.T));
    }
    void causal_attention_backward(const AttentionShape& s, const Storage& qkv, const Storage& p,
                                   const Storage& dy, Storage& dqkv) const override {
        auto ds = be_.allocate(static_cast<size_t>(u32(s.B * s.H * s.T * s.T)) * sizeof(float));
        for (GLuint pass : {1u, 2u}) {
            Program& prog = attention_program(s, pass);
            be_.bind(0, qkv);
            be_.bind(1, p);
            be_.bind(2, dy);
            be_.bind(3, *ds);
            be_.bind(4, dqkv);
            be_.dispatch_linear(prog, static_cast<uint64_t>(s.B * s.H * s.T));
        }
    }

private:
    Program& attention_program(const AttentionShape& s, GLuint pass) const {
        u32(s.B * s.T * 3 * s.H * s.D);  // every index the shader forms fits 32 bits
        u32(s.B * s.H * s.T * s.T);
        Program& prog = be_.program("attention");
        set(prog, "B", u32(s.B));
        set(prog, "T", u32(s.T));
        set(prog, "H", u32(s.H));
        set(prog, "D", u32(s.D));
        set(prog, "pass_", pass);
        glProgramUniform1f(prog.id, prog.location("scale"), s.scale);
        return prog;
    }

    // Images per chunk of the batch: one chunk's im2col matrix stays under
    // the scratch limit (or holds one image), so a large batch needs no more GPU memory than a
    // small one.
    static int64_t chunk_images(const ConvGeometry& g) {
        const int64_t per_image = std::max<int64_t>(1, g.rows() * g.pixels());
        return std::clamp<int64_t>(g_scratch_floats / per_image, 1, std::max<int64_t>(g.N, 1));
    }

    // A pooled buffer for the im2col matrix of `images` images.
    std::shared_ptr<Storage> scratch(const ConvGeometry& g, int64_t images) const {
        const int64_t count = std::min(images, g.N) * g.rows() * g.pixels();
        u32(count);
        return be_.allocate(static_cast<size_t>(count) * sizeof(float));
    }

    // cols (count, C*kh*kw, Ho*Wo) of images n0 ... n0 + count - 1 of x.
    void im2col(const ConvGeometry& g, const Storage& x, int64_t n0, int64_t count,
                Storage& cols) const {
        u32(g.N * g.C * g.H * g.W);
        Program& p = be_.program("im2col");
        set_geometry(p, g, n0, count);
        be_.bind(0, x);
        be_.bind(1, cols);
        be_.dispatch_linear(p, static_cast<uint64_t>(count * g.rows() * g.pixels()));
    }

    GlBackend& be_;
};

}  // namespace

void set_gpu_conv_scratch_floats(int64_t floats) {
    g_scratch_floats = std::max<int64_t>(floats, 1);
}

std::unique_ptr<LinearKernels> make_gl_linear_kernels(GlBackend& backend) {
    return std::make_unique<GlLinearKernels>(backend);
}

}  // namespace ganvas::gl
