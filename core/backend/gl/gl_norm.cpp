// The GPU backend's normalization kernels: up to a workgroup of invocations
// per statistic group (a channel in batch mode, a row in layer mode) that
// reduces its values in shared memory and then writes its outputs (shaders/norm_forward.comp,
// norm_backward.comp), per-channel sums over the other dimensions
// (norm_columns.comp: channel_sum and layer norm's parameter gradients) and
// a per-channel elementwise map (norm_affine.comp).
#include <algorithm>
#include <cstdint>
#include <limits>
#include <memory>
#include <stdexcept>
#include <string>

#include "backend/gl/gl_device.h"
#include "backend/norm_kernels.h"

namespace ganvas::gl {
namespace {

void set(Program& p, const char* name, GLuint v) {
    glProgramUniform1ui(p.id, p.location(name), v);
}
void set_bool(Program& p, const char* name, bool v) {
    glProgramUniform1i(p.id, p.location(name), v ? 1 : 0);
}

// Layer norm's rows are its outer index; a layout with inner > 1 is a caller's bug.
void check_layer(const ChannelLayout& l) {
    if (l.inner != 1)
        throw std::invalid_argument("layer norm kernel: expects inner == 1, got " +
                                    std::to_string(l.inner) + " (in " + current_op() + ")");
}

// Where the values of one statistic group lie: element k of group g is at
// g * group_stride + (k / block_len) * block_stride + k % block_len.
struct Groups {
    int64_t groups = 0, count = 0, block_len = 1, block_stride = 0, group_stride = 0;
};

Groups groups_of(NormMode mode, const ChannelLayout& l) {
    if (mode == NormMode::layer) {  // rows of D contiguous values
        check_layer(l);
        return {l.outer, l.channels, std::max<int64_t>(l.channels, 1), 0, l.channels};
    }
    // A channel: `outer` blocks of `inner` contiguous values, C * inner apart.
    return {l.channels, l.outer * l.inner, std::max<int64_t>(l.inner, 1), l.channels * l.inner,
            l.inner};
}

void set_groups(Program& p, NormMode mode, const Groups& g) {
    set(p, "groups", u32(g.groups));
    set(p, "count", u32(g.count));
    set(p, "block_len", u32(g.block_len));
    set(p, "block_stride", u32(g.block_stride));
    set(p, "group_stride", u32(g.group_stride));
    set_bool(p, "layer", mode == NormMode::layer);
    // (N, C) in batch mode: neighbouring channels are neighbours in memory.
    set_bool(p, "interleave", mode == NormMode::batch && g.block_len == 1);
}

class GlNormKernels final : public NormKernels {
public:
    explicit GlNormKernels(GlBackend& be) : be_(be) {}

    void forward(NormMode mode, const ChannelLayout& l, const Storage& x, const Storage* weight,
                 const Storage* bias, float eps, const RunningStats* running, Storage& y,
                 Storage& mean, Storage& invstd) const override {
        const Groups g = groups_of(mode, l);
        u32(l.numel());
        if (g.groups == 0 || g.count == 0) return;
        const Storage* rm = running && mode == NormMode::batch ? running->mean : nullptr;
        const Storage* rv = running && mode == NormMode::batch ? running->var : nullptr;
        Program& p = be_.program("norm_forward");
        set_groups(p, mode, g);
        set_bool(p, "has_weight", weight != nullptr);
        set_bool(p, "has_bias", bias != nullptr);
        set_bool(p, "has_running_mean", rm != nullptr);
        set_bool(p, "has_running_var", rv != nullptr);
        set_float(p, "eps", eps);
        set_float(p, "momentum", running ? running->momentum : 0.0f);
        // Absent buffers are never read, but every binding needs one.
        be_.bind(0, x);
        be_.bind(1, weight ? *weight : x);
        be_.bind(2, bias ? *bias : x);
        be_.bind(3, y);
        be_.bind(4, mean);
        be_.bind(5, invstd);
        be_.bind(6, rm ? *rm : mean);
        be_.bind(7, rv ? *rv : invstd);
        dispatch_groups(p, g.groups, g.count);
    }

    void backward(NormMode mode, const ChannelLayout& l, const Storage& g, const Storage& x,
                  const Storage* weight, const Storage& mean, const Storage& invstd, Storage* gx,
                  Storage* gweight, Storage* gbias) const override {
        const Groups gr = groups_of(mode, l);
        u32(l.numel());
        if (mode == NormMode::layer && (gweight || gbias)) {
            // Sums over rows per column: (rows, D, 1) summed over its outer index.
            column_sums(l, g, &x, &mean, &invstd, gbias, gweight);
        }
        const bool batch_params = mode == NormMode::batch && (gweight || gbias);
        if (!gx && !batch_params) return;
        if (gr.groups == 0) return;
        if (gr.count == 0) {  // channels without values: zero parameter gradients, an empty gx
            for (Storage* s : {gweight, gbias})
                if (s && batch_params)
                    be_.zero(*s, static_cast<size_t>(l.channels) * sizeof(float));
            return;
        }
        Program& p = be_.program("norm_backward");
        set_groups(p, mode, gr);
        set_bool(p, "has_weight", weight != nullptr);
        set_bool(p, "want_gx", gx != nullptr);
        set_bool(p, "want_gweight", mode == NormMode::batch && gweight);
        set_bool(p, "want_gbias", mode == NormMode::batch && gbias);
        be_.bind(0, g);
        be_.bind(1, x);
        be_.bind(2, weight ? *weight : x);
        be_.bind(3, mean);
        be_.bind(4, invstd);
        be_.bind(5, gx ? *gx : g);  // unwritten when not wanted (want_* false)
        be_.bind(6, gweight && mode == NormMode::batch ? *gweight : mean);
        be_.bind(7, gbias && mode == NormMode::batch ? *gbias : invstd);
        dispatch_groups(p, gr.groups, gr.count);
    }

    void channel_affine(const ChannelLayout& l, const Storage& x, const Storage* scale,
                        const Storage* shift, Storage& y) const override {
        affine(l, x, scale, shift, false, y);
    }

    void channel_sum(const ChannelLayout& l, const Storage& x, Storage& out) const override {
        column_sums(l, x, nullptr, nullptr, nullptr, &out, nullptr);
    }

    void channel_broadcast(const ChannelLayout& l, const Storage& v, Storage& out) const override {
        affine(l, v, &v, nullptr, true, out);
    }

private:
    // `groups` groups of `count` values each, `lanes` invocations per group and
    // 256 / lanes groups per workgroup, in chunks of the 65535 workgroups a
    // dispatch allows.
    void dispatch_groups(Program& p, int64_t groups, int64_t count) const {
        // A power of two covering the values, at most a workgroup: short rows
        // share a workgroup instead of leaving most of one idle.
        GLuint lanes = 1;
        while (lanes < 256 && lanes < count) lanes <<= 1;
        set(p, "lanes", lanes);
        const int64_t per_workgroup = 256 / lanes;
        const int64_t workgroups = (groups + per_workgroup - 1) / per_workgroup;
        for (int64_t w0 = 0; w0 < workgroups; w0 += 65535) {
            set(p, "base", u32(w0));
            be_.dispatch(p, u32(std::min<int64_t>(65535, workgroups - w0)));
        }
    }

    // sum (channels) = g summed over outer and inner; with x, mean, invstd
    // (one per outer index) also xhat_sum = the sum of g * (x - mean) * invstd.
    void column_sums(const ChannelLayout& l, const Storage& g, const Storage* x,
                     const Storage* mean, const Storage* invstd, Storage* sum,
                     Storage* xhat_sum) const {
        if (l.channels == 0) return;
        if (u32(l.numel()) == 0) {  // nothing to sum: zeros
            for (Storage* s : {sum, xhat_sum})
                if (s) be_.zero(*s, static_cast<size_t>(l.channels) * sizeof(float));
            return;
        }
        Program& p = be_.program("norm_columns");
        set(p, "outer", u32(l.outer));
        set(p, "channels", u32(l.channels));
        set(p, "inner", u32(l.inner));
        set_bool(p, "interleave", l.inner == 1);  // neighbouring channels are neighbours in memory
        set_bool(p, "want_sum", sum != nullptr);
        set_bool(p, "with_stats", xhat_sum != nullptr);
        const Storage& any = sum ? *sum : *xhat_sum;
        be_.bind(0, g);
        be_.bind(1, x ? *x : g);
        be_.bind(2, mean ? *mean : g);
        be_.bind(3, invstd ? *invstd : g);
        be_.bind(4, sum ? *sum : any);
        be_.bind(5, xhat_sum ? *xhat_sum : any);
        dispatch_groups(p, l.channels, l.outer * l.inner);
    }

    void affine(const ChannelLayout& l, const Storage& x, const Storage* scale,
                const Storage* shift, bool broadcast, Storage& y) const {
        const GLuint total = u32(l.numel());
        if (total == 0) return;
        Program& p = be_.program("norm_affine");
        set(p, "total", total);
        set(p, "channels", u32(l.channels));
        set(p, "inner", u32(l.inner));
        set_bool(p, "interleave", l.inner == 1);  // neighbouring channels are neighbours in memory
        set_bool(p, "broadcast", broadcast);
        set_bool(p, "has_scale", scale != nullptr);
        set_bool(p, "has_shift", shift != nullptr);
        be_.bind(0, x);
        be_.bind(1, scale ? *scale : x);
        be_.bind(2, shift ? *shift : x);
        be_.bind(3, y);
        be_.dispatch_linear(p, total);
    }

    GlBackend& be_;
};

}  // namespace

std::unique_ptr<NormKernels> make_gl_norm_kernels(GlBackend& backend) {
    return std::make_unique<GlNormKernels>(backend);
}

}  // namespace ganvas::gl
