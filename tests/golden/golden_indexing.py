"""Golden tensors for embedding, argmin, gather and scatter_add.

Each differentiable case saves its inputs, an upstream gradient `gy`, the
output y, the gradient gx of sum(y * gy) and, as these ops are linear in
their float input, the second derivative where it lives: ggy = d/dgy of
sum(gx * v) for a direction v.
"""
import torch

from make_golden import save


def linear_case(out, prefix, x, f):
    x = x.clone().requires_grad_(True)
    y = f(x)
    gy = torch.randn_like(y).requires_grad_(True)
    (gx,) = torch.autograd.grad((y * gy).sum(), x, create_graph=True)
    v = torch.randn_like(gx)
    (ggy,) = torch.autograd.grad((gx * v).sum(), gy)
    for name, t in (("x", x), ("y", y), ("gy", gy), ("gx", gx), ("v", v), ("ggy", ggy)):
        save(out / f"{prefix}_{name}.npy", t)


def embeddings(out):
    w = torch.randn(7, 3)
    idx = torch.tensor([[0, 3, 3, 6], [1, 3, 0, 0], [6, 6, 6, 2]])  # repeats: gradients add up
    save(out / "emb_idx.npy", idx)
    linear_case(out, "emb", w, lambda w: torch.nn.functional.embedding(idx, w))


def argmins(out):
    x = torch.randn(4, 5, 6)
    x[0, :, 0] = 1.5  # ties along dim 1: the first index wins
    x[1, 2, :] = -3.0  # ties along dim 2
    x[2, 0, :3] = -5.0  # ties along dim 2 at the start
    save(out / "argmin_x.npy", x)
    for d in (0, 1, 2, -1):
        save(out / f"argmin_d{d % 3}.npy", x.argmin(d))
    # The VQ use: distances (N, K) with exact ties between codes.
    codes = torch.randn(5, 4)
    codes[3] = codes[1]  # a duplicated code ties with its twin: the lower index wins
    z = torch.randn(9, 4)
    z[2] = codes[1]
    d = z.pow(2).sum(1, keepdim=True) - 2 * z @ codes.t() + codes.pow(2).sum(1)[None, :]
    save(out / "argmin_vq_d.npy", d)
    save(out / "argmin_vq.npy", d.argmin(1))


def gathers(out):
    x = torch.randn(3, 4, 5)
    for d, shape in ((0, (2, 4, 3)), (1, (3, 6, 5)), (2, (2, 3, 7))):
        idx = torch.randint(0, x.shape[d], shape)
        save(out / f"gather_d{d}_idx.npy", idx)
        linear_case(out, f"gather_d{d}", x, lambda x: torch.gather(x, d, idx))
    # scatter_add: self and src both get gradients
    base = torch.randn(3, 4)
    src = torch.randn(3, 6)
    idx = torch.randint(0, 4, (3, 6))
    save(out / "scatter_idx.npy", idx)
    save(out / "scatter_self.npy", base)
    save(out / "scatter_src.npy", src)
    save(out / "scatter_y.npy", torch.scatter_add(base, 1, idx, src))
    s = src.clone().requires_grad_(True)
    b = base.clone().requires_grad_(True)
    gy = torch.randn(3, 4)
    gb, gs = torch.autograd.grad((torch.scatter_add(b, 1, idx, s) * gy).sum(), (b, s))
    save(out / "scatter_gy.npy", gy)
    save(out / "scatter_gself.npy", gb)
    save(out / "scatter_gsrc.npy", gs)


def make(out):
    embeddings(out)
    argmins(out)
    gathers(out)
