"""Golden tensors of the toy GAN lab: spectral normalization's power iteration
(torch.nn.utils.spectral_norm) and WGAN-GP's gradient penalty on a small MLP
critic with its parameter gradients (double backward)."""
import pathlib

import torch
import torch.nn as nn
import torch.nn.functional as F

from make_golden import save


def make_spectral_norm(out):
    lin = nn.utils.spectral_norm(nn.Linear(5, 4))
    save(out / "sn_weight_orig.npy", lin.weight_orig)
    save(out / "sn_bias.npy", lin.bias)
    save(out / "sn_u0.npy", lin.weight_u)
    save(out / "sn_v0.npy", lin.weight_v)
    x = torch.randn(3, 5, requires_grad=True)
    for k in range(1, 4):  # each training forward runs one power iteration
        y = lin(x)
        save(out / f"sn_y{k}.npy", y)
        save(out / f"sn_u{k}.npy", lin.weight_u)
        save(out / f"sn_v{k}.npy", lin.weight_v)
    save(out / "sn_x.npy", x)
    gy = torch.randn(3, 4)
    save(out / "sn_gy.npy", gy)
    gw, gb, gx = torch.autograd.grad((y * gy).sum(), (lin.weight_orig, lin.bias, x))
    save(out / "sn_gw.npy", gw)
    save(out / "sn_gb.npy", gb)
    save(out / "sn_gx.npy", gx)
    lin.eval()  # no power iteration: the stored u, v
    save(out / "sn_y_eval.npy", lin(x))
    save(out / "sn_u_eval.npy", lin.weight_u)
    # A 4-D weight is viewed as (out, in * k * k).
    conv = nn.utils.spectral_norm(nn.Conv2d(3, 4, 3))
    save(out / "snc_weight_orig.npy", conv.weight_orig)
    save(out / "snc_u0.npy", conv.weight_u)
    save(out / "snc_v0.npy", conv.weight_v)
    for _ in range(2):
        conv(torch.randn(1, 3, 5, 5))
    save(out / "snc_u2.npy", conv.weight_u)
    save(out / "snc_v2.npy", conv.weight_v)
    save(out / "snc_weight.npy", conv.weight)


ACTIVATIONS = {"relu": F.relu, "leaky_relu": lambda h: F.leaky_relu(h, 0.2), "tanh": torch.tanh}


def make_gradient_penalty(out):
    real = torch.randn(8, 2)
    fake = torch.randn(8, 2) * 0.5 + 1
    alpha = torch.rand(8, 1)
    save(out / "gp_real.npy", real)
    save(out / "gp_fake.npy", fake)
    save(out / "gp_alpha.npy", alpha)
    for name, act in ACTIVATIONS.items():
        layers = [nn.Linear(2, 16), nn.Linear(16, 16), nn.Linear(16, 1)]
        params = {}
        for i, l in enumerate(layers):
            params[f"fc{i}.weight"] = l.weight
            params[f"fc{i}.bias"] = l.bias

        def critic(x):
            for i, l in enumerate(layers):
                x = l(x)
                if i + 1 < len(layers):
                    x = act(x)
            return x

        x_hat = (alpha * real + (1 - alpha) * fake).requires_grad_()
        (g,) = torch.autograd.grad(critic(x_hat).sum(), x_hat, create_graph=True)
        gp = 10 * ((g.norm(2, dim=1) - 1) ** 2).mean()
        loss = critic(fake).mean() - critic(real).mean() + gp  # the critic's WGAN-GP loss
        # The output bias does not move the gradient in x: no gradient, saved as zeros.
        grads_gp = torch.autograd.grad(gp, list(params.values()), retain_graph=True, allow_unused=True)
        grads_gp = [torch.zeros_like(p) if d is None else d for p, d in zip(params.values(), grads_gp)]
        grads_loss = torch.autograd.grad(loss, list(params.values()))
        for (key, p), dgp, dl in zip(params.items(), grads_gp, grads_loss):
            save(out / f"gp_{name}_{key}.npy", p)
            save(out / f"gp_{name}_dgp_{key}.npy", dgp)
            save(out / f"gp_{name}_dloss_{key}.npy", dl)
        save(out / f"gp_{name}_gp.npy", gp.reshape(1))
        save(out / f"gp_{name}_loss.npy", loss.reshape(1))


def make(out):
    out = pathlib.Path(out)
    out.mkdir(parents=True, exist_ok=True)
    make_spectral_norm(out)
    make_gradient_penalty(out)
