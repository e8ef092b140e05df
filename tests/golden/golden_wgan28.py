"""wgan_gp28 parity with reference_models.WGANGP.

wgan28/checkpoint.safetensors, z.npy, out.npy: reference_models.write_reference
  (weights after 3 WGANGP steps; eval-mode generator output for z).
wgan28/gp_*: ref.gradient_penalty(critic, real, fake, eps) with the critic of
  that checkpoint on a batch of 4: the inputs, the penalty, the input gradient
  norms and d(penalty)/d(every critic parameter) (c2.weight's as every 13th value).
wgan28/step_*: one WGANGP.step from the checkpoint's weights with fresh Adam
  state, on a batch of 8: the batch, every z and eps the step draws (in its
  order: z_1, eps_1, ..., z_5, eps_5, z_G), both losses, and the updated
  weights (the three largest tensors as every 97th value).
"""
import pathlib

import torch

import reference_models as ref
from make_golden import save

BIG = ("G.fc.weight", "G.up1.weight", "D.c2.weight")
STRIDE = 97
GP_STRIDE = 13  # d(penalty)/d(D.c2.weight) is stored as every 13th value


def load_model(out):
    model = ref.WGANGP(torch.device("cpu"))
    ref.load_state_dict(model, ref.load_safetensors(out / "checkpoint.safetensors"))
    return model


def make_penalty(out):
    model = load_model(out)
    torch.manual_seed(21)
    real = torch.rand(4, 1, 28, 28) * 2 - 1
    with torch.no_grad():
        fake = model.G(torch.randn(4, ref.Z_DIM))
    eps = torch.rand(4, 1, 1, 1)
    params = list(model.D.named_parameters())
    gp = ref.gradient_penalty(model.D, real, fake, eps)
    # fc.bias shifts f without changing its slope: the penalty does not depend on it.
    grads = torch.autograd.grad(gp, [p for _, p in params], allow_unused=True)
    grads = [torch.zeros_like(p) if d is None else d for (_, p), d in zip(params, grads)]
    # The same input gradient the penalty is made of, for its norms.
    x = (eps * real + (1 - eps) * fake).requires_grad_(True)
    (g,) = torch.autograd.grad(model.D(x).sum(), x)
    save(out / "gp_real.npy", real)
    save(out / "gp_fake.npy", fake)
    save(out / "gp_eps.npy", eps)
    save(out / "gp_value.npy", gp.reshape(1))
    save(out / "gp_grad_norm.npy", g.flatten(1).norm(dim=1))
    for (name, _), d in zip(params, grads):
        save(out / f"gp_dD.{name}.npy", d.flatten()[::GP_STRIDE] if name == "c2.weight" else d)


def make_step(out):
    model = load_model(out)
    n = 8
    torch.manual_seed(31)
    real = torch.rand(n, 1, 28, 28) * 2 - 1
    torch.manual_seed(32)
    zs, eps = [], []
    for _ in range(model.n_critic):  # WGANGP.step's draws, in its order
        zs.append(torch.randn(n, ref.Z_DIM))
        eps.append(torch.rand(n, 1, 1, 1))
    z_g = torch.randn(n, ref.Z_DIM)
    torch.manual_seed(32)
    loss_d, loss_g = model.step(real)
    save(out / "step_real.npy", real)
    save(out / "step_z.npy", torch.stack(zs))      # (5, n, 64)
    save(out / "step_eps.npy", torch.stack(eps))   # (5, n, 1, 1, 1)
    save(out / "step_z_G.npy", z_g)
    save(out / "step_losses.npy", torch.tensor([loss_d, loss_g]))
    for prefix, net in (("G", model.G), ("D", model.D)):
        for name, t in net.state_dict().items():
            key = f"{prefix}.{name}"
            if t.dtype != torch.float32:
                continue
            flat = t.detach().flatten()
            save(out / f"step_after_{key}.npy", flat[::STRIDE] if key in BIG else t)


def make(out):
    out = pathlib.Path(out)
    out.mkdir(parents=True, exist_ok=True)
    ref.write_reference("wgan_gp28", out, save)
    make_penalty(out)
    make_step(out)
