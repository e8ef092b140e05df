"""Golden tensors for issue 6: interpolate in every mode, PixelShuffle/Unshuffle,
max_pool2d indices with max_unpool2d, transposed convolutions with output_padding,
and the image-analysis helpers (PSNR, SSIM, 2-D FFT magnitude) computed with numpy.

Interpolation cases are listed in interp_cases.txt, one per line:
    name mode align_corners N C H W size_h size_w scale_h scale_w
(size 0 0 when a scale factor is given and scale 0 0 when a size is). Each case
saves its input x, an upstream gradient gy, the output y and gx = d sum(y * gy)/dx,
the adjoint of torch's forward. Torch's autograd gives the same gx except in the
cases listed in torch_backward_not_adjoint.txt, where its backward kernel is not
the adjoint of its own forward kernel.
"""
import numpy as np
import torch
import torch.nn.functional as F

from make_golden import save

# (input (C, H, W), output size or None, scale factor or None). One channel matters:
# torch routes a (N, 1, H, W) tensor, which is also channels-last contiguous, to a
# nearest kernel with shortcuts (out == in copies, out == 2 in halves) that the
# NCHW kernel lacks.
SPECS = [
    ((2, 5, 7), None, (2.0, 2.0)),
    ((2, 7, 6), None, (2.1, 2.1)),    # out == 2 in with a scale that is not 2
    ((1, 7, 6), None, (2.1, 2.1)),    # the same through the one-channel kernel
    ((2, 5, 7), None, (3.0, 3.0)),
    ((2, 6, 6), None, (0.5, 0.5)),     # downsampling
    ((2, 5, 7), None, (1.5, 1.7)),     # non-integer: the given scale, not in/out, places samples
    ((2, 4, 9), None, (2.3, 0.75)),
    ((2, 10, 10), None, (1.05, 1.09)),  # out == in: bilinear copies, the others do not
    ((1, 10, 10), None, (1.05, 1.09)),  # ... and one-channel nearest copies too
    ((2, 7, 5), None, (1 / 3, 0.4)),
    ((2, 5, 7), (1, 1), None),          # output size 1
    ((2, 5, 7), (1, 9), None),
    ((1, 4, 6), (9, 5), None),
    ((2, 1, 4), (3, 8), None),          # input size 1
]
MODES = [("nearest", False), ("nearest-exact", False), ("bilinear", False), ("bilinear", True),
         ("bicubic", False), ("bicubic", True), ("area", False)]


def adjoint(f, x, gy):
    """d sum(f(x) * gy)/dx from f's forward alone: f is linear, so column i of its
    Jacobian is f(e_i). PyTorch's own backward kernels are not always the adjoint
    of its forward kernels (see interp()); the forward is the reference."""
    n, c, h, w = x.shape
    basis = torch.eye(h * w).view(h * w, 1, h, w).expand(h * w, c, h, w).contiguous()
    with torch.no_grad():
        cols = f(basis)  # (h*w, c, Ho, Wo): plane-wise response to each unit pixel
    return torch.einsum("icyx,ncyx->nci", cols, gy).reshape(n, c, h, w)


def interp(out):
    lines = []
    not_adjoint = []
    for s, (chw, size, scale) in enumerate(SPECS):
        hw = chw[1:]
        x = torch.randn(2, *chw, requires_grad=True)
        for mode, align in MODES:
            name = f"i{s}_{mode.replace('-', '_')}_{int(align)}"
            kw = {"mode": mode}
            if mode in ("bilinear", "bicubic"):
                kw["align_corners"] = align
            if size is not None:
                f = lambda t: F.interpolate(t, size=size, **kw)  # noqa: E731
            else:
                f = lambda t: F.interpolate(t, scale_factor=scale, **kw)  # noqa: E731
            y = f(x)
            gy = torch.randn_like(y)
            (gx_torch,) = torch.autograd.grad((y * gy).sum(), x)
            gx = adjoint(f, x.detach(), gy)
            if not torch.allclose(gx, gx_torch, atol=1e-5, rtol=1e-5):
                # Torch's backward disagrees with its own forward here (the backward kernels
                # keep out == in / 2x shortcuts that the NCHW forward kernels dropped).
                not_adjoint.append(name)
            for suffix, t in (("x", x), ("gy", gy), ("y", y), ("gx", gx)):
                save(out / f"{name}_{suffix}.npy", t)
            sz = size or (0, 0)
            sc = scale or (0.0, 0.0)
            lines.append(f"{name} {mode} {int(align)} 2 {chw[0]} {hw[0]} {hw[1]} {sz[0]} {sz[1]} "
                         f"{sc[0]!r} {sc[1]!r}")
    (out / "interp_cases.txt").write_text("\n".join(lines) + "\n")
    (out / "torch_backward_not_adjoint.txt").write_text("\n".join(not_adjoint) + "\n")


def shuffle(out):
    for r, shape in ((2, (2, 8, 3, 4)), (3, (1, 9, 2, 3))):
        x = torch.randn(*shape, requires_grad=True)
        y = F.pixel_shuffle(x, r)
        gy = torch.randn_like(y)
        (gx,) = torch.autograd.grad((y * gy).sum(), x)
        for suffix, t in (("x", x), ("gy", gy), ("y", y), ("gx", gx)):
            save(out / f"shuffle{r}_{suffix}.npy", t)
        u = F.pixel_unshuffle(y.detach(), r)
        save(out / f"unshuffle{r}_y.npy", u)


def unpool(out):
    for name, (shape, k, s, p) in {"pool2": ((2, 3, 6, 8), 2, 2, 0),
                                   "pool3": ((1, 2, 7, 7), 3, 2, 1)}.items():
        x = torch.randn(*shape, requires_grad=True)
        y, idx = F.max_pool2d(x, k, s, p, return_indices=True)
        z = F.max_unpool2d(y, idx, k, s, p, output_size=shape[2:])
        gz = torch.randn_like(z)
        (gx,) = torch.autograd.grad((z * gz).sum(), x)
        yl = y.detach().requires_grad_(True)
        zl = F.max_unpool2d(yl, idx, k, s, p, output_size=shape[2:])
        (gy,) = torch.autograd.grad((zl * gz).sum(), yl)
        for suffix, t in (("x", x), ("y", y), ("idx", idx), ("z", z), ("gz", gz), ("gx", gx),
                          ("gy", gy)):
            save(out / f"{name}_{suffix}.npy", t)


def transposed(out):
    # The checkerboard lab's layers: (in, out, kernel, stride, padding, output_padding)
    for name, (cin, cout, k, s, p, op) in {"ct_k3s2": (2, 3, 3, 2, 1, 1),
                                           "ct_k4s2": (3, 2, 4, 2, 1, 0),
                                           "ct_k5s3": (2, 2, 5, 3, 2, 2)}.items():
        x = torch.randn(2, cin, 4, 5, requires_grad=True)
        w = torch.randn(cin, cout, k, k, requires_grad=True)
        b = torch.randn(cout, requires_grad=True)
        y = F.conv_transpose2d(x, w, b, stride=s, padding=p, output_padding=op)
        gy = torch.randn_like(y)
        gx, gw, gb = torch.autograd.grad((y * gy).sum(), (x, w, b))
        for suffix, t in (("x", x), ("w", w), ("b", b), ("gy", gy), ("y", y), ("gx", gx),
                          ("gw", gw), ("gb", gb)):
            save(out / f"{name}_{suffix}.npy", t)


def modules(out):
    """Resize-convolution (nearest or bilinear 2x, then conv 3x3 padding 1) and sub-pixel
    convolution (conv 3x3 to 4x channels, then PixelShuffle(2)), with weight gradients."""
    for name, (mode, cout_factor) in {"resize_nearest": ("nearest", 1),
                                      "resize_bilinear": ("bilinear", 1),
                                      "subpixel": (None, 4)}.items():
        x = torch.randn(2, 3, 4, 5, requires_grad=True)
        w = (torch.randn(2 * cout_factor, 3, 3, 3) * 0.3).requires_grad_(True)
        b = torch.randn(2 * cout_factor, requires_grad=True)
        if mode is None:
            y = F.pixel_shuffle(F.conv2d(x, w, b, padding=1), 2)
        else:
            y = F.conv2d(F.interpolate(x, scale_factor=2, mode=mode), w, b, padding=1)
        gy = torch.randn_like(y)
        gx, gw, gb = torch.autograd.grad((y * gy).sum(), (x, w, b))
        for suffix, t in (("x", x), ("w", w), ("b", b), ("gy", gy), ("y", y), ("gx", gx),
                          ("gw", gw), ("gb", gb)):
            save(out / f"{name}_{suffix}.npy", t)


def gaussian_window(size=11, sigma=1.5):
    c = np.arange(size, dtype=np.float64) - size // 2
    g = np.exp(-(c ** 2) / (2 * sigma ** 2))
    return g / g.sum()


def ssim_numpy(a, b, data_range):
    """Wang et al. 2004 with an 11x11 Gaussian (sigma 1.5), valid positions only,
    K1 = 0.01, K2 = 0.03, population (co)variances: pytorch-msssim's ssim, and
    skimage's structural_similarity(gaussian_weights=True, use_sample_covariance=False)."""
    g = gaussian_window()

    def filt(img):  # separable valid correlation over the last two axes
        h = np.apply_along_axis(lambda r: np.convolve(r, g[::-1], mode="valid"), -1, img)
        return np.apply_along_axis(lambda c: np.convolve(c, g[::-1], mode="valid"), -2, h)

    a = a.astype(np.float64)
    b = b.astype(np.float64)
    c1, c2 = (0.01 * data_range) ** 2, (0.03 * data_range) ** 2
    mu_a, mu_b = filt(a), filt(b)
    saa = filt(a * a) - mu_a ** 2
    sbb = filt(b * b) - mu_b ** 2
    sab = filt(a * b) - mu_a * mu_b
    m = ((2 * mu_a * mu_b + c1) * (2 * sab + c2)) / ((mu_a ** 2 + mu_b ** 2 + c1) * (saa + sbb + c2))
    return m.mean()


def analysis(out):
    rng = np.random.default_rng(6)
    a = rng.random((2, 3, 24, 20)).astype(np.float32)
    b = np.clip(a + 0.1 * rng.standard_normal(a.shape), 0, 1).astype(np.float32)
    save(out / "iq_a.npy", a)
    save(out / "iq_b.npy", b)
    mse = np.mean((a.astype(np.float64) - b) ** 2)
    save(out / "iq_psnr.npy", np.array([10 * np.log10(1.0 / mse)], dtype=np.float32))
    save(out / "iq_ssim.npy", np.array([ssim_numpy(a, b, 1.0)], dtype=np.float32))
    for h, w in ((8, 16), (6, 10), (32, 32), (13, 7)):  # radix-2 and not
        img = rng.standard_normal((h, w)).astype(np.float32)
        save(out / f"fft_{h}x{w}_x.npy", img)
        mag = np.abs(np.fft.fftshift(np.fft.fft2(img.astype(np.float64))))
        save(out / f"fft_{h}x{w}_mag.npy", mag.astype(np.float32))


def make(out):
    out.mkdir(parents=True, exist_ok=True)
    interp(out)
    shuffle(out)
    unpool(out)
    transposed(out)
    analysis(out)
    modules(out)
