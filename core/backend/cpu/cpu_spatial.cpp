// The CPU backend's spatial kernels: pooling, resizing and pixel shuffles; the
// loops are in spatial_loops.cpp.
#include "backend/cpu/cpu_backend.h"
#include "backend/cpu/spatial_loops.h"
#include "backend/spatial_kernels.h"

namespace ganvas::cpu {
namespace {

class CpuSpatialKernels final : public SpatialKernels {
public:
    void pool2d_forward(PoolMode mode, const PoolGeometry& g, const Storage& x, Storage& y,
                        Storage* indices) const override {
        cpu::pool2d_forward(mode, g, f32(x), f32(y), indices ? i64(*indices) : nullptr);
    }
    void pool2d_backward(PoolMode mode, const PoolGeometry& g, const Storage& gy,
                         const Storage* indices, Storage& gx) const override {
        cpu::pool2d_backward(mode, g, f32(gy), indices ? i64(*indices) : nullptr, f32(gx));
    }
    void plane_gather(int64_t planes, int64_t src_plane, int64_t index_plane, const Storage& src,
                      const Storage& indices, Storage& dst) const override {
        cpu::plane_gather(planes, src_plane, index_plane, f32(src), i64(indices), f32(dst));
    }
    void plane_scatter(bool accumulate, int64_t planes, int64_t index_plane, int64_t dst_plane,
                       const Storage& src, const Storage& indices, Storage& dst) const override {
        cpu::plane_scatter(accumulate, planes, index_plane, dst_plane, f32(src), i64(indices),
                           f32(dst));
    }
    void interpolate_forward(InterpolationMode mode, const InterpolateGeometry& g, const Storage& x,
                             Storage& y) const override {
        cpu::interpolate_forward(mode, g, f32(x), f32(y));
    }
    void interpolate_backward(InterpolationMode mode, const InterpolateGeometry& g,
                              const Storage& gy, Storage& gx) const override {
        cpu::interpolate_backward(mode, g, f32(gy), f32(gx));
    }
    void pixel_shuffle(bool unshuffle, const PixelShuffleGeometry& g, const Storage& x,
                       Storage& y) const override {
        cpu::pixel_shuffle(unshuffle, g, x.kernel_data(), y.kernel_data());
    }
};

}  // namespace

const SpatialKernels& cpu_spatial_kernels() {
    static const CpuSpatialKernels kernels;
    return kernels;
}

}  // namespace ganvas::cpu
