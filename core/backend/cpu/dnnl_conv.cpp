#include "backend/cpu/dnnl_conv.h"

#include "backend/cpu/gemm.h"

#include <dnnl.hpp>

#include <map>
#include <memory>
#include <stdexcept>
#include <string>
#include <tuple>
#include <unordered_map>

namespace ganvas::cpu {
namespace {

using dnnl::memory;
using Tag = memory::format_tag;
constexpr auto kF32 = memory::data_type::f32;
// A memory object without a buffer: the caller's pointer is set per call.
void* const kNoBuffer = nullptr;

// The right padding that gives exactly Ho (Wo) outputs; negative where the
// geometry leaves image rows unread, which oneDNN does not take.
int64_t pad_after(int64_t in, int64_t out, int64_t k, int64_t s, int64_t p, int64_t d) {
    return (out - 1) * s + (k - 1) * d + 1 - in - p;
}

using Key = std::tuple<int64_t, int64_t, int64_t, int64_t, int64_t, int64_t, int64_t, int64_t,
                       int64_t, int64_t, int64_t, int64_t, int64_t, int64_t, int64_t, int>;

Key key_of(const ConvGeometry& g, ConvPass pass, bool bias) {
    return {g.N,  g.C,  g.H,  g.W,  g.K,  g.kh, g.kw, g.Ho,
            g.Wo, g.sh, g.sw, g.ph, g.pw, g.dh, g.dw, static_cast<int>(pass) * 2 + (bias ? 1 : 0)};
}

// An operand in NCHW (or OIHW) at the caller's pointer, and the layout the
// kernel wants; `reorder` copies between them where they differ.
struct Operand {
    memory user, inner;
    bool same = true;
    dnnl::reorder to_inner, to_user;

    Operand(const memory::desc& user_desc, const memory::desc& wanted, const dnnl::engine& e)
        : user(user_desc, e, kNoBuffer) {
        same = user_desc == wanted;
        inner = same ? user : memory(wanted, e);
        if (!same) {
            to_inner = dnnl::reorder(user, inner);
            to_user = dnnl::reorder(inner, user);
        }
    }
    // Before the kernel: the caller's data into the kernel's layout.
    const memory& in(const void* p, dnnl::stream& s) {
        user.set_data_handle(const_cast<void*>(p));
        if (!same) to_inner.execute(s, user, inner);
        return inner;
    }
    // For an output: where the kernel writes; out() copies it back.
    const memory& target(void* p) {
        user.set_data_handle(p);
        return inner;
    }
    void out(dnnl::stream& s) {
        if (!same) to_user.execute(s, inner, user);
    }
};

// The weights: OIHW on the caller's side, the kernel's layout on the other;
// both buffers are the caller's, set per call.
struct Weights {
    memory user, kernel;
    dnnl::reorder to_kernel, to_user;

    Weights(const memory::desc& user_desc, const memory::desc& wanted, const dnnl::engine& e)
        : user(user_desc, e, kNoBuffer),
          kernel(wanted, e, kNoBuffer),
          to_kernel(user, kernel),
          to_user(kernel, user) {}
    int64_t floats() const { return static_cast<int64_t>(kernel.get_desc().get_size() / 4); }
};

// Activations a (and b) in, c out (none for the weight gradient); the weights
// in the kernel's layout at w_arg.
struct Kernel {
    dnnl::primitive primitive;
    std::unique_ptr<Operand> a, b, c;  // forward: x, -, y; backward_data: y, -, x; weight: x, y, -
    int a_arg = 0, b_arg = 0, c_arg = 0, w_arg = 0;  // their DNNL_ARG_ names
    std::unique_ptr<Weights> w;
    std::unique_ptr<memory> bias;
};

// Kernels kept per thread; a model has a few per layer.
constexpr size_t kMaxKernels = 128;

class Convolutions {
public:
    Convolutions() : engine_(dnnl::engine::kind::cpu, 0), stream_(engine_) {
        keep_onednn_on_this_thread();  // the core's pool splits the batch
    }

    // The kernel for g and pass, or null where oneDNN has no fast one.
    Kernel* get(const ConvGeometry& g, ConvPass pass, bool bias) {
        const Key key = key_of(g, pass, bias);
        auto it = kernels_.find(key);
        if (it == kernels_.end()) {
            // Each kernel holds its operands' blocked copies: a window that has
            // tried many models and batch sizes starts over instead of growing.
            if (kernels_.size() >= kMaxKernels) kernels_.clear();
            it = kernels_.emplace(key, make(g, pass, bias)).first;
        }
        return it->second.get();
    }
    dnnl::stream& stream() { return stream_; }

private:
    std::unique_ptr<Kernel> make(const ConvGeometry& g, ConvPass pass, bool bias) {
        const int64_t rh = pad_after(g.H, g.Ho, g.kh, g.sh, g.ph, g.dh);
        const int64_t rw = pad_after(g.W, g.Wo, g.kw, g.sw, g.pw, g.dw);
        if (g.N < 1 || g.C < 1 || g.K < 1 || g.Ho < 1 || g.Wo < 1 || g.ph < 0 || g.pw < 0 ||
            rh < 0 || rw < 0)
            return nullptr;
        const memory::dims xd{g.N, g.C, g.H, g.W}, wd{g.K, g.C, g.kh, g.kw},
            yd{g.N, g.K, g.Ho, g.Wo};
        const memory::dims strides{g.sh, g.sw}, dilates{g.dh - 1, g.dw - 1}, pad_l{g.ph, g.pw},
            pad_r{rh, rw};
        const memory::desc x_any(xd, kF32, Tag::any), w_any(wd, kF32, Tag::any),
            y_any(yd, kF32, Tag::any), b_desc({g.K}, kF32, Tag::x);
        const memory::desc x_user(xd, kF32, Tag::nchw), w_user(wd, kF32, Tag::oihw),
            y_user(yd, kF32, Tag::nchw);
        try {
            using dnnl::algorithm;
            using dnnl::prop_kind;
            const dnnl::convolution_forward::desc fwd_desc =
                bias ? dnnl::convolution_forward::desc(
                           prop_kind::forward_training, algorithm::convolution_direct, x_any, w_any,
                           b_desc, y_any, strides, dilates, pad_l, pad_r)
                     : dnnl::convolution_forward::desc(prop_kind::forward_training,
                                                       algorithm::convolution_direct, x_any, w_any,
                                                       y_any, strides, dilates, pad_l, pad_r);
            const dnnl::convolution_forward::primitive_desc fwd(fwd_desc, engine_);
            auto k = std::make_unique<Kernel>();
            std::string impl;
            if (pass == ConvPass::forward) {
                impl = fwd.impl_info_str();
                k->primitive = dnnl::convolution_forward(fwd);
                k->a_arg = DNNL_ARG_SRC;
                k->w_arg = DNNL_ARG_WEIGHTS;
                k->c_arg = DNNL_ARG_DST;
                k->a = std::make_unique<Operand>(x_user, fwd.src_desc(), engine_);
                k->w = std::make_unique<Weights>(w_user, fwd.weights_desc(), engine_);
                k->c = std::make_unique<Operand>(y_user, fwd.dst_desc(), engine_);
                if (bias) k->bias = std::make_unique<memory>(b_desc, engine_, kNoBuffer);
            } else if (pass == ConvPass::backward_data) {
                const dnnl::convolution_backward_data::primitive_desc pd(
                    dnnl::convolution_backward_data::desc(algorithm::convolution_direct, x_any,
                                                          w_any, y_any, strides, dilates, pad_l,
                                                          pad_r),
                    engine_, fwd);
                impl = pd.impl_info_str();
                k->primitive = dnnl::convolution_backward_data(pd);
                k->a_arg = DNNL_ARG_DIFF_DST;
                k->w_arg = DNNL_ARG_WEIGHTS;
                k->c_arg = DNNL_ARG_DIFF_SRC;
                k->a = std::make_unique<Operand>(y_user, pd.diff_dst_desc(), engine_);
                k->w = std::make_unique<Weights>(w_user, pd.weights_desc(), engine_);
                k->c = std::make_unique<Operand>(x_user, pd.diff_src_desc(), engine_);
            } else {
                const dnnl::convolution_backward_weights::primitive_desc pd(
                    dnnl::convolution_backward_weights::desc(algorithm::convolution_direct, x_any,
                                                             w_any, y_any, strides, dilates, pad_l,
                                                             pad_r),
                    engine_, fwd);
                impl = pd.impl_info_str();
                k->primitive = dnnl::convolution_backward_weights(pd);
                k->a_arg = DNNL_ARG_SRC;
                k->b_arg = DNNL_ARG_DIFF_DST;
                k->w_arg = DNNL_ARG_DIFF_WEIGHTS;
                k->a = std::make_unique<Operand>(x_user, pd.src_desc(), engine_);
                k->b = std::make_unique<Operand>(y_user, pd.diff_dst_desc(), engine_);
                k->w = std::make_unique<Weights>(w_user, pd.diff_weights_desc(), engine_);
            }
            // Reference kernels are written for clarity, not speed: im2col beats them.
            if (impl.rfind("ref", 0) == 0) return nullptr;
            return k;
        } catch (const dnnl::error&) {
            return nullptr;  // a geometry oneDNN does not take: im2col runs it
        }
    }

    dnnl::engine engine_;
    dnnl::stream stream_;
    std::map<Key, std::unique_ptr<Kernel>> kernels_;
};

Convolutions& convolutions() {
    thread_local Convolutions c;  // primitives and their scratch are not shared between threads
    return c;
}

Kernel& kernel(const ConvGeometry& g, ConvPass pass, bool bias) {
    Kernel* k = convolutions().get(g, pass, bias);
    if (!k) throw std::logic_error("oneDNN convolution: no kernel for this geometry");
    return *k;
}

// The pass of activations a (and b) with the weights w in the kernel's
// layout, into c (or into w for the weight gradient); activations are
// reordered in and out of the kernel's layouts.
void run(const ConvGeometry& g, ConvPass pass, const float* a, const float* b, float* c,
         const float* w, const float* bias) {
    Kernel& k = kernel(g, pass, bias != nullptr);
    dnnl::stream& s = convolutions().stream();
    k.w->kernel.set_data_handle(const_cast<float*>(w));
    std::unordered_map<int, memory> args{{k.a_arg, k.a->in(a, s)}, {k.w_arg, k.w->kernel}};
    if (k.b) args.emplace(k.b_arg, k.b->in(b, s));
    if (k.c) args.emplace(k.c_arg, k.c->target(c));
    if (bias) {
        k.bias->set_data_handle(const_cast<float*>(bias));
        args.emplace(DNNL_ARG_BIAS, *k.bias);
    }
    k.primitive.execute(s, args);
    if (k.c) k.c->out(s);
    s.wait();
}

}  // namespace

bool dnnl_conv_available(const ConvGeometry& g, ConvPass pass, bool bias) {
    return convolutions().get(g, pass, bias && pass == ConvPass::forward) != nullptr;
}

int64_t dnnl_weight_floats(const ConvGeometry& g, ConvPass pass, bool bias) {
    return kernel(g, pass, bias && pass == ConvPass::forward).w->floats();
}

bool dnnl_same_weight_layout(const ConvGeometry& a, const ConvGeometry& b, ConvPass pass,
                             bool bias) {
    bias = bias && pass == ConvPass::forward;
    return kernel(a, pass, bias).w->kernel.get_desc() == kernel(b, pass, bias).w->kernel.get_desc();
}

void dnnl_weights_in(const ConvGeometry& g, ConvPass pass, bool bias, const float* w,
                     float* kernel_w) {
    Weights& k = *kernel(g, pass, bias && pass == ConvPass::forward).w;
    dnnl::stream& s = convolutions().stream();
    k.user.set_data_handle(const_cast<float*>(w));
    k.kernel.set_data_handle(kernel_w);
    k.to_kernel.execute(s, k.user, k.kernel);  // also zeroes the layout's padding
    s.wait();
}

void dnnl_weights_out(const ConvGeometry& g, const float* kernel_w, float* w) {
    Weights& k = *kernel(g, ConvPass::backward_weight, false).w;
    dnnl::stream& s = convolutions().stream();
    k.kernel.set_data_handle(const_cast<float*>(kernel_w));
    k.user.set_data_handle(w);
    k.to_user.execute(s, k.kernel, k.user);
    s.wait();
}

void dnnl_conv2d_forward(const ConvGeometry& g, const float* x, const float* kernel_w,
                         const float* bias, float* y) {
    run(g, ConvPass::forward, x, nullptr, y, kernel_w, bias);
}

void dnnl_conv2d_backward_data(const ConvGeometry& g, const float* y, const float* kernel_w,
                               float* x) {
    run(g, ConvPass::backward_data, y, nullptr, x, kernel_w, nullptr);
}

void dnnl_conv2d_backward_weight(const ConvGeometry& g, const float* x, const float* y,
                                 float* kernel_w) {
    run(g, ConvPass::backward_weight, x, y, nullptr, kernel_w, nullptr);
}

}  // namespace ganvas::cpu
