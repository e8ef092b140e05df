"""vqgan28 parity with reference_models.VQGAN.

vqgan28/checkpoint.safetensors, x.npy, codes.npy, out.npy: reference_models.write_reference
  (weights after 3 steps; eval-mode codes and reconstruction of x).
vqgan28/step_*: one VQGAN.step from those weights with fresh Adam state on a batch
  of 16: the batch, the loss terms and lambda (recomputed by the same formulas on a
  copy, as VQGAN.step returns only two numbers), and the updated weights (tensors
  over 20000 values as every 97th value, to keep the files small).
"""
import copy
import pathlib

import torch
import torch.nn.functional as F

import reference_models as ref
from make_golden import save

STRIDE = 97
BIG = 20000


def load_model(state):
    model = ref.VQGAN(torch.device("cpu"))
    ref.load_state_dict(model, state)
    return model


def step_terms(model, real):
    """The loss terms of VQGAN.step, by its formulas, on a copy (the copy's D stats move)."""
    m = copy.deepcopy(model)
    rec, qloss, idx = m.AE(real)
    z = m.AE.enc(real)
    zf = z.permute(0, 2, 3, 1).reshape(-1, z.shape[1])
    zq = m.AE.vq.codebook(idx.reshape(-1)).view(z.shape[0], z.shape[2], z.shape[3], -1).permute(0, 3, 1, 2)
    codebook = F.mse_loss(zq, z.detach())
    commitment = m.AE.vq.beta * F.mse_loss(z, zq.detach())
    rec_loss = (rec - real).abs().mean()
    g_loss = -m.D(rec).mean()
    last = m.AE.last_layer()
    (gr,) = torch.autograd.grad(rec_loss, last, retain_graph=True)
    (gg,) = torch.autograd.grad(g_loss, last, retain_graph=True)
    lam = (gr.norm() / (gg.norm() + 1e-4)).clamp(0, 1e4)
    d_loss = 0.5 * (F.relu(1 - m.D(real)).mean() + F.relu(1 + m.D(rec.detach())).mean())
    counts = torch.bincount(idx.reshape(-1), minlength=m.AE.vq.codebook.weight.shape[0]).float()
    p = counts / counts.sum()
    perplexity = torch.exp(-(p[p > 0] * p[p > 0].log()).sum())
    del zf
    return {"rec": rec_loss, "codebook": codebook, "commitment": commitment, "gan": g_loss,
            "lambda": lam, "d_loss": d_loss, "qloss": qloss, "perplexity": perplexity,
            "used": (counts > 0).sum().float(), "idx": idx}


def make_step(out):
    state = ref.load_safetensors(out / "checkpoint.safetensors")
    model = load_model(state)
    torch.manual_seed(11)
    real = torch.rand(16, 1, 28, 28) * 2 - 1
    terms = step_terms(model, real)
    loss, d_loss = model.step(real)
    save(out / "step_real.npy", real)
    save(out / "step_codes.npy", terms["idx"])
    names = ["loss", "rec", "codebook", "commitment", "gan", "lambda", "d_loss", "perplexity", "used"]
    values = [loss] + [float(terms[n]) for n in names[1:]]
    assert abs(values[6] - d_loss) < 1e-6
    assert abs(values[0] - (values[1] + float(terms["qloss"]) + values[5] * values[4])) < 1e-5
    save(out / "step_stats.npy", torch.tensor(values))
    for prefix, net in (("AE", model.AE), ("D", model.D)):
        for name, t in net.state_dict().items():
            if t.dtype != torch.float32:
                continue
            flat = t.detach().flatten()
            save(out / f"step_after_{prefix}.{name}.npy", flat[::STRIDE] if t.numel() > BIG else t)


def make(out):
    out = pathlib.Path(out)
    out.mkdir(parents=True, exist_ok=True)
    ref.write_reference("vqgan28", out, save)
    make_step(out)
