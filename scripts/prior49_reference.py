#!/usr/bin/env python3
"""torch_reference.py's side of the prior49 comparison in the README.

  prior49_reference.py encode --vq VQ.safetensors --out DIR
      codes the Fashion-MNIST train and test sets with the VQGAN's encoder
      (torch_reference.VQAutoencoder28) into DIR/train_codes.npy, DIR/test_codes.npy,
      int64 (N, 7, 7): the same files `ganvas train --data codes:...` reads.
  prior49_reference.py train --codes DIR --steps N [--seed S] [--threads T]
      trains torch_reference.Prior on random batches of 64 train grids for N steps,
      then prints the held-out bits per code and next-code accuracy on the test grids.
"""
import argparse
import math
import pathlib
import sys

import numpy as np
import torch
import torch.nn.functional as F

REFERENCE = pathlib.Path(__file__).resolve().parents[2] / "shared" / "reference"
sys.path.insert(0, str(REFERENCE))
import torch_reference as ref  # noqa: E402

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[1] / "tests" / "golden"))
from golden_dcgan28 import load_safetensors  # noqa: E402


def encode(args):
    state = load_safetensors(args.vq)
    ae = ref.VQAutoencoder28()
    ae.load_state_dict({k[3:]: v for k, v in state.items() if k.startswith("AE.")})
    ae.eval()
    out = pathlib.Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    with torch.no_grad():
        for split in ("train", "test"):
            x = ref.load_fashion_mnist(split=split)
            # Encoder and quantizer only: the decoder's output is not needed here.
            codes = torch.cat([ae.vq(ae.enc(x[i:i + 1000]))[2] for i in range(0, x.shape[0], 1000)])
            np.save(out / f"{split}_codes.npy", codes.numpy().astype(np.int64))
            print(f"{split}: {tuple(codes.shape)} codes, {codes.unique().numel()} distinct")


def evaluate(prior, codes):
    nats, correct, n = 0.0, 0, 0
    with torch.no_grad():
        for i in range(0, codes.shape[0], 500):
            c = codes[i:i + 500]
            logits = prior(c)
            nats += F.cross_entropy(logits.reshape(-1, logits.shape[-1]), c.reshape(-1),
                                    reduction="sum").item()
            correct += (logits.argmax(-1) == c).sum().item()
            n += c.numel()
    return nats / n / math.log(2), correct / n


def train(args):
    torch.manual_seed(args.seed)
    if args.threads:
        torch.set_num_threads(args.threads)
    d = pathlib.Path(args.codes)
    tr = torch.from_numpy(np.load(d / "train_codes.npy")).reshape(-1, 49).long()
    te = torch.from_numpy(np.load(d / "test_codes.npy")).reshape(-1, 49).long()
    model = ref.Prior(torch.device("cpu"))
    for step in range(1, args.steps + 1):
        loss, _ = model.step(tr[torch.randint(0, tr.shape[0], (ref.BATCH,))])
        if step % 100 == 0:
            print(f"step {step} loss {loss:.4f}", flush=True)
    bits, acc = evaluate(model.P, te)
    print(f"held-out: {bits:.4f} bits per code, next-code accuracy {acc:.4f} after {args.steps} steps")


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = ap.add_subparsers(dest="cmd", required=True)
    e = sub.add_parser("encode")
    e.add_argument("--vq", required=True)
    e.add_argument("--out", required=True)
    t = sub.add_parser("train")
    t.add_argument("--codes", required=True)
    t.add_argument("--steps", type=int, default=1000)
    t.add_argument("--seed", type=int, default=0)
    t.add_argument("--threads", type=int, default=1)
    args = ap.parse_args()
    {"encode": encode, "train": train}[args.cmd](args)


if __name__ == "__main__":
    main()
