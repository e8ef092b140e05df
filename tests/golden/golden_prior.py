"""prior49 and its ops against reference_models.Prior.

prior_ops/gelu_*:       nn.GELU() (exact erf form): x, y, gy, gx and ggx (d/dx sum(gx * v)).
prior_ops/attn_*:       the attention of reference_models.Block on a qkv tensor (B=2, T=5,
                        C=8, 2 heads): qkv, y, gy and gqkv = d/dqkv sum(y * gy).
prior49/checkpoint.safetensors, codes.npy, out.npy: reference_models.write_reference
                        (weights after 3 steps; logits).
prior49/step_*:         one Prior.step from those weights with fresh AdamW state on a
                        batch of 8 code grids: the batch, the loss and the updated weights
                        (the big tensors as every 97th value, to keep the files small).
"""
import pathlib

import torch

import reference_models as ref
from make_golden import save

STRIDE = 97


def gelu(out):
    x = torch.randn(4, 7) * 2
    x[0, :3] = torch.tensor([0.0, -6.0, 6.0])
    x.requires_grad_(True)
    gy, v = torch.randn(4, 7), torch.randn(4, 7)
    y = torch.nn.GELU()(x)
    (gx,) = torch.autograd.grad((y * gy).sum(), x, create_graph=True)
    (ggx,) = torch.autograd.grad((gx * v).sum(), x)
    for name, t in (("x", x), ("y", y), ("gy", gy), ("v", v), ("gx", gx), ("ggx", ggx)):
        save(out / f"gelu_{name}.npy", t)


def attention(out):
    B, T, C, H = 2, 5, 8, 2
    qkv = torch.randn(B, T, 3 * C, requires_grad=True)
    q, k, v = qkv.split(C, dim=2)
    q, k, v = (t.view(B, T, H, C // H).transpose(1, 2) for t in (q, k, v))
    att = (q @ k.transpose(-2, -1)) / (C // H) ** 0.5
    mask = torch.ones(T, T, dtype=torch.bool).tril()
    att = att.masked_fill(~mask, float('-inf')).softmax(-1)
    y = (att @ v).transpose(1, 2).reshape(B, T, C)
    gy = torch.randn(B, T, C)
    (gqkv,) = torch.autograd.grad((y * gy).sum(), qkv)
    for name, t in (("qkv", qkv), ("y", y), ("gy", gy), ("gqkv", gqkv)):
        save(out / f"attn_{name}.npy", t)


def prior_step(out):
    model = ref.Prior(torch.device("cpu"))
    ref.load_state_dict(model, ref.load_safetensors(out / "checkpoint.safetensors"))
    torch.manual_seed(21)
    codes = torch.randint(0, 256, (8, 49))
    loss, _ = model.step(codes)
    save(out / "step_codes.npy", codes)
    save(out / "step_loss.npy", torch.tensor([loss]))
    for name, t in model.P.state_dict().items():
        flat = t.detach().flatten()
        save(out / f"step_after_P.{name}.npy", flat[::STRIDE] if t.numel() > 20000 else t)


def make(out):
    out = pathlib.Path(out)
    ops = out.parent / "prior_ops"
    ops.mkdir(parents=True, exist_ok=True)
    gelu(ops)
    attention(ops)
    model_dir = out.parent / "prior49"
    model_dir.mkdir(parents=True, exist_ok=True)
    ref.write_reference("prior49", model_dir, save)
    prior_step(model_dir)
