"""Convolutions: F.conv2d and F.conv_transpose2d forward passes and gradients
(input, weight, bias) for the four DCGAN-28 layers at batch 2 and three small
cases with non-square kernels, per-axis stride/padding/dilation and
output_padding.

Inputs come from pattern(): an integer hash scaled into [-scale, scale),
which test_conv_golden.cpp computes bit for bit, so the big DCGAN weights
need no files. The small cases store their inputs too, so the test checks
its pattern() against these. Results over LIMIT elements are stored as their
leading slice along the channel dimension (dim 1 of activations, dim 0 of
weights): the test compares that slice.
"""
import pathlib

import numpy as np
import torch
import torch.nn.functional as F

from make_golden import save

LIMIT = 8192

# name, transposed, x shape, weight shape, bias, stride, padding, dilation, output_padding
CASES = [
    ("c1", False, (2, 1, 28, 28), (64, 1, 4, 4), True, (2, 2), (1, 1), (1, 1), (0, 0)),
    ("c2", False, (2, 64, 14, 14), (128, 64, 4, 4), False, (2, 2), (1, 1), (1, 1), (0, 0)),
    ("up1", True, (2, 128, 7, 7), (128, 64, 4, 4), False, (2, 2), (1, 1), (1, 1), (0, 0)),
    ("up2", True, (2, 64, 14, 14), (64, 1, 4, 4), True, (2, 2), (1, 1), (1, 1), (0, 0)),
    ("dilated", False, (2, 3, 9, 8), (4, 3, 3, 2), True, (2, 1), (1, 2), (2, 1), (0, 0)),
    ("transposed_asym", True, (2, 3, 5, 4), (3, 2, 3, 4), True, (2, 3), (1, 0), (1, 2), (1, 2)),
    # output_padding not below stride, but below dilation: legal, and a
    # case where the gradient is not conv2d's natural output size.
    ("transposed_dil", True, (2, 2, 4, 3), (2, 3, 3, 2), False, (1, 1), (1, 0), (2, 3), (1, 2)),
]
SMALL = {"dilated", "transposed_asym", "transposed_dil"}


def pattern(shape, seed, scale):
    """Element i is ((i * 2654435761 + seed * 40503) mod 2^32) / 2^32 * 2 - 1, times scale."""
    n = int(np.prod(shape))
    i = np.arange(n, dtype=np.uint64)
    h = (i * np.uint64(2654435761) + np.uint64(seed * 40503)) % np.uint64(2**32)
    v = (h.astype(np.float64) / 4294967296.0 * 2.0 - 1.0) * scale
    return torch.from_numpy(v.astype(np.float32).reshape(shape))


def trim(t, dim):
    if t.numel() <= LIMIT:
        return t
    keep = max(1, LIMIT * t.shape[dim] // t.numel())
    return t.narrow(dim, 0, keep)


def make(out):
    out = pathlib.Path(out)
    for name, transposed, xs, ws, has_bias, stride, padding, dilation, out_pad in CASES:
        fan_in = int(np.prod(ws[1:]))
        x = pattern(xs, 1, 1.0).requires_grad_()
        w = pattern(ws, 2, 1.0 / np.sqrt(fan_in)).requires_grad_()
        cout = ws[1] if transposed else ws[0]
        b = pattern((cout,), 3, 0.5).requires_grad_() if has_bias else None
        if transposed:
            y = F.conv_transpose2d(x, w, b, stride, padding, out_pad, 1, dilation)
        else:
            y = F.conv2d(x, w, b, stride, padding, dilation)
        gy = pattern(tuple(y.shape), 4, 1.0)
        inputs = [x, w] + ([b] if has_bias else [])
        grads = torch.autograd.grad(y, inputs, gy)
        save(out / f"{name}_y.npy", trim(y, 1))
        save(out / f"{name}_gx.npy", trim(grads[0], 1))
        save(out / f"{name}_gw.npy", trim(grads[1], 0))
        if has_bias:
            save(out / f"{name}_gb.npy", grads[2])
        if name in SMALL:
            save(out / f"{name}_x.npy", x)
            save(out / f"{name}_w.npy", w)
            save(out / f"{name}_gy.npy", gy)
            if has_bias:
                save(out / f"{name}_b.npy", b)
