"""dcgan28 parity with reference_models.DCGAN.

dcgan28/checkpoint.safetensors, z.npy, out.npy: reference_models.write_reference
  (weights after 3 steps; eval-mode generator output for z).
dcgan28/step_*: one DCGAN.step from those weights with fresh Adam state, on a
  batch of 16: the batch, the noise, both losses, and the updated weights
  (the three largest tensors as every 97th value, to keep the files small).
double_backward/*: the WGAN-GP-style gradient of a gradient norm through
  conv2d -> leaky_relu -> linear, w.r.t. every parameter.
"""
import pathlib

import torch
import torch.nn.functional as F

import reference_models as ref
from make_golden import save

BIG = ("G.fc.weight", "G.up1.weight", "D.c2.weight")
STRIDE = 97


def make_step(out):
    model = ref.DCGAN(torch.device("cpu"))
    ref.load_state_dict(model, ref.load_safetensors(out / "checkpoint.safetensors"))
    torch.manual_seed(11)
    real = torch.rand(16, 1, 28, 28) * 2 - 1
    torch.manual_seed(12)
    z = torch.randn(16, ref.Z_DIM)
    torch.manual_seed(12)  # DCGAN.step draws the same z
    loss_d, loss_g = model.step(real)
    save(out / "step_real.npy", real)
    save(out / "step_z.npy", z)
    save(out / "step_losses.npy", torch.tensor([loss_d, loss_g]))
    for prefix, net in (("G", model.G), ("D", model.D)):
        for name, t in net.state_dict().items():
            key = f"{prefix}.{name}"
            if t.dtype != torch.float32:
                continue
            flat = t.detach().flatten()
            save(out / f"step_after_{key}.npy", flat[::STRIDE] if key in BIG else t)


def make_double_backward(out):
    x = torch.randn(2, 1, 6, 6, requires_grad=True)
    w = (torch.randn(3, 1, 3, 3) * 0.5).requires_grad_()
    b = (torch.randn(3) * 0.1).requires_grad_()
    lw = (torch.randn(1, 3 * 4 * 4) * 0.3).requires_grad_()
    lb = torch.randn(1).requires_grad_()
    h = F.leaky_relu(F.conv2d(x, w, b), 0.2)
    y = F.linear(h.flatten(1), lw, lb).squeeze(1)
    (g,) = torch.autograd.grad(y.sum(), x, create_graph=True)
    gp = ((g.flatten(1).norm(dim=1) - 1) ** 2).mean()
    grads = torch.autograd.grad(gp, (w, b, lw, lb), allow_unused=True)
    grads = [torch.zeros_like(p) if d is None else d for p, d in zip((w, b, lw, lb), grads)]
    for name, t in (("x", x), ("w", w), ("b", b), ("lw", lw), ("lb", lb)):
        save(out / f"{name}.npy", t)
    save(out / "gp.npy", gp.reshape(1))
    save(out / "grad_x.npy", g)
    for name, t in zip(("w", "b", "lw", "lb"), grads):
        save(out / f"dgp_d{name}.npy", t)


def make(out):
    out = pathlib.Path(out)
    out.mkdir(parents=True, exist_ok=True)
    ref.write_reference("dcgan28", out, save)
    make_step(out)
    make_double_backward(out.parent / "double_backward")
