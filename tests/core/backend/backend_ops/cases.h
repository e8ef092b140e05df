// The op cases of tests/core/backend/test_backend_ops.cpp: what a case is, and
// the kernel families a backend may lack. Each family's cases are in
// cases_<family>.h, so the families' rows grow independently.
#pragma once

#include <functional>
#include <stdexcept>
#include <string>
#include <vector>

#include "backend/backend.h"
#include "tensor/tensor.h"

namespace ganvas::backend_ops {

using Inputs = std::vector<Tensor>;

// The kernel families of backend.h; a backend may lack some (the GPU grows one at a time).
enum class Family { elementwise, reduce, norm, spatial, layout, linear, update };

struct OpCase {
    std::string name;                              // a test name: letters, digits and underscores
    std::vector<Shape> inputs;                     // filled with N(0, 1) values
    std::function<Tensor(const Inputs&)> run;      // the op under test, on its inputs
    std::vector<Family> families{Family::linear};  // whose kernels it runs, backward included
    // Whose kernels the double backward runs (none: not checked). A conv
    // bias's differentiable gradient is a sum(), for one.
    std::vector<Family> double_backward{Family::linear};
};

// Whether `be` has `family`; where not, `why` gets the backend's refusal.
inline bool has_family(const Backend& be, Family family, std::string* why) {
    try {
        switch (family) {
            case Family::elementwise:
                be.elementwise();
                break;
            case Family::reduce:
                be.reduce();
                break;
            case Family::norm:
                be.norm();
                break;
            case Family::spatial:
                be.spatial();
                break;
            case Family::layout:
                be.layout();
                break;
            case Family::linear:
                be.linear();
                break;
            case Family::update:
                be.update();
                break;
        }
        return true;
    } catch (const std::runtime_error& e) {
        *why = e.what();
        return false;
    }
}

}  // namespace ganvas::backend_ops
