"""Golden tensors for the VQ pieces: code distances, the straight-through
estimator and the hinge GAN losses, with their gradients.
"""
import torch
import torch.nn.functional as F

from make_golden import save


def distances(out):
    z = torch.randn(10, 4).requires_grad_(True)
    c = (torch.rand(6, 4) * 2 - 1).requires_grad_(True)
    d = z.pow(2).sum(1, keepdim=True) - 2 * z @ c.t() + c.pow(2).sum(1)[None, :]
    gy = torch.randn(10, 6)
    gz, gc = torch.autograd.grad((d * gy).sum(), (z, c))
    for name, t in (("dist_z", z), ("dist_c", c), ("dist_y", d), ("dist_gy", gy),
                    ("dist_gz", gz), ("dist_gc", gc)):
        save(out / f"{name}.npy", t)


def straight_through(out):
    z = torch.randn(2, 3, 2, 2).requires_grad_(True)
    q = torch.randn(2, 3, 2, 2).requires_grad_(True)
    y = z + (q - z).detach()
    gy = torch.randn(2, 3, 2, 2)
    gz, gq = torch.autograd.grad((y * gy).sum(), (z, q), allow_unused=True)
    assert gq is None
    for name, t in (("st_z", z), ("st_q", q), ("st_y", y), ("st_gy", gy), ("st_gz", gz)):
        save(out / f"{name}.npy", t)


def hinge(out):
    real = (torch.randn(4, 1, 3, 3) * 1.5).requires_grad_(True)
    fake = (torch.randn(4, 1, 3, 3) * 1.5).requires_grad_(True)
    d = 0.5 * (F.relu(1 - real).mean() + F.relu(1 + fake).mean())
    g = -fake.mean()
    gr, gf = torch.autograd.grad(d, (real, fake))
    (gg,) = torch.autograd.grad(g, fake)
    for name, t in (("hinge_real", real), ("hinge_fake", fake), ("hinge_d", d), ("hinge_g", g),
                    ("hinge_d_greal", gr), ("hinge_d_gfake", gf), ("hinge_g_gfake", gg)):
        save(out / f"{name}.npy", t)


def make(out):
    distances(out)
    straight_through(out)
    hinge(out)
