#include "ops/loss.h"

#include <stdexcept>
#include <string>
#include <vector>

#include "backend/reduce_kernels.h"
#include "ops/activation.h"
#include "ops/dispatch.h"
#include "ops/elementwise.h"
#include "ops/reduce.h"
#include "tape/tape.h"

namespace ganvas {
namespace {

// Losses compare element by element: shapes must agree exactly. (PyTorch
// broadcasts here with a warning; in this codebase a mismatch is a bug.)
void check_pair(const Tensor& input, const Tensor& target, const char* op) {
    if (!input.defined() || !target.defined())
        throw std::invalid_argument(std::string(op) + ": undefined tensor");
    if (input.dtype() != DType::f32 || target.dtype() != DType::f32)
        throw std::invalid_argument(std::string(op) + ": expects float32 input and target");
    if (input.shape() != target.shape())
        throw std::invalid_argument(std::string(op) + ": input " + shape_str(input.shape()) +
                                    " and target " + shape_str(target.shape()) +
                                    " differ in shape");
}

// mean(loss(x[i], t[i])) over every element, by one kernel: shape ().
Tensor pair_loss_mean(PairLoss op, const Tensor& x, const Tensor& t, const char* name) {
    Backend& be = dispatch(name, {x, t});
    Tensor out = empty_on(x, {});  // ()
    be.reduce().pair_loss_mean(op, x.numel(), x.storage(), t.storage(), out.storage());
    return out;
}

}  // namespace

Tensor binary_cross_entropy_with_logits(const Tensor& logits, const Tensor& target) {
    const char* op = "binary_cross_entropy_with_logits";
    check_pair(logits, target, op);
    Tensor out = pair_loss_mean(PairLoss::bce_with_logits, logits, target, op);
    const float inv_n = 1.0f / static_cast<float>(logits.numel());
    return record(op, out, {logits, target},
                  [logits, target, inv_n](const Tensor& g, const std::vector<bool>& need) {
                      // d/dx = (sigmoid(x) - t) / n, d/dt = -x / n; g is a scalar.
                      Tensor gs = mul_scalar(g, inv_n);
                      Tensor gx = need[0] ? mul(sub(sigmoid(logits), target), gs) : Tensor();
                      Tensor gt = need[1] ? mul(neg(logits), gs) : Tensor();
                      return std::vector<Tensor>{gx, gt};
                  });
}

Tensor mse_loss(const Tensor& input, const Tensor& target) {
    check_pair(input, target, "mse_loss");
    Tensor out = pair_loss_mean(PairLoss::mse, input, target, "mse_loss");
    const float two_over_n = 2.0f / static_cast<float>(input.numel());
    return record(
        "mse_loss", out, {input, target},
        [input, target, two_over_n](const Tensor& g, const std::vector<bool>& need) {
            Tensor gx = mul(sub(input, target), mul_scalar(g, two_over_n));  // 2 (x - t) / n
            return std::vector<Tensor>{need[0] ? gx : Tensor(), need[1] ? neg(gx) : Tensor()};
        });
}

Tensor l1_loss(const Tensor& input, const Tensor& target) {
    check_pair(input, target, "l1_loss");
    Tensor out = pair_loss_mean(PairLoss::l1, input, target, "l1_loss");
    const float inv_n = 1.0f / static_cast<float>(input.numel());
    return record(
        "l1_loss", out, {input, target},
        [input, target, inv_n](const Tensor& g, const std::vector<bool>& need) {
            // sign(x - t) / n, zero where x == t as torch; sign carries no gradient,
            // so second derivatives are zero, which is exact almost everywhere.
            Tensor gx = mul(sign(sub(input, target)), mul_scalar(g, inv_n));
            return std::vector<Tensor>{need[0] ? gx : Tensor(), need[1] ? neg(gx) : Tensor()};
        });
}

Tensor hinge_d_loss(const Tensor& real_logits, const Tensor& fake_logits) {
    Tensor real_term = mean(relu(add_scalar(neg(real_logits), 1.0f)));  // mean(relu(1 - D(x)))
    Tensor fake_term = mean(relu(add_scalar(fake_logits, 1.0f)));       // mean(relu(1 + D(x~)))
    return mul_scalar(add(real_term, fake_term), 0.5f);
}

Tensor hinge_g_loss(const Tensor& fake_logits) {
    return neg(mean(fake_logits));
}

}  // namespace ganvas
