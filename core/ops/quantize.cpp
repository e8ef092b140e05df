#include "ops/quantize.h"

#include <stdexcept>

#include "ops/elementwise.h"
#include "ops/matmul.h"
#include "ops/reduce.h"
#include "ops/shape_ops.h"

namespace ganvas {

Tensor straight_through(const Tensor& x, const Tensor& target) {
    if (x.shape() != target.shape())
        throw std::invalid_argument("straight_through: input " + shape_str(x.shape()) +
                                    " and target " + shape_str(target.shape()) + " differ");
    return add(x, sub(target, x).detach());
}

Tensor code_distances(const Tensor& z, const Tensor& codebook) {
    if (z.dim() != 2 || codebook.dim() != 2 || z.size(1) != codebook.size(1))
        throw std::invalid_argument("code_distances: vectors " + shape_str(z.shape()) +
                                    " and codebook " + shape_str(codebook.shape()) +
                                    " must be (M, D) and (K, D)");
    Tensor zz = sum(pow_scalar(z, 2.0f), {1}, true);                     // (M, 1)
    Tensor zc = matmul(mul_scalar(z, 2.0f), transpose(codebook, 0, 1));  // (M, K)
    Tensor cc = unsqueeze(sum(pow_scalar(codebook, 2.0f), {1}), 0);      // (1, K)
    return add(sub(zz, zc), cc);
}

}  // namespace ganvas
