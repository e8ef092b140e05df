"""cdcgan28 parity with reference_models.CDCGAN (kept out of MODELS: the benchmark
reference that check_reference.py compares against has no conditional GAN).

cdcgan28/checkpoint.safetensors: weights after 3 steps on one random labelled batch.
cdcgan28/z.npy, labels.npy, out.npy: eval-mode generator output for z and classes.
cdcgan28/step_*: one CDCGAN.step from those weights with fresh Adam state, on a
  labelled batch of 16: the batch, its labels, the noise, both losses and the updated
  weights (the largest tensors as every 97th value, to keep the files small).
"""
import pathlib

import torch

import reference_models as ref
from make_golden import save

BIG = ("G.fc.weight", "G.up1.weight", "D.c2.weight", "D.embed.weight")
STRIDE = 97


def make(out):
    out = pathlib.Path(out)
    out.mkdir(parents=True, exist_ok=True)
    torch.manual_seed(0)
    data = torch.rand(ref.BATCH, 1, 28, 28) * 2 - 1        # (64, 1, 28, 28)
    labels = torch.randint(0, 10, (ref.BATCH,))            # (64,)
    model = ref.CDCGAN(torch.device("cpu"))
    for _ in range(3):
        model.step(data, labels)
    ref.save_safetensors(out / "checkpoint.safetensors", ref.state_dict(model))

    model.G.eval()
    with torch.no_grad():
        z = torch.randn(8, ref.Z_DIM)
        y = torch.tensor([0, 1, 2, 3, 9, 9, 5, 0])
        save(out / "z.npy", z)
        save(out / "labels.npy", y)
        save(out / "out.npy", model.G(z, y))

    model = ref.CDCGAN(torch.device("cpu"))
    ref.load_state_dict(model, ref.load_safetensors(out / "checkpoint.safetensors"))
    torch.manual_seed(11)
    real = torch.rand(16, 1, 28, 28) * 2 - 1
    y = torch.randint(0, 10, (16,))
    torch.manual_seed(12)
    z = torch.randn(16, ref.Z_DIM)
    torch.manual_seed(12)  # CDCGAN.step draws the same z
    loss_d, loss_g = model.step(real, y)
    save(out / "step_real.npy", real)
    save(out / "step_labels.npy", y)
    save(out / "step_z.npy", z)
    save(out / "step_losses.npy", torch.tensor([loss_d, loss_g]))
    for prefix, net in (("G", model.G), ("D", model.D)):
        for name, t in net.state_dict().items():
            key = f"{prefix}.{name}"
            if t.dtype != torch.float32:
                continue
            flat = t.detach().flatten()
            save(out / f"step_after_{key}.npy", flat[::STRIDE] if key in BIG else t)
