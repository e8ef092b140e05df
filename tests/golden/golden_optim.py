"""Optimizers: parameters after each of 4 steps on fixed gradients, for the
configurations Ganvas uses (torch.optim)."""
import pathlib

import torch

from make_golden import save

CONFIGS = {
    "sgd": lambda p: torch.optim.SGD([p], lr=0.1),
    "sgd_momentum": lambda p: torch.optim.SGD([p], lr=0.1, momentum=0.9, weight_decay=0.01),
    "sgd_nesterov": lambda p: torch.optim.SGD([p], lr=0.1, momentum=0.9, nesterov=True),
    "adam_dcgan": lambda p: torch.optim.Adam([p], 2e-4, betas=(0.5, 0.999)),
    "adam_wgan": lambda p: torch.optim.Adam([p], 1e-4, betas=(0.0, 0.9)),
    "adam_l2": lambda p: torch.optim.Adam([p], 1e-2, weight_decay=0.1),
    "adamw_prior": lambda p: torch.optim.AdamW([p], 3e-4, betas=(0.9, 0.95), weight_decay=0.01),
    "rmsprop_wgan": lambda p: torch.optim.RMSprop([p], lr=5e-5),
}


def make(out):
    out = pathlib.Path(out)
    p0 = torch.randn(7)
    grads = torch.randn(4, 7)
    grads[1, 3] = 0.0  # a zero gradient element
    save(out / "p0.npy", p0)
    save(out / "grads.npy", grads)
    for name, make_opt in CONFIGS.items():
        p = p0.clone().requires_grad_()
        opt = make_opt(p)
        history = []
        for g in grads:
            p.grad = g.clone()
            opt.step()
            history.append(p.detach().clone())
        save(out / f"{name}.npy", torch.stack(history))
