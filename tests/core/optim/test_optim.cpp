// Optimizers against torch.optim: parameters after each of four steps on
// fixed gradients, and state save/restore continuing exactly.
#include <gtest/gtest.h>

#include <functional>
#include <memory>

#include "io/npy.h"
#include "optim/optimizer.h"
#include "support/golden.h"

using namespace ganvas;
using ganvas::testing::expect_close;
using ganvas::testing::golden;

namespace {

using Factory = std::function<std::unique_ptr<Optimizer>(Tensor)>;

void run_steps(Optimizer& opt, Tensor p, const Tensor& grads, int from, int to,
               std::vector<Tensor>* history) {
    const int64_t n = p.numel();
    for (int s = from; s < to; ++s) {
        Tensor g = Tensor::empty(p.shape());
        std::copy(grads.data() + s * n, grads.data() + (s + 1) * n, g.data());
        p.set_grad(g);
        opt.step();
        if (history) history->push_back(p.clone());
    }
}

void check_against_torch(const std::string& name, const Factory& make) {
    Tensor p = golden("optim/p0.npy").requires_grad_();
    Tensor grads = golden("optim/grads.npy");
    auto opt = make(p);
    std::vector<Tensor> history;
    run_steps(*opt, p, grads, 0, 4, &history);
    std::vector<float> steps;  // (4, 7): the parameter after each step
    for (const Tensor& h : history) steps.insert(steps.end(), h.data(), h.data() + h.numel());
    expect_close(Tensor::from_vector({4, 7}, steps), golden("optim/" + name + ".npy"), 2e-6, 0,
                 name + " steps");

    // Save after two steps, restore into a fresh optimizer, finish: same numbers.
    Tensor q = golden("optim/p0.npy").requires_grad_();
    auto first = make(q);
    run_steps(*first, q, grads, 0, 2, nullptr);
    NamedTensors saved = first->state("opt");
    std::map<std::string, Tensor> state;
    for (auto& [k, t] : saved) state[k] = t.clone();
    auto second = make(q);
    second->load_state(state, "opt", "test");
    run_steps(*second, q, grads, 2, 4, nullptr);
    expect_close(q, history[3], 0, 0, name + " resumed");
}

}  // namespace

TEST(OptimGolden, SGD) {
    check_against_torch(
        "sgd", [](Tensor p) { return std::make_unique<SGD>(std::vector<Tensor>{p}, 0.1); });
    check_against_torch("sgd_momentum", [](Tensor p) {
        return std::make_unique<SGD>(std::vector<Tensor>{p}, 0.1, 0.9, 0.01);
    });
    check_against_torch("sgd_nesterov", [](Tensor p) {
        return std::make_unique<SGD>(std::vector<Tensor>{p}, 0.1, 0.9, 0.0, true);
    });
}

TEST(OptimGolden, Adam) {
    check_against_torch("adam_dcgan", [](Tensor p) {
        return std::make_unique<Adam>(std::vector<Tensor>{p}, 2e-4, 0.5, 0.999);
    });
    check_against_torch("adam_wgan", [](Tensor p) {
        return std::make_unique<Adam>(std::vector<Tensor>{p}, 1e-4, 0.0, 0.9);
    });
    check_against_torch("adam_l2", [](Tensor p) {
        return std::make_unique<Adam>(std::vector<Tensor>{p}, 1e-2, 0.9, 0.999, 1e-8, 0.1);
    });
    check_against_torch("adamw_prior", [](Tensor p) {
        return make_adamw(std::vector<Tensor>{p}, 3e-4, 0.9, 0.95, 0.01);
    });
}

TEST(OptimGolden, RMSprop) {
    check_against_torch("rmsprop_wgan", [](Tensor p) {
        return std::make_unique<RMSprop>(std::vector<Tensor>{p}, 5e-5);
    });
}

TEST(Optim, SkipsParametersWithoutGradient) {
    Tensor p = Tensor::from_vector({2}, {1.0f, 2.0f}).requires_grad_();
    Adam opt({p}, 0.1);
    opt.step();
    EXPECT_EQ(p.to_vector(), (std::vector<float>{1.0f, 2.0f}));
}

TEST(Optim, LoadStateRejectsMissingOrMisshapenTensors) {
    Tensor p = Tensor::zeros({3}).requires_grad_();
    Adam opt({p}, 0.1);
    std::map<std::string, Tensor> state;
    EXPECT_THROW(opt.load_state(state, "opt", "ckpt.safetensors"), std::runtime_error);
    state["opt.step"] = Tensor::from_vector_i64({}, {1});
    state["opt.0.exp_avg"] = Tensor::zeros({4});
    state["opt.0.exp_avg_sq"] = Tensor::zeros({3});
    try {
        opt.load_state(state, "opt", "ckpt.safetensors");
        FAIL() << "expected an error";
    } catch (const std::runtime_error& e) {
        EXPECT_NE(std::string(e.what()).find("ckpt.safetensors"), std::string::npos);
        EXPECT_NE(std::string(e.what()).find("opt.0.exp_avg"), std::string::npos);
    }
}

TEST(Optim, ClipWeights) {
    Tensor p = Tensor::from_vector({4}, {-1.0f, -0.005f, 0.02f, 0.0f});
    clip_weights_({p}, 0.01f);
    EXPECT_EQ(p.to_vector(), (std::vector<float>{-0.01f, -0.005f, 0.01f, 0.0f}));
}
