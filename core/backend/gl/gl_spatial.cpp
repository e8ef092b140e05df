// The GPU backend's spatial kernels: pooling, plane gathers and scatters,
// resizing and pixel shuffles (shaders/spatial_*.comp).
//
// Every entry writes each output cell from one invocation, so no two write the
// same place and results do not depend on scheduling: the adjoints (average
// pooling's and resizing's backward) gather, each input cell summing the outputs
// that read it, and the scatters walk each plane's indices in order, one
// invocation per plane, as the CPU does. Resizing's tap tables are computed here on
// the host with the CPU's float arithmetic, so the GPU applies the very same
// indices and weights.
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "backend/gl/gl_device.h"
#include "backend/interpolation_taps.h"
#include "backend/spatial_kernels.h"

namespace ganvas::gl {
namespace {

void set(Program& p, const char* name, int64_t v) {
    glProgramUniform1ui(p.id, p.location(name), u32(v));
}
void set_int(Program& p, const char* name, int64_t v) {
    glProgramUniform1i(p.id, p.location(name), static_cast<GLint>(u32(v)));
}
void set_bool(Program& p, const char* name, bool v) {
    glProgramUniform1i(p.id, p.location(name), v ? 1 : 0);
}

// ---------------------------------------------------------------------------
// Resizing: one axis's taps, the CPU's own (backend/interpolation_taps.h), as the
// shaders index them.
struct GlAxisTaps {
    int64_t in = 0, out = 0, k = 1;
    std::vector<int32_t> idx;
    std::vector<float> w;
};

GlAxisTaps gl_axis_taps(InterpolationMode mode, const InterpolateGeometry& g, bool rows) {
    u32(rows ? g.in_h : g.in_w);
    u32((rows ? g.out_h : g.out_w) * 4);
    const AxisTaps t = axis_taps(mode, g, rows);
    return {t.in, t.out, t.k, std::vector<int32_t>(t.idx.begin(), t.idx.end()), t.w};
}

// The taps of one axis turned around: input i is read by the flat taps
// entries[starts[i] .. starts[i + 1]), in order of output.
void readers_of(const GlAxisTaps& a, std::vector<int32_t>& starts, std::vector<int32_t>& entries) {
    std::vector<int32_t> count(static_cast<size_t>(a.in) + 1, 0);
    for (int32_t i : a.idx) ++count[static_cast<size_t>(i) + 1];
    starts.assign(count.begin(), count.end());
    for (size_t i = 1; i < starts.size(); ++i) starts[i] += starts[i - 1];
    entries.assign(a.idx.size(), 0);
    std::vector<int32_t> next(starts.begin(), starts.end() - 1);
    for (size_t t = 0; t < a.idx.size(); ++t)
        entries[static_cast<size_t>(next[static_cast<size_t>(a.idx[t])]++)] =
            static_cast<int32_t>(t);
}

class GlSpatialKernels final : public SpatialKernels {
public:
    explicit GlSpatialKernels(GlBackend& be) : be_(be) {}

    void pool2d_forward(PoolMode mode, const PoolGeometry& g, const Storage& x, Storage& y,
                        Storage* indices) const override {
        if (mode == PoolMode::max && !indices)
            throw std::invalid_argument(std::string(current_op()) + ": max pooling needs indices");
        u32(g.planes * g.in_plane());
        Program& p = be_.program("spatial_pool");
        set_pool(p, mode, g, false);
        be_.bind(0, x);
        be_.bind(1, y);
        be_.bind(2, indices ? *indices : y);  // unwritten for the averages, bound all the same
        run(p, static_cast<uint64_t>(u32(g.planes * g.out_plane())));
    }

    void pool2d_backward(PoolMode mode, const PoolGeometry& g, const Storage& gy,
                         const Storage* indices, Storage& gx) const override {
        if (mode == PoolMode::max) {
            if (!indices)
                throw std::invalid_argument(std::string(current_op()) +
                                            ": max pooling's backward needs indices");
            plane_scatter(true, g.planes, g.out_plane(), g.in_plane(), gy, *indices, gx);
            return;
        }
        u32(g.planes * g.out_plane());
        Program& p = be_.program("spatial_pool");
        set_pool(p, mode, g, true);
        be_.bind(0, gy);
        be_.bind(1, gx);
        be_.bind(2, gx);  // no indices for the averages
        run(p, static_cast<uint64_t>(u32(g.planes * g.in_plane())));
    }

    void plane_gather(int64_t planes, int64_t src_plane, int64_t index_plane, const Storage& src,
                      const Storage& indices, Storage& dst) const override {
        u32(planes * src_plane);
        u32(2 * planes * index_plane);  // int64 indices are two words each
        Program& p = be_.program("spatial_plane");
        set_bool(p, "scatter", false);
        set_bool(p, "accumulate", false);
        set(p, "planes", planes);
        set(p, "index_plane", index_plane);
        set(p, "plane", src_plane);
        be_.bind(0, src);
        be_.bind(1, indices);
        be_.bind(2, dst);
        run(p, static_cast<uint64_t>(planes * index_plane));
    }

    void plane_scatter(bool accumulate, int64_t planes, int64_t index_plane, int64_t dst_plane,
                       const Storage& src, const Storage& indices, Storage& dst) const override {
        u32(planes * dst_plane);
        u32(2 * planes * index_plane);
        be_.zero(dst, static_cast<size_t>(planes * dst_plane) * sizeof(float));
        Program& p = be_.program("spatial_plane");
        set_bool(p, "scatter", true);
        set_bool(p, "accumulate", accumulate);
        set(p, "planes", planes);
        set(p, "index_plane", index_plane);
        set(p, "plane", dst_plane);
        be_.bind(0, src);
        be_.bind(1, indices);
        be_.bind(2, dst);
        run(p, static_cast<uint64_t>(planes));
    }

    void interpolate_forward(InterpolationMode mode, const InterpolateGeometry& g, const Storage& x,
                             Storage& y) const override {
        resize(mode, g, false, x, y);
    }

    void interpolate_backward(InterpolationMode mode, const InterpolateGeometry& g,
                              const Storage& gy, Storage& gx) const override {
        resize(mode, g, true, gy, gx);
    }

    void pixel_shuffle(bool unshuffle, const PixelShuffleGeometry& g, const Storage& x,
                       Storage& y) const override {
        if (g.element_bytes != 4 && g.element_bytes != 8)
            throw std::invalid_argument(std::string(current_op()) +
                                        ": elements of 4 or 8 bytes only");
        const int64_t count = g.N * g.C * g.r * g.r * g.H * g.W, words = g.element_bytes / 4;
        u32(count * words);
        Program& p = be_.program("spatial_shuffle");
        set(p, "count", count);
        set(p, "H", g.H);
        set(p, "W", g.W);
        set(p, "r", g.r);
        set(p, "words", words);
        set_bool(p, "unshuffle", unshuffle);
        be_.bind(0, x);
        be_.bind(1, y);
        run(p, static_cast<uint64_t>(count));
    }

private:
    // Runs `p` over `count` invocations; an empty batch runs nothing (no
    // dispatch of zero workgroups).
    void run(Program& p, uint64_t count) const {
        if (count > 0) be_.dispatch_linear(p, count);
    }

    void set_pool(Program& p, PoolMode mode, const PoolGeometry& g, bool backward) const {
        set_bool(p, "backward", backward);
        set(p, "mode", mode == PoolMode::max ? 0 : mode == PoolMode::avg ? 1 : 2);
        set(p, "planes", g.planes);
        set(p, "in_h", g.in_h);
        set(p, "in_w", g.in_w);
        set(p, "out_h", g.out_h);
        set(p, "out_w", g.out_w);
        set_int(p, "kernel", g.kernel);
        set_int(p, "stride", g.stride);
        set_int(p, "padding", g.padding);
        // The adaptive windows' bounds multiply an index by a size.
        u32((g.in_h + 1) * g.out_h);
        u32((g.in_w + 1) * g.out_w);
    }

    // y = the taps applied to x (forward), or their adjoint (backward).
    void resize(InterpolationMode mode, const InterpolateGeometry& g, bool backward,
                const Storage& x, Storage& y) const {
        u32(g.planes * std::max(g.in_h * g.in_w, g.out_h * g.out_w));
        const GlAxisTaps th = gl_axis_taps(mode, g, true), tw = gl_axis_taps(mode, g, false);
        std::vector<int32_t> start_h, ent_h, start_w, ent_w;
        readers_of(th, start_h, ent_h);
        readers_of(tw, start_w, ent_w);
        // One table of int32 sections and one of weights, uploaded together.
        std::vector<int32_t> table;
        std::vector<int64_t> at;
        const std::vector<int32_t>* parts[] = {&th.idx, &tw.idx,  &start_h,
                                               &ent_h,  &start_w, &ent_w};
        for (const std::vector<int32_t>* part : parts) {
            at.push_back(static_cast<int64_t>(table.size()));
            table.insert(table.end(), part->begin(), part->end());
        }
        std::vector<float> weights(th.w);
        weights.insert(weights.end(), tw.w.begin(), tw.w.end());
        auto table_buffer = upload(table.data(), table.size() * sizeof(int32_t));
        auto weight_buffer = upload(weights.data(), weights.size() * sizeof(float));

        Program& p = be_.program("spatial_interpolate");
        set_bool(p, "backward", backward);
        set(p, "planes", g.planes);
        set(p, "in_h", g.in_h);
        set(p, "in_w", g.in_w);
        set(p, "out_h", g.out_h);
        set(p, "out_w", g.out_w);
        set(p, "kh", th.k);
        set(p, "kw", tw.k);
        const char* names[] = {"idx_h", "idx_w", "start_h", "ent_h", "start_w", "ent_w"};
        for (size_t i = 0; i < at.size(); ++i) set(p, names[i], at[i]);
        set(p, "wt_h", 0);
        set(p, "wt_w", static_cast<int64_t>(th.w.size()));
        be_.bind(0, x);
        be_.bind(1, y);
        be_.bind(2, *table_buffer);
        be_.bind(3, *weight_buffer);
        const int64_t cells = backward ? g.in_h * g.in_w : g.out_h * g.out_w;
        run(p, static_cast<uint64_t>(g.planes * cells));
    }

    // A device buffer holding `bytes` bytes of `data` (at least one word, so it binds).
    std::shared_ptr<Storage> upload(const void* data, size_t bytes) const {
        auto buffer = be_.allocate(std::max<size_t>(bytes, 4));
        if (bytes > 0) be_.upload(*buffer, 0, data, bytes);
        return buffer;
    }

    GlBackend& be_;
};

}  // namespace

std::unique_ptr<SpatialKernels> make_gl_spatial_kernels(GlBackend& backend) {
    return std::make_unique<GlSpatialKernels>(backend);
}

}  // namespace ganvas::gl
