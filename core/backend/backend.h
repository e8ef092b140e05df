// Backend: one device's memory and kernels, the seam between the ops and the
// hardware.
//
// An op validates its inputs, records its gradient rule and calls one kernel
// entry of the backend its tensors live on; the kernels see Storage and sizes,
// never Tensors, so a backend knows nothing of autograd. Kernels are grouped
// in families, one abstract class each (elementwise_kernels.h, ...); a backend
// that lacks a family yet answers with a clear error naming the op, which lets
// the GPU backend grow one family at a time. The style follows ggml's backend
// interface: a small set of memory functions plus kernel entries.
#pragma once

#include <cstddef>
#include <memory>
#include <string>

#include "backend/device.h"
#include "backend/storage.h"

namespace ganvas {

class ElementwiseKernels;  // backend/elementwise_kernels.h
class ReduceKernels;       // backend/reduce_kernels.h
class NormKernels;         // backend/norm_kernels.h
class SpatialKernels;      // backend/spatial_kernels.h
class LayoutKernels;       // backend/layout_kernels.h
class LinearKernels;       // backend/linear_kernels.h
class UpdateKernels;       // backend/update_kernels.h

class Backend {
public:
    virtual ~Backend() = default;

    virtual Device device() const = 0;
    // For messages and `bench --json`: "cpu", or the GL renderer's name.
    virtual std::string describe() const = 0;

    // -- memory ---------------------------------------------------------------
    virtual std::shared_ptr<Storage> allocate(size_t bytes) = 0;
    virtual void upload(Storage& dst, size_t offset, const void* src, size_t bytes) = 0;
    virtual void download(const Storage& src, size_t offset, void* dst, size_t bytes) = 0;
    // dst[0, bytes) = src[0, bytes), both on this backend.
    virtual void copy(const Storage& src, Storage& dst, size_t bytes) = 0;
    // The first `count` floats of dst set to `value`.
    virtual void fill(Storage& dst, float value, size_t count) = 0;
    // Bytes [0, bytes) of dst set to zero (any dtype).
    virtual void zero(Storage& dst, size_t bytes) = 0;
    // Waits until every kernel queued so far has finished (a no-op on the CPU).
    virtual void synchronize() {}

    // -- kernel families --------------------------------------------------------
    // Each throws std::runtime_error naming current_op() where the family is missing.
    const ElementwiseKernels& elementwise() const { return need(elementwise_, "elementwise"); }
    const ReduceKernels& reduce() const { return need(reduce_, "reduction"); }
    const NormKernels& norm() const { return need(norm_, "normalization"); }
    const SpatialKernels& spatial() const { return need(spatial_, "spatial"); }
    const LayoutKernels& layout() const { return need(layout_, "layout"); }
    const LinearKernels& linear() const { return need(linear_, "linear"); }
    const UpdateKernels& update() const { return need(update_, "update"); }

protected:
    const ElementwiseKernels* elementwise_ = nullptr;
    const ReduceKernels* reduce_ = nullptr;
    const NormKernels* norm_ = nullptr;
    const SpatialKernels* spatial_ = nullptr;
    const LayoutKernels* layout_ = nullptr;
    const LinearKernels* linear_ = nullptr;
    const UpdateKernels* update_ = nullptr;

private:
    template <typename Family>
    const Family& need(const Family* f, const char* family) const {
        if (!f) missing(family);
        return *f;
    }
    [[noreturn]] void missing(const char* family) const;
};

// The backend of a device. The CPU backend always exists; the GPU backend is
// opened on first use and throws std::runtime_error with one line naming what
// was found (renderer and GL version) where no GL 4.3 compute context can be made.
Backend& backend_for(Device device);
// Whether backend_for(device) would succeed; `why` gets the reason when not.
bool backend_available(Device device, std::string* why = nullptr);

}  // namespace ganvas
