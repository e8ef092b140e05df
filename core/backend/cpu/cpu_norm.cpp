// The CPU backend's normalization kernels: the loops of norm_loops.cpp on
// host pointers.
#include <stdexcept>
#include <string>

#include "backend/cpu/cpu_backend.h"
#include "backend/cpu/norm_loops.h"
#include "backend/norm_kernels.h"

namespace ganvas::cpu {
namespace {

const float* optional_f32(const Storage* s) {
    return s ? f32(*s) : nullptr;
}
float* optional_f32(Storage* s) {
    return s ? f32(*s) : nullptr;
}

NCS ncs(const ChannelLayout& l) {
    return {l.outer, l.channels, l.inner};
}

// Layer norm's rows are its outer index; a layout with inner > 1 is a caller's bug.
void check_layer(const ChannelLayout& l) {
    if (l.inner != 1)
        throw std::invalid_argument("layer norm kernel: expects inner == 1, got " +
                                    std::to_string(l.inner) + " (in " + current_op() + ")");
}

class CpuNormKernels final : public NormKernels {
public:
    void forward(NormMode mode, const ChannelLayout& l, const Storage& x, const Storage* weight,
                 const Storage* bias, float eps, const RunningStats* running, Storage& y,
                 Storage& mean, Storage& invstd) const override {
        if (mode == NormMode::layer) {
            check_layer(l);
            layer_norm_forward(l.outer, l.channels, f32(x), optional_f32(weight),
                               optional_f32(bias), eps, f32(y), f32(mean), f32(invstd));
            return;
        }
        batch_norm_forward(ncs(l), f32(x), optional_f32(weight), optional_f32(bias),
                           running ? optional_f32(running->mean) : nullptr,
                           running ? optional_f32(running->var) : nullptr,
                           running ? running->momentum : 0.0f, eps, f32(y), f32(mean), f32(invstd));
    }
    void backward(NormMode mode, const ChannelLayout& l, const Storage& g, const Storage& x,
                  const Storage* weight, const Storage& mean, const Storage& invstd, Storage* gx,
                  Storage* gweight, Storage* gbias) const override {
        if (mode == NormMode::layer) {
            check_layer(l);
            layer_norm_backward(l.outer, l.channels, f32(g), f32(x), optional_f32(weight),
                                f32(mean), f32(invstd), optional_f32(gx), optional_f32(gweight),
                                optional_f32(gbias));
            return;
        }
        batch_norm_backward(ncs(l), f32(g), f32(x), optional_f32(weight), f32(mean), f32(invstd),
                            optional_f32(gx), optional_f32(gweight), optional_f32(gbias));
    }
    void channel_affine(const ChannelLayout& l, const Storage& x, const Storage* scale,
                        const Storage* shift, Storage& y) const override {
        cpu::channel_affine(ncs(l), f32(x), optional_f32(scale), optional_f32(shift), f32(y));
    }
    void channel_sum(const ChannelLayout& l, const Storage& x, Storage& out) const override {
        cpu::channel_sum(ncs(l), f32(x), f32(out));
    }
    void channel_broadcast(const ChannelLayout& l, const Storage& v, Storage& out) const override {
        cpu::channel_broadcast(ncs(l), f32(v), f32(out));
    }
};

}  // namespace

const NormKernels& cpu_norm_kernels() {
    static const CpuNormKernels kernels;
    return kernels;
}

}  // namespace ganvas::cpu
