"""The PyTorch models Ganvas's core/models reproduce, for the golden files.

Parameter names are Ganvas's checkpoint names (G.fc.weight, D.c2.weight,
AE.enc.0.weight, P.blocks.1.mlp.2.weight, ...), so a state_dict moves between
these models and the C++ ones unchanged. Each model's step() is the update
core/models runs, drawing its noise from torch's global generator in the
order the C++ step_with_noise() takes it.

Modules are created in the same order, with the same initialisation, as the
benchmark models of ../shared/reference/torch_reference.py: a seed gives the
same weights in both, which make_golden.py checks whenever that file is
present (check_reference.py).
"""
import json
import pathlib
import struct

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

Z_DIM = 64     # generator noise
BATCH = 64     # batch of the reference training run behind each checkpoint


# ----------------------------------------------------------------- dcgan28, wgan28
class Generator28(nn.Module):
    """z (N, 64) -> image (N, 1, 28, 28) in [-1, 1]."""

    def __init__(self):
        super().__init__()
        self.fc = nn.Linear(Z_DIM, 128 * 7 * 7, bias=False)
        self.bn0 = nn.BatchNorm1d(128 * 7 * 7)
        self.up1 = nn.ConvTranspose2d(128, 64, 4, 2, 1, bias=False)
        self.bn1 = nn.BatchNorm2d(64)
        self.up2 = nn.ConvTranspose2d(64, 1, 4, 2, 1)

    def forward(self, z):                                  # (N, 64)
        h = F.relu(self.bn0(self.fc(z))).view(-1, 128, 7, 7)  # (N, 128, 7, 7)
        h = F.relu(self.bn1(self.up1(h)))                  # (N, 64, 14, 14)
        return torch.tanh(self.up2(h))                     # (N, 1, 28, 28)


class Discriminator28(nn.Module):
    """image (N, 1, 28, 28) -> logit (N,). Without batch norm it is the WGAN critic,
    and c2 gets the bias batch norm would have made redundant."""

    def __init__(self, batchnorm=True):
        super().__init__()
        self.c1 = nn.Conv2d(1, 64, 4, 2, 1)
        self.c2 = nn.Conv2d(64, 128, 4, 2, 1, bias=not batchnorm)
        self.bn2 = nn.BatchNorm2d(128) if batchnorm else nn.Identity()
        self.fc = nn.Linear(128 * 7 * 7, 1)

    def forward(self, x):                                  # (N, 1, 28, 28)
        h = F.leaky_relu(self.c1(x), 0.2)                  # (N, 64, 14, 14)
        h = F.leaky_relu(self.bn2(self.c2(h)), 0.2)        # (N, 128, 7, 7)
        return self.fc(h.flatten(1)).squeeze(1)            # (N,)


def dcgan_init(module):
    """Radford et al.'s initialisation: weights N(0, 0.02), batch-norm scales N(1, 0.02)."""
    if isinstance(module, (nn.Conv2d, nn.ConvTranspose2d, nn.Linear)):
        nn.init.normal_(module.weight, 0.0, 0.02)
        if module.bias is not None:
            nn.init.zeros_(module.bias)
    elif isinstance(module, (nn.BatchNorm1d, nn.BatchNorm2d)):
        nn.init.normal_(module.weight, 1.0, 0.02)
        nn.init.zeros_(module.bias)


class DCGAN:
    """dcgan28: a step is one discriminator update, then one generator update
    (binary cross-entropy on logits, non-saturating generator loss)."""

    def __init__(self, device):
        self.G = Generator28().to(device)
        self.D = Discriminator28().to(device)
        self.G.apply(dcgan_init)
        self.D.apply(dcgan_init)
        self.oG = torch.optim.Adam(self.G.parameters(), 2e-4, betas=(0.5, 0.999))
        self.oD = torch.optim.Adam(self.D.parameters(), 2e-4, betas=(0.5, 0.999))
        self.device = device

    def step(self, real):                                  # (N, 1, 28, 28)
        z = torch.randn(real.shape[0], Z_DIM, device=self.device)
        fake = self.G(z)
        ones = torch.ones(real.shape[0], device=self.device)
        zeros = torch.zeros_like(ones)
        loss_d = F.binary_cross_entropy_with_logits(self.D(real), ones) + \
            F.binary_cross_entropy_with_logits(self.D(fake.detach()), zeros)
        self.oD.zero_grad(set_to_none=True)
        loss_d.backward()
        self.oD.step()
        loss_g = F.binary_cross_entropy_with_logits(self.D(fake), ones)
        self.oG.zero_grad(set_to_none=True)
        loss_g.backward()
        self.oG.step()
        return loss_d.item(), loss_g.item()


# ---------------------------------------------------------------------- cdcgan28
CLASS_EMBED = 16  # the generator's class embedding, concatenated to z


class ConditionalGenerator28(Generator28):
    """z (N, 64), y (N,) -> image: Generator28 reading [z, embed(y)]."""

    def __init__(self, classes=10):
        super().__init__()
        self.fc = nn.Linear(Z_DIM + CLASS_EMBED, 128 * 7 * 7, bias=False)
        self.embed = nn.Embedding(classes, CLASS_EMBED)

    def forward(self, z, y):                               # (N, 64), (N,)
        return super().forward(torch.cat([z, self.embed(y)], 1))


class ProjectionDiscriminator28(Discriminator28):
    """(image, y) -> logit: Miyato & Koyama's projection, fc(phi) + <embed(y), phi>."""

    def __init__(self, classes=10):
        super().__init__()
        self.embed = nn.Embedding(classes, 128 * 7 * 7)

    def forward(self, x, y):                               # (N, 1, 28, 28), (N,)
        h = F.leaky_relu(self.c1(x), 0.2)                  # (N, 64, 14, 14)
        phi = F.leaky_relu(self.bn2(self.c2(h)), 0.2).flatten(1)  # (N, 6272)
        return self.fc(phi).squeeze(1) + (self.embed(y) * phi).sum(1)  # (N,)


class CDCGAN:
    """cdcgan28: DCGAN's step with the batch's labels as the classes of real and fake."""

    def __init__(self, device, classes=10):
        self.G = ConditionalGenerator28(classes).to(device)
        self.D = ProjectionDiscriminator28(classes).to(device)
        self.G.apply(dcgan_init)
        self.D.apply(dcgan_init)
        nn.init.normal_(self.D.embed.weight, 0.0, 0.02)
        self.oG = torch.optim.Adam(self.G.parameters(), 2e-4, betas=(0.5, 0.999))
        self.oD = torch.optim.Adam(self.D.parameters(), 2e-4, betas=(0.5, 0.999))
        self.device = device

    def step(self, real, y):                               # (N, 1, 28, 28), (N,)
        z = torch.randn(real.shape[0], Z_DIM, device=self.device)
        fake = self.G(z, y)
        ones = torch.ones(real.shape[0], device=self.device)
        zeros = torch.zeros_like(ones)
        loss_d = F.binary_cross_entropy_with_logits(self.D(real, y), ones) + \
            F.binary_cross_entropy_with_logits(self.D(fake.detach(), y), zeros)
        self.oD.zero_grad(set_to_none=True)
        loss_d.backward()
        self.oD.step()
        loss_g = F.binary_cross_entropy_with_logits(self.D(fake, y), ones)
        self.oG.zero_grad(set_to_none=True)
        loss_g.backward()
        self.oG.step()
        return loss_d.item(), loss_g.item()


def gradient_penalty(critic, real, fake, eps):
    """WGAN-GP's penalty: mean (|grad_x critic(x)| - 1)^2 at x between real and fake;
    create_graph so the penalty itself can be differentiated."""
    x = (eps * real + (1 - eps) * fake).requires_grad_(True)
    out = critic(x)
    (g,) = torch.autograd.grad(out.sum(), x, create_graph=True)
    return ((g.flatten(1).norm(dim=1) - 1) ** 2).mean()


class WGANGP:
    """wgan_gp28: a step is n_critic critic updates with the gradient penalty
    (weight lam), then one generator update. Each critic update draws z, then eps."""

    def __init__(self, device, n_critic=5, lam=10.0):
        self.G = Generator28().to(device)
        self.D = Discriminator28(batchnorm=False).to(device)
        self.G.apply(dcgan_init)
        self.D.apply(dcgan_init)
        self.oG = torch.optim.Adam(self.G.parameters(), 1e-4, betas=(0.0, 0.9))
        self.oD = torch.optim.Adam(self.D.parameters(), 1e-4, betas=(0.0, 0.9))
        self.device, self.n_critic, self.lam = device, n_critic, lam

    def step(self, real):                                  # (N, 1, 28, 28)
        n = real.shape[0]
        for _ in range(self.n_critic):
            with torch.no_grad():
                fake = self.G(torch.randn(n, Z_DIM, device=self.device))
            eps = torch.rand(n, 1, 1, 1, device=self.device)
            loss_d = self.D(fake).mean() - self.D(real).mean() + \
                self.lam * gradient_penalty(self.D, real, fake, eps)
            self.oD.zero_grad(set_to_none=True)
            loss_d.backward()
            self.oD.step()
        loss_g = -self.D(self.G(torch.randn(n, Z_DIM, device=self.device))).mean()
        self.oG.zero_grad(set_to_none=True)
        loss_g.backward()
        self.oG.step()
        return loss_d.item(), loss_g.item()


# ------------------------------------------------------------------------- vqgan28
class VectorQuantizer(nn.Module):
    """Nearest codebook vector per position, with the codebook and commitment
    losses and the straight-through gradient."""

    def __init__(self, n_codes=256, dim=64, beta=0.25):
        super().__init__()
        self.codebook = nn.Embedding(n_codes, dim)
        nn.init.uniform_(self.codebook.weight, -1.0 / n_codes, 1.0 / n_codes)
        self.beta = beta

    def forward(self, z):                                  # (N, C, H, W)
        zf = z.permute(0, 2, 3, 1).reshape(-1, z.shape[1])  # (N*H*W, C)
        codes = self.codebook.weight                       # (K, C)
        d = zf.pow(2).sum(1, keepdim=True) - 2 * zf @ codes.t() + codes.pow(2).sum(1)[None, :]
        idx = d.argmin(1)                                  # (N*H*W,)
        zq = self.codebook(idx).view(z.shape[0], z.shape[2], z.shape[3], -1).permute(0, 3, 1, 2)
        loss = F.mse_loss(zq, z.detach()) + self.beta * F.mse_loss(z, zq.detach())
        zq = z + (zq - z).detach()                         # value of zq, gradient of z
        return zq, loss, idx.view(z.shape[0], z.shape[2], z.shape[3])


class VQAutoencoder28(nn.Module):
    """image (N, 1, 28, 28) -> codes (N, 7, 7) -> reconstruction (N, 1, 28, 28)."""

    def __init__(self, n_codes=256, dim=64):
        super().__init__()
        self.enc = nn.Sequential(
            nn.Conv2d(1, 64, 4, 2, 1), nn.ReLU(),          # (N, 64, 14, 14)
            nn.Conv2d(64, 128, 4, 2, 1), nn.ReLU(),        # (N, 128, 7, 7)
            nn.Conv2d(128, dim, 1))                        # (N, dim, 7, 7)
        self.vq = VectorQuantizer(n_codes, dim)
        self.dec = nn.Sequential(
            nn.Conv2d(dim, 128, 3, 1, 1), nn.ReLU(),       # (N, 128, 7, 7)
            nn.ConvTranspose2d(128, 64, 4, 2, 1), nn.ReLU(),  # (N, 64, 14, 14)
            nn.ConvTranspose2d(64, 1, 4, 2, 1))            # (N, 1, 28, 28)

    def last_layer(self):
        """The weight the adaptive GAN weight balances gradients at."""
        return self.dec[-1].weight

    def forward(self, x):
        zq, qloss, idx = self.vq(self.enc(x))
        return torch.tanh(self.dec(zq)), qloss, idx


class PatchDiscriminator28(nn.Module):
    """image (N, 1, 28, 28) -> patch logits (N, 1, 7, 7)."""

    def __init__(self):
        super().__init__()
        self.net = nn.Sequential(
            nn.Conv2d(1, 64, 4, 2, 1), nn.LeakyReLU(0.2),
            nn.Conv2d(64, 128, 4, 2, 1, bias=False), nn.BatchNorm2d(128), nn.LeakyReLU(0.2),
            nn.Conv2d(128, 1, 3, 1, 1))

    def forward(self, x):
        return self.net(x)


class VQGAN:
    """vqgan28: a step updates the autoencoder on L1 + codebook/commitment + the
    hinge GAN loss weighted adaptively at the last layer, then the patch
    discriminator on the hinge loss."""

    def __init__(self, device):
        self.AE = VQAutoencoder28().to(device)
        self.D = PatchDiscriminator28().to(device)
        self.D.apply(dcgan_init)
        self.oAE = torch.optim.Adam(self.AE.parameters(), 2e-4, betas=(0.5, 0.9))
        self.oD = torch.optim.Adam(self.D.parameters(), 2e-4, betas=(0.5, 0.9))

    def step(self, real):                                  # (N, 1, 28, 28)
        rec, qloss, _ = self.AE(real)
        rec_loss = (rec - real).abs().mean()
        g_loss = -self.D(rec).mean()
        last = self.AE.last_layer()
        (g_rec,) = torch.autograd.grad(rec_loss, last, retain_graph=True)
        (g_gan,) = torch.autograd.grad(g_loss, last, retain_graph=True)
        lam = (g_rec.norm() / (g_gan.norm() + 1e-4)).clamp(0, 1e4).detach()
        loss = rec_loss + qloss + lam * g_loss
        self.oAE.zero_grad(set_to_none=True)
        loss.backward()
        self.oAE.step()
        d_loss = 0.5 * (F.relu(1 - self.D(real)).mean() + F.relu(1 + self.D(rec.detach())).mean())
        self.oD.zero_grad(set_to_none=True)
        d_loss.backward()
        self.oD.step()
        return loss.item(), d_loss.item()


# ------------------------------------------------------------------------- prior49
class Block(nn.Module):
    """Pre-norm transformer block: causal multi-head self-attention, then a GELU MLP."""

    def __init__(self, d, heads):
        super().__init__()
        self.ln1, self.ln2 = nn.LayerNorm(d), nn.LayerNorm(d)
        self.qkv, self.proj = nn.Linear(d, 3 * d), nn.Linear(d, d)
        self.mlp = nn.Sequential(nn.Linear(d, 4 * d), nn.GELU(), nn.Linear(4 * d, d))
        self.heads = heads

    def forward(self, x):                                  # (B, T, C)
        B, T, C = x.shape
        q, k, v = self.qkv(self.ln1(x)).split(C, dim=2)
        q, k, v = (t.view(B, T, self.heads, C // self.heads).transpose(1, 2) for t in (q, k, v))
        att = (q @ k.transpose(-2, -1)) / (C // self.heads) ** 0.5  # (B, heads, T, T)
        causal = torch.ones(T, T, dtype=torch.bool, device=x.device).tril()
        att = att.masked_fill(~causal, float('-inf')).softmax(-1)
        y = (att @ v).transpose(1, 2).reshape(B, T, C)
        x = x + self.proj(y)
        return x + self.mlp(self.ln2(x))


class CodePrior(nn.Module):
    """A small GPT over the 7x7 code grid in raster order: logits (B, T, n_codes) for
    each code given the ones before it; token n_codes starts every sequence."""

    def __init__(self, n_codes=256, seq=49, d=128, heads=4, layers=2):
        super().__init__()
        self.tok = nn.Embedding(n_codes + 1, d)
        self.pos = nn.Parameter(torch.zeros(1, seq, d))
        self.blocks = nn.Sequential(*[Block(d, heads) for _ in range(layers)])
        self.ln = nn.LayerNorm(d)
        self.head = nn.Linear(d, n_codes, bias=False)
        self.n_codes = n_codes

    def forward(self, idx):                                # (B, T) int64
        start = torch.full((idx.shape[0], 1), self.n_codes, dtype=torch.long, device=idx.device)
        x = torch.cat([start, idx[:, :-1]], 1)             # shifted right by one
        h = self.tok(x) + self.pos[:, :x.shape[1]]         # (B, T, d)
        return self.head(self.ln(self.blocks(h)))          # (B, T, n_codes)


class Prior:
    """prior49: a step is one AdamW update on the next-code cross-entropy."""

    def __init__(self, device):
        self.P = CodePrior().to(device)
        self.o = torch.optim.AdamW(self.P.parameters(), 3e-4, betas=(0.9, 0.95), weight_decay=0.01)
        self.device = device

    def step(self, codes):                                 # (B, 49) int64
        logits = self.P(codes)
        loss = F.cross_entropy(logits.reshape(-1, logits.shape[-1]), codes.reshape(-1))
        self.o.zero_grad(set_to_none=True)
        loss.backward()
        self.o.step()
        return loss.item(), 0.0


MODELS = {"dcgan28": DCGAN, "wgan_gp28": WGANGP, "vqgan28": VQGAN, "prior49": Prior}


def networks(model):
    """The model's modules by checkpoint prefix: {"G": ..., "D": ...}."""
    return {name: net for name, net in vars(model).items() if isinstance(net, nn.Module)}


def state_dict(model):
    """Every network's state under its prefix, as Ganvas's checkpoints name it."""
    return {f"{prefix}.{name}": t for prefix, net in networks(model).items()
            for name, t in net.state_dict().items()}


def load_state_dict(model, state):
    for prefix, net in networks(model).items():
        n = len(prefix) + 1
        net.load_state_dict({k[n:]: v for k, v in state.items() if k.startswith(prefix + ".")})


# ------------------------------------------------------------------- safetensors
def save_safetensors(path, tensors):
    """{name: tensor} as safetensors: header size (8 bytes, little-endian), JSON header
    padded to 8 bytes with spaces, then the raw data in the header's order."""
    dtypes = {torch.float32: "F32", torch.int64: "I64"}
    header, blobs, offset = {}, [], 0
    for name, t in tensors.items():
        data = t.detach().cpu().contiguous().numpy().tobytes()
        header[name] = {"dtype": dtypes[t.dtype], "shape": list(t.shape),
                        "data_offsets": [offset, offset + len(data)]}
        blobs.append(data)
        offset += len(data)
    text = json.dumps(header, separators=(",", ":")).encode()
    text += b" " * (-len(text) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(text)))
        f.write(text)
        for data in blobs:
            f.write(data)


def load_safetensors(path):
    raw = pathlib.Path(path).read_bytes()
    n = struct.unpack("<Q", raw[:8])[0]
    header = json.loads(raw[8:8 + n])
    out = {}
    for name, info in header.items():
        if name == "__metadata__":
            continue
        dtype = {"F32": np.float32, "I64": np.int64}[info["dtype"]]
        begin, end = info["data_offsets"]
        data = np.frombuffer(raw[8 + n + begin:8 + n + end], dtype=dtype)
        out[name] = torch.from_numpy(data.reshape(info["shape"]).copy())
    return out


# ------------------------------------------------------------- reference checkpoint
def train_reference(kind, seed=0, train_steps=3):
    """A model of `kind` after `train_steps` steps on one random batch from `seed`:
    weights that are not an initialisation, so a wrong load shows."""
    torch.manual_seed(seed)
    # An image batch is drawn for every kind, prior49's codes after it: the random
    # stream of torch_reference.py's `golden`, so one seed gives the same weights.
    data = torch.rand(BATCH, 1, 28, 28) * 2 - 1            # (64, 1, 28, 28)
    if kind == "prior49":
        data = torch.randint(0, 256, (BATCH, 49))          # (64, 49) code grids
    model = MODELS[kind](torch.device("cpu"))
    for _ in range(train_steps):
        model.step(data)
    return model


def write_reference(kind, out, save_npy, seed=0, train_steps=3):
    """out/checkpoint.safetensors of train_reference() and its eval-mode outputs, drawn
    after training from the same generator:
    dcgan28, wgan_gp28: z.npy (8, 64) and the generator's out.npy (8, 1, 28, 28);
    vqgan28: x.npy (8, 1, 28, 28), codes.npy (8, 7, 7) and the reconstruction out.npy;
    prior49: codes.npy (8, 49) and the logits out.npy (8, 49, 256)."""
    out = pathlib.Path(out)
    out.mkdir(parents=True, exist_ok=True)
    model = train_reference(kind, seed, train_steps)
    save_safetensors(out / "checkpoint.safetensors", state_dict(model))
    for net in networks(model).values():
        net.eval()
    with torch.no_grad():
        if kind == "prior49":
            codes = torch.randint(0, 256, (8, 49))
            save_npy(out / "codes.npy", codes)
            save_npy(out / "out.npy", model.P(codes))
        elif kind == "vqgan28":
            x = torch.rand(8, 1, 28, 28) * 2 - 1
            rec, _, codes = model.AE(x)
            save_npy(out / "x.npy", x)
            save_npy(out / "codes.npy", codes)
            save_npy(out / "out.npy", rec)
        else:
            z = torch.randn(8, Z_DIM)
            save_npy(out / "z.npy", z)
            save_npy(out / "out.npy", model.G(z))
