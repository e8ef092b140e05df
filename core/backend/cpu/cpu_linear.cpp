// The CPU backend's linear kernels: the GEMM, the fully connected layer, the
// convolutions and fused attention.
#include <algorithm>

#include "backend/cpu/attention_kernels.h"
#include "backend/cpu/conv_kernels.h"
#include "backend/cpu/cpu_backend.h"
#include "backend/cpu/gemm.h"
#include "backend/cpu/linear_layer.h"
#include "backend/cpu/thread_pool.h"
#include "backend/linear_kernels.h"

namespace ganvas::cpu {
namespace {

const float* optional_f32(const Storage* s) {
    return s ? f32(*s) : nullptr;
}

class CpuLinearKernels final : public LinearKernels {
public:
    void matmul(const GemmShape& s, const Storage& a, const Storage& b, Storage& c) const override {
        const float* pa = f32(a);
        const float* pb = f32(b);
        float* pc = f32(c);
        const int64_t lda = s.trans_a ? s.M : s.K, ldb = s.trans_b ? s.K : s.N;
        // A batch of small products (attention's, one per head) splits over
        // the batch; a large product splits inside gemm instead.
        const int64_t flops = 2 * s.M * s.N * s.K;
        parallel_for(s.batch, std::max<int64_t>(1, (1 << 20) / std::max<int64_t>(1, flops)),
                     [&](int64_t i0, int64_t i1) {
                         for (int64_t i = i0; i < i1; ++i)
                             gemm(s.trans_a, s.trans_b, s.M, s.N, s.K, 1.0f, pa + i * s.M * s.K,
                                  lda, pb + i * s.K * s.N, ldb, 0.0f, pc + i * s.M * s.N, s.N);
                     });
    }
    void conv2d_forward(const ConvGeometry& g, const Storage& x, const Storage& w,
                        const Storage* bias, Storage& y) const override {
        cpu::conv2d_forward(g, f32(x), f32(w), optional_f32(bias), f32(y));
    }
    void conv2d_backward_data(const ConvGeometry& g, const Storage& y, const Storage& w,
                              const Storage* bias, Storage& x) const override {
        cpu::conv2d_backward_data(g, f32(y), f32(w), optional_f32(bias), f32(x));
    }
    void conv2d_backward_weight(const ConvGeometry& g, const Storage& x, const Storage& y,
                                Storage& w) const override {
        cpu::conv2d_backward_weight(g, f32(x), f32(y), f32(w));
    }
    void sum_channels(int64_t N, int64_t channels, int64_t pixels, const Storage& y,
                      Storage& b) const override {
        cpu::sum_channels(N, channels, pixels, f32(y), f32(b));
    }
    bool has_linear() const override { return true; }
    void linear_forward(const LinearShape& s, const Storage& x, const Storage& w,
                        const Storage* bias, Storage& y) const override {
        cpu::linear_forward(s.rows, s.in, s.out, f32(x), f32(w), optional_f32(bias), f32(y));
    }
    void linear_backward_params(const LinearShape& s, const Storage& x, const Storage& g,
                                Storage& gw, Storage* gb) const override {
        cpu::linear_backward_params(s.rows, s.in, s.out, f32(x), f32(g), f32(gw),
                                    gb ? f32(*gb) : nullptr);
    }
    bool has_causal_attention() const override { return true; }
    void causal_attention_forward(const AttentionShape& s, const Storage& qkv, Storage& y,
                                  Storage& p) const override {
        cpu::causal_attention_forward(s, f32(qkv), f32(y), f32(p));
    }
    void causal_attention_backward(const AttentionShape& s, const Storage& qkv, const Storage& p,
                                   const Storage& dy, Storage& dqkv) const override {
        cpu::causal_attention_backward(s, f32(qkv), f32(p), f32(dy), f32(dqkv));
    }
};

}  // namespace

const LinearKernels& cpu_linear_kernels() {
    static const CpuLinearKernels kernels;
    return kernels;
}

}  // namespace ganvas::cpu
