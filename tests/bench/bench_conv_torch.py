#!/usr/bin/env python3
"""PyTorch reference timings for the four DCGAN-28 convolutions (batch 64).

Run with Debian's torch: /usr/bin/python3 tests/bench/bench_conv_torch.py [threads]
Prints ms per layer for forward and for backward (grad input + weight + bias).
"""
import sys
import time

import torch

LAYERS = [
    ("c1  conv 1->64", False, (64, 1, 28, 28), (64, 1, 4, 4), 64),
    ("c2  conv 64->128", False, (64, 64, 14, 14), (128, 64, 4, 4), 128),
    ("up1 convT 128->64", True, (64, 128, 7, 7), (128, 64, 4, 4), 64),
    ("up2 convT 64->1", True, (64, 64, 14, 14), (64, 1, 4, 4), 1),
]


def best_ms(fn, reps):
    fn()
    fn()
    best = float("inf")
    for _ in range(reps):
        t = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - t)
    return best * 1e3


def main():
    threads = int(sys.argv[1]) if len(sys.argv) > 1 else 1
    torch.set_num_threads(threads)
    torch.manual_seed(0)
    mkldnn = torch.backends.mkldnn.is_available()
    print(f"torch {torch.__version__}, {threads} thread(s), mkldnn={mkldnn}")
    for name, transposed, xs, ws, cout in LAYERS:
        x = torch.randn(xs, requires_grad=True)
        w = (0.05 * torch.randn(ws)).requires_grad_()
        b = torch.zeros(cout, requires_grad=True)
        f = torch.nn.functional.conv_transpose2d if transposed else torch.nn.functional.conv2d

        def fwd():
            with torch.no_grad():
                return f(x, w, b, stride=2, padding=1)

        y = f(x, w, b, stride=2, padding=1)
        g = torch.randn_like(y)

        def bwd():
            yy = f(x, w, b, stride=2, padding=1)
            torch.autograd.grad(yy, [x, w, b], g)

        tf = best_ms(fwd, 20)
        tfb = best_ms(bwd, 20)
        print(f"{name:20s} fwd {tf:7.2f} ms   bwd {tfb - tf:7.2f} ms   total {tfb:7.2f} ms")


if __name__ == "__main__":
    main()
