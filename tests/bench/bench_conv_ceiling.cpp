// The most oneDNN's convolution kernels can give one dcgan28 step: each pass
// the step runs, timed alone as a oneDNN primitive in the layouts oneDNN picks
// for itself (so no reorders), with oneDNN's own OpenMP threads, inputs warm in
// the caches, best of many runs. Ganvas's step does these passes and more
// (the reorders, normalization, activations, Adam), so its time cannot be
// below their sum. Not a test: issue 20's arithmetic, run by hand beside the
// FMA probe.
//
//   OMP_NUM_THREADS=2 build/tests/bench_conv_ceiling [reps]
#include <dnnl.hpp>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <unordered_map>

namespace {

using dnnl::memory;
using Tag = memory::format_tag;
constexpr auto kF32 = memory::data_type::f32;

enum class Pass { forward, backward_data, backward_weights };

// A 4×4, stride-2, padding-1 convolution at batch 64, and how often one
// dcgan28 step runs each of its passes through oneDNN (counted with
// ONEDNN_VERBOSE=1; the transposed convolutions are the same passes swapped).
struct Case {
    const char* name;
    int64_t c, k, h;  // channels in, out, input side
    Pass pass;
    int per_step;
};

double flops(const Case& c) {
    const int64_t ho = c.h / 2;
    return 2.0 * 64 * c.k * ho * ho * c.c * 16;
}

template <typename F>
double best_ms(F f, int reps) {
    f();
    double best = 1e30;
    for (int r = 0; r < reps; ++r) {
        const auto t0 = std::chrono::steady_clock::now();
        f();
        best = std::min(
            best, std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0)
                      .count());
    }
    return best;
}

struct Timed {
    double ms;
    std::string impl;
};

Timed time_case(const Case& c, dnnl::engine& e, dnnl::stream& s, int reps) {
    const int64_t ho = c.h / 2;
    const memory::dims xd{64, c.c, c.h, c.h}, wd{c.k, c.c, 4, 4}, yd{64, c.k, ho, ho};
    const memory::dims st{2, 2}, dil{0, 0}, pad{1, 1};
    const memory::desc x(xd, kF32, Tag::any), w(wd, kF32, Tag::any), y(yd, kF32, Tag::any);
    using dnnl::algorithm;
    const dnnl::convolution_forward::primitive_desc fwd(
        dnnl::convolution_forward::desc(dnnl::prop_kind::forward_training,
                                        algorithm::convolution_direct, x, w, y, st, dil, pad, pad),
        e);
    auto filled = [&](const memory::desc& d) {
        memory m(d, e);
        auto* p = static_cast<float*>(m.get_data_handle());
        for (size_t i = 0; i < d.get_size() / sizeof(float); ++i) p[i] = 0.01f * (i % 97);
        return m;
    };
    dnnl::primitive prim;
    std::unordered_map<int, memory> args;
    std::string impl;
    if (c.pass == Pass::forward) {
        prim = dnnl::convolution_forward(fwd);
        args = {{DNNL_ARG_SRC, filled(fwd.src_desc())},
                {DNNL_ARG_WEIGHTS, filled(fwd.weights_desc())},
                {DNNL_ARG_DST, filled(fwd.dst_desc())}};
        impl = fwd.impl_info_str();
    } else if (c.pass == Pass::backward_data) {
        const dnnl::convolution_backward_data::primitive_desc pd(
            dnnl::convolution_backward_data::desc(algorithm::convolution_direct, x, w, y, st, dil,
                                                  pad, pad),
            e, fwd);
        prim = dnnl::convolution_backward_data(pd);
        args = {{DNNL_ARG_DIFF_DST, filled(pd.diff_dst_desc())},
                {DNNL_ARG_WEIGHTS, filled(pd.weights_desc())},
                {DNNL_ARG_DIFF_SRC, filled(pd.diff_src_desc())}};
        impl = pd.impl_info_str();
    } else {
        const dnnl::convolution_backward_weights::primitive_desc pd(
            dnnl::convolution_backward_weights::desc(algorithm::convolution_direct, x, w, y, st,
                                                     dil, pad, pad),
            e, fwd);
        prim = dnnl::convolution_backward_weights(pd);
        args = {{DNNL_ARG_SRC, filled(pd.src_desc())},
                {DNNL_ARG_DIFF_DST, filled(pd.diff_dst_desc())},
                {DNNL_ARG_DIFF_WEIGHTS, filled(pd.diff_weights_desc())}};
        impl = pd.impl_info_str();
    }
    const double ms = best_ms(
        [&] {
            prim.execute(s, args);
            s.wait();
        },
        reps);
    return {ms, impl};
}

}  // namespace

int main(int argc, char** argv) {
    const int reps = argc > 1 ? std::max(1, std::atoi(argv[1])) : 50;
    const Case cases[] = {
        {"D c2 64->128 (and G up1's input gradient)", 64, 128, 14, Pass::forward, 4},
        {"D c2 input gradient (and G up1 forward)", 64, 128, 14, Pass::backward_data, 4},
        {"D c2 weight gradient (and G up1's)", 64, 128, 14, Pass::backward_weights, 3},
        {"D c1 1->64 (and G up2's input gradient)", 1, 64, 28, Pass::forward, 4},
        {"D c1 weight gradient (and G up2's)", 1, 64, 28, Pass::backward_weights, 3},
    };
    dnnl::engine e(dnnl::engine::kind::cpu, 0);
    dnnl::stream s(e);
    const char* threads = std::getenv("OMP_NUM_THREADS");
    std::printf("oneDNN %d.%d, OMP_NUM_THREADS=%s, best of %d\n", dnnl_version()->major,
                dnnl_version()->minor, threads ? threads : "(unset)", reps);
    std::printf("%-44s %8s %9s %6s %10s  %s\n", "pass", "ms", "GFLOP/s", "/step", "ms/step",
                "kernel");
    double step_ms = 0, step_flops = 0;
    for (const Case& c : cases) {
        const Timed t = time_case(c, e, s, reps);
        step_ms += t.ms * c.per_step;
        step_flops += flops(c) * c.per_step;
        std::printf("%-44s %8.3f %9.1f %6d %10.3f  %s\n", c.name, t.ms, flops(c) / t.ms / 1e6,
                    c.per_step, t.ms * c.per_step, t.impl.c_str());
    }
    std::printf("sum over one step: %.2f ms for %.2f GFLOP (%.1f GFLOP/s)\n", step_ms,
                step_flops / 1e9, step_flops / step_ms / 1e6);
    std::printf(
        "at the benchmark's 10.4 GFLOP a step, a step this fast would run at %.1f GFLOP/s\n",
        10.4e9 / step_ms / 1e6);
    return 0;
}
