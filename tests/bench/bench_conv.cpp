// Timings of the four DCGAN-28 convolutions at batch 64: forward, and backward
// (input, weight and bias gradients), best of many runs. Not a test; compare
// with tests/bench/bench_conv_torch.py run right before or after on the same machine.
//
//   build/tests/bench_conv [threads]
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>

#include "autograd/autograd.h"
#include "backend/cpu/thread_pool.h"
#include "ops/ops.h"
#include "tensor/rng.h"

using namespace ganvas;

namespace {

template <typename F>
double best_ms(F f, int reps) {
    f();
    f();
    double best = 1e30;
    for (int r = 0; r < reps; ++r) {
        auto t0 = std::chrono::steady_clock::now();
        f();
        best = std::min(
            best, std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0)
                      .count());
    }
    return best;
}

struct Layer {
    const char* name;
    bool transposed;
    Shape x, w;
    int64_t cout;
};

}  // namespace

int main(int argc, char** argv) {
    const int threads = argc > 1 ? std::atoi(argv[1]) : 2;
    const int reps = argc > 2 ? std::atoi(argv[2]) : 20;
    cpu::set_num_threads(threads);
    std::printf("ganvas, %d thread(s)\n", threads);
    const Layer layers[] = {
        {"c1  conv 1->64", false, {64, 1, 28, 28}, {64, 1, 4, 4}, 64},
        {"c2  conv 64->128", false, {64, 64, 14, 14}, {128, 64, 4, 4}, 128},
        {"up1 convT 128->64", true, {64, 128, 7, 7}, {128, 64, 4, 4}, 64},
        {"up2 convT 64->1", true, {64, 64, 14, 14}, {64, 1, 4, 4}, 1},
    };
    Conv2dParams p;
    p.stride = {2, 2};
    p.padding = {1, 1};
    Rng rng(0);
    double total_f = 0, total_b = 0;
    for (const Layer& L : layers) {
        Tensor x = rng.randn(L.x).requires_grad_();
        Tensor w = rng.randn(L.w).requires_grad_();
        Tensor b = Tensor::zeros({L.cout}).requires_grad_();
        auto f = [&] { return L.transposed ? conv_transpose2d(x, w, b, p) : conv2d(x, w, b, p); };
        Tensor g;
        {
            NoGradGuard ng;
            g = rng.randn(f().shape());
        }
        const double tf = best_ms(
            [&] {
                NoGradGuard ng;
                f();
            },
            reps);
        const double tfb = best_ms([&] { grad({f()}, {x, w, b}, {g}); }, reps);
        total_f += tf;
        total_b += tfb - tf;
        std::printf("%-20s fwd %7.2f ms   bwd %7.2f ms   total %7.2f ms\n", L.name, tf, tfb - tf,
                    tfb);
    }
    std::printf("%-20s fwd %7.2f ms   bwd %7.2f ms   total %7.2f ms\n", "all four", total_f,
                total_b, total_f + total_b);
}
