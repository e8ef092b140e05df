// The GPU backend's update kernels: the in-place writes of training on the
// GPU, so that a step never reads its weights back. Optimizer steps, clamping
// and moving averages are one value per invocation (shaders/update_step);
// row copies and codebook statistics walk rows in the CPU's order so that
// repeats come out as the CPU's serial loops leave them, without float atomics
// (shaders/update_rows); the power iteration's products are one entry per
// invocation, each vector then normalized by one workgroup (shaders/update_power).
//
// The mode codes below are the shaders' constants.
#include <algorithm>
#include <cstdint>
#include <limits>
#include <memory>
#include <stdexcept>
#include <string>

#include "backend/gl/gl_device.h"

namespace ganvas::gl {
namespace {

constexpr GLint kAdam = 0, kSgd = 1, kRmsprop = 2, kClamp = 3, kLerp = 4;
// Rows (pairs) one bin_rows (copy_rows) dispatch walks: update_rows.comp's kRowsPerDispatch.
constexpr int64_t kRowsPerDispatch = 32768;
constexpr GLint kCopyRows = 0, kBinRows = 1, kCodebook = 2, kAddI64 = 3, kCodebookTotal = 4;

class GlUpdateKernels final : public UpdateKernels {
public:
    explicit GlUpdateKernels(GlBackend& be) : be_(be) {}

    void adam_step(const AdamStep& s, int64_t n, Storage& w, const Storage& g, Storage& m,
                   Storage& v) const override {
        if (n == 0) return;
        Program& p = step_program(kAdam, n);
        const float params[] = {s.step_size, s.bc2_sqrt,        s.beta1,
                                s.beta2,     s.one_minus_beta1, s.one_minus_beta2,
                                s.eps,       s.weight_decay,    s.decay};
        set_params(p, params, 9);
        set_int(p, "decoupled", s.decoupled ? 1 : 0);
        run_step(p, n, w, g, m, v);
    }

    void sgd_step(const SgdStep& s, int64_t n, Storage& w, const Storage& g,
                  Storage* momentum_buffer) const override {
        if (n == 0) return;
        Program& p = step_program(kSgd, n);
        const float params[] = {s.lr, s.momentum, s.weight_decay};
        set_params(p, params, 3);
        set_int(p, "nesterov", s.nesterov ? 1 : 0);
        set_int(p, "has_momentum", momentum_buffer ? 1 : 0);
        set_int(p, "first_momentum_step", s.first_momentum_step ? 1 : 0);
        // Without momentum the buffer slots are bound to w, and unread.
        Storage& b = momentum_buffer ? *momentum_buffer : w;
        run_step(p, n, w, g, b, w);
    }

    void rmsprop_step(const RmspropStep& s, int64_t n, Storage& w, const Storage& g,
                      Storage& square_avg) const override {
        if (n == 0) return;
        Program& p = step_program(kRmsprop, n);
        const float params[] = {s.lr, s.alpha, s.one_minus_alpha, s.eps};
        set_params(p, params, 4);
        run_step(p, n, w, g, square_avg, w);
    }

    void clamp_(int64_t n, Storage& x, float lo, float hi) const override {
        if (n == 0) return;
        Program& p = step_program(kClamp, n);
        const float params[] = {lo, hi};
        set_params(p, params, 2);
        run_step(p, n, x, x, x, x);
    }

    void lerp_(int64_t n, Storage& a, const Storage& b, float decay) const override {
        if (n == 0) return;
        Program& p = step_program(kLerp, n);
        const float params[] = {decay, 1.0f - decay};  // rounded once, as the CPU's `rest`
        set_params(p, params, 2);
        run_step(p, n, a, b, a, a);
    }

    void add_i64_(int64_t n, Storage& x, int64_t value) const override {
        if (n == 0) return;
        Program& p = rows_program(kAddI64);
        set_uint(p, "count", u32(n));
        const auto bits = static_cast<uint64_t>(value);  // two's complement words
        set_uint(p, "value_lo", static_cast<GLuint>(bits & 0xffffffffu));
        set_uint(p, "value_hi", static_cast<GLuint>(bits >> 32));
        bind_rows(x, x, x, x, x, x);
        be_.dispatch_linear(p, static_cast<uint64_t>(n));
    }

    void copy_rows(int64_t pairs, int64_t row_size, const Storage& src, const Storage& index,
                   Storage& dst) const override {
        if (pairs == 0 || row_size == 0) return;
        u32(pairs * 4);  // the shader's word index into `index`
        Program& p = rows_program(kCopyRows);
        set_uint(p, "count", u32(pairs));
        set_uint(p, "row_size", u32(row_size));
        bind_rows(src, index, dst, dst, dst, src);
        for (int64_t first = 0; first < pairs; first += kRowsPerDispatch) {
            set_uint(p, "first_row", static_cast<GLuint>(first));
            be_.dispatch_linear(p, static_cast<uint64_t>(row_size));
        }
    }

    void bin_rows(int64_t rows, int64_t row_size, int64_t bins, const Storage& x,
                  const Storage& index, Storage& counts, Storage& sums) const override {
        if (bins == 0) return;
        u32(rows * row_size);
        u32(rows * 2);
        const GLuint columns = u32(bins * (row_size + 1));  // each bin's sums and its count
        Program& p = rows_program(kBinRows);
        set_uint(p, "count", u32(rows));
        set_uint(p, "row_size", u32(row_size));
        set_uint(p, "bins", u32(bins));
        bind_rows(x, index, sums, counts, counts, x);
        // Long inputs take several dispatches (the shader's kRowsPerDispatch), the running
        // compensated sums of each (bin, column) kept in between.
        const int64_t chunks =
            std::max<int64_t>((rows + kRowsPerDispatch - 1) / kRowsPerDispatch, 1);
        std::shared_ptr<Storage> running =
            be_.allocate(chunks > 1 ? size_t{2} * columns * sizeof(float) : sizeof(float));
        be_.bind(6, *running);
        for (int64_t c = 0; c < chunks; ++c) {
            set_uint(p, "first_row", static_cast<GLuint>(c * kRowsPerDispatch));
            be_.dispatch_linear(p, columns);
        }
    }

    void codebook_from_ema(int64_t bins, int64_t row_size, float eps, const Storage& cluster_size,
                           const Storage& embed_sum, Storage& codebook) const override {
        if (bins == 0 || row_size == 0) return;
        const GLuint n = u32(bins * row_size);
        Program& p = rows_program(kCodebookTotal);
        set_uint(p, "count", u32(bins));
        set_uint(p, "row_size", u32(row_size));
        set_float(p, "eps", eps);
        bind_rows(cluster_size, cluster_size, codebook, codebook, codebook, embed_sum);
        std::shared_ptr<Storage> total = be_.allocate(sizeof(float));  // sum of the counts
        be_.bind(6, *total);
        be_.dispatch(p, 1);
        set_int(p, "mode", kCodebook);
        be_.dispatch_linear(p, n);
    }

    void power_iteration(int64_t rows, int64_t cols, int iterations, float eps, const Storage& w,
                         Storage& u, Storage& v) const override {
        if (iterations <= 0) return;
        u32(rows * cols);
        Program& p = be_.program("update_power");
        set_uint(p, "rows", u32(rows));
        set_uint(p, "cols", u32(cols));
        set_float(p, "eps", eps);
        be_.bind(0, w);
        for (int it = 0; it < iterations; ++it) {
            product_then_normalize(p, true, w, u, v, cols);   // v = normalize(w^T u)
            product_then_normalize(p, false, w, v, u, rows);  // u = normalize(w v)
        }
    }

private:
    // out (len) = w^T in or w in, one value per invocation, then scaled to unit norm
    // by one workgroup.
    void product_then_normalize(Program& p, bool transposed, const Storage& w, const Storage& in,
                                Storage& out, int64_t len) const {
        set_int(p, "mode", 0);
        set_int(p, "transposed", transposed ? 1 : 0);
        be_.bind(0, w);
        be_.bind(1, in);
        be_.bind(2, out);
        be_.dispatch_linear(p, static_cast<uint64_t>(len));
        set_int(p, "mode", 1);
        set_uint(p, "len", u32(len));
        be_.dispatch(p, 1);
    }

    Program& step_program(GLint mode, int64_t n) const {
        Program& p = be_.program("update_step");
        set_int(p, "mode", mode);
        set_uint(p, "n", u32(n));
        return p;
    }

    static void set_params(Program& p, const float* values, int count) {
        static const char* const names[] = {"p0", "p1", "p2", "p3", "p4", "p5", "p6", "p7", "p8"};
        for (int i = 0; i < count; ++i) set_float(p, names[i], values[i]);
    }

    void run_step(Program& p, int64_t n, Storage& w, const Storage& g, Storage& m,
                  Storage& v) const {
        be_.bind(0, w);
        be_.bind(1, g);
        be_.bind(2, m);
        be_.bind(3, v);
        be_.dispatch_linear(p, static_cast<uint64_t>(n));
    }

    Program& rows_program(GLint mode) const {
        Program& p = be_.program("update_rows");
        set_int(p, "mode", mode);
        return p;
    }

    // Slots a mode does not read are bound to one of its buffers all the same.
    void bind_rows(const Storage& a, const Storage& index, Storage& out, Storage& b, Storage& words,
                   const Storage& c) const {
        be_.bind(0, a);
        be_.bind(1, index);
        be_.bind(2, out);
        be_.bind(3, b);
        be_.bind(4, words);
        be_.bind(5, c);
        be_.bind(6, out);  // bin_rows binds its running sums here afterwards
    }

    GlBackend& be_;
};

}  // namespace

std::unique_ptr<UpdateKernels> make_gl_update_kernels(GlBackend& backend) {
    return std::make_unique<GlUpdateKernels>(backend);
}

}  // namespace ganvas::gl
