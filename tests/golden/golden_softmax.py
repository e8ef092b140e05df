"""Golden tensors for softmax, log_softmax, cross_entropy and 2-D pooling.

Each case saves its inputs, an upstream gradient `gy`, the outputs and the
gradient gx of sum(y * gy), plus a second derivative with a direction `v`:
d/dx of sum(gx * v) for the softmaxes and cross-entropy, d/dgy of
sum(gx * v) for the poolings (linear in x, so that is where theirs lives).
"""
import torch
import torch.nn.functional as F

from make_golden import save

DIMS = {"d0": 0, "d1": 1, "dlast": -1}


def softmaxes(out):
    x = torch.randn(3, 4, 5) * 3
    x[0, 0, :] = torch.tensor([80.0, -80.0, 0.0, 79.0, -200.0])  # far apart: must stay finite
    gy = torch.randn(3, 4, 5)
    v = torch.randn(3, 4, 5)
    save(out / "sm_x.npy", x)
    save(out / "sm_gy.npy", gy)
    save(out / "sm_v.npy", v)
    for name, f in (("softmax", F.softmax), ("log_softmax", F.log_softmax)):
        for tag, dim in DIMS.items():
            xx = x.clone().requires_grad_(True)
            y = f(xx, dim=dim)
            (gx,) = torch.autograd.grad((y * gy).sum(), xx, create_graph=True)
            (ggx,) = torch.autograd.grad((gx * v).sum(), xx)
            save(out / f"{name}_{tag}_y.npy", y)
            save(out / f"{name}_{tag}_gx.npy", gx)
            save(out / f"{name}_{tag}_ggx.npy", ggx)


def cross_entropy(out):
    x = torch.randn(6, 5) * 3
    x[0] = torch.tensor([80.0, -80.0, 0.0, 80.0, -80.0])
    x[1] = torch.tensor([-80.0, -80.0, -80.0, -80.0, 80.0])
    t = torch.randint(0, 5, (6,))
    t[0], t[1] = 1, 0  # the target is a far-below logit: a loss of 160
    v = torch.randn(6, 5)
    x.requires_grad_(True)
    y = F.cross_entropy(x, t)
    (gx,) = torch.autograd.grad(y, x, create_graph=True)
    (ggx,) = torch.autograd.grad((gx * v).sum(), x)
    save(out / "ce_x.npy", x)
    save(out / "ce_t.npy", t)
    save(out / "ce_v.npy", v)
    save(out / "ce_y.npy", y)  # 0-d
    save(out / "ce_gx.npy", gx)
    save(out / "ce_ggx.npy", ggx)


def pool_case(out, prefix, x, f):
    """y = f(x); gx from a random gy; ggy = d/dgy sum(gx * v)."""
    x = x.clone().requires_grad_(True)
    y = f(x)
    gy = torch.randn(y.shape).requires_grad_(True)
    v = torch.randn(x.shape)
    (gx,) = torch.autograd.grad((y * gy).sum(), x, create_graph=True)
    (ggy,) = torch.autograd.grad((gx * v).sum(), gy)
    save(out / f"{prefix}_x.npy", x)
    save(out / f"{prefix}_gy.npy", gy)
    save(out / f"{prefix}_v.npy", v)
    save(out / f"{prefix}_y.npy", y)
    save(out / f"{prefix}_gx.npy", gx)
    save(out / f"{prefix}_ggy.npy", ggy)


def pooling(out):
    # Distinct values (a shuffled ramp), so the winner of each window is unambiguous.
    distinct = (torch.randperm(2 * 3 * 8 * 8).float() / 10 - 19).reshape(2, 3, 8, 8)
    pool_case(out, "mp_k2s2", distinct, lambda t: F.max_pool2d(t, 2, 2))
    pool_case(out, "mp_k3s2p1", distinct, lambda t: F.max_pool2d(t, 3, 2, 1))
    # Many ties: the gradient must go to the first maximum, as torch's CPU kernel.
    ties = torch.randint(0, 3, (1, 2, 7, 7)).float()
    pool_case(out, "mp_ties_k3s2p1", ties, lambda t: F.max_pool2d(t, 3, 2, 1))
    pool_case(out, "mp_ties_k2s1", ties, lambda t: F.max_pool2d(t, 2, 1))
    x = torch.randn(2, 3, 7, 7)
    pool_case(out, "ap_k3s2p1", x, lambda t: F.avg_pool2d(t, 3, 2, 1))
    pool_case(out, "aap_3x3", x, lambda t: F.adaptive_avg_pool2d(t, (3, 3)))
    pool_case(out, "aap_5x5", x, lambda t: F.adaptive_avg_pool2d(t, (5, 5)))


def make(out):
    softmaxes(out)
    cross_entropy(out)
    pooling(out)
