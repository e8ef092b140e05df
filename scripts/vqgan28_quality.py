#!/usr/bin/env python3
"""vqgan28 quality beside PyTorch's: test-set reconstruction MSE, code perplexity and usage.

  scripts/vqgan28_quality.py torch  --steps N --out DIR   train torch_reference.VQGAN N steps
                                                         (batch 64, seed 0) on Fashion-MNIST,
                                                         write DIR/checkpoint.safetensors
  scripts/vqgan28_quality.py testset --out X.npy          the 10000 test images, (N,1,28,28) in [-1,1]
  scripts/vqgan28_quality.py score  --x X.npy --rec R.npy --codes C.npy [--codes-total K]
                                                         MSE, perplexity of the code histogram,
                                                         codes used (of K)

Ganvas's side: `ganvas train --model vqgan28 --steps N --out DIR`, then
`ganvas reconstruct --checkpoint DIR/checkpoint.safetensors --in X.npy --out R.npy --codes C.npy`.
torch_reference.py's own `train` covers only the GANs, hence this script (it imports its classes).
"""
import argparse
import json
import os
import pathlib
import sys
import time

import numpy as np

REFERENCE = pathlib.Path(os.environ.get("GANVAS_REFERENCE", "/work/shared/reference"))


def train_torch(args):
    import torch
    sys.path.insert(0, str(REFERENCE))
    import torch_reference as ref
    torch.manual_seed(0)
    if args.threads:
        torch.set_num_threads(args.threads)
    data = ref.load_fashion_mnist()
    model = ref.VQGAN(torch.device("cpu"))
    t0 = time.perf_counter()
    for step in range(1, args.steps + 1):
        batch = data[torch.randint(0, data.shape[0], (ref.BATCH,))]
        loss, d_loss = model.step(batch)
        if step % 25 == 0 or step == args.steps:
            print(f"step {step} loss {loss:.4f} d_loss {d_loss:.4f} "
                  f"{step / (time.perf_counter() - t0):.2f} steps/s", flush=True)
    os.makedirs(args.out, exist_ok=True)
    state = {f"{k}.{n}": t for k, net in (("AE", model.AE), ("D", model.D))
             for n, t in net.state_dict().items()}
    ref.save_safetensors(os.path.join(args.out, "checkpoint.safetensors"), state)
    # Its own reconstruction of the test set, in eval mode (as ganvas reconstruct).
    test = ref.load_fashion_mnist(split="test")
    model.AE.eval()
    with torch.no_grad():
        parts = [model.AE(test[i:i + 1000]) for i in range(0, test.shape[0], 1000)]
    np.save(os.path.join(args.out, "rec.npy"), torch.cat([p[0] for p in parts]).numpy())
    np.save(os.path.join(args.out, "codes.npy"), torch.cat([p[2] for p in parts]).numpy())


def testset(args):
    sys.path.insert(0, str(REFERENCE))
    import torch_reference as ref
    np.save(args.out, ref.load_fashion_mnist(split="test").numpy())


def score(args):
    x, rec, codes = np.load(args.x), np.load(args.rec), np.load(args.codes)
    counts = np.bincount(codes.reshape(-1), minlength=args.codes_total)
    p = counts[counts > 0] / counts.sum()
    print(json.dumps({"mse": round(float(((rec - x) ** 2).mean()), 5),
                      "perplexity": round(float(np.exp(-(p * np.log(p)).sum())), 2),
                      "codes_used": int((counts > 0).sum()), "codes_total": args.codes_total}))


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = ap.add_subparsers(dest="cmd", required=True)
    t = sub.add_parser("torch")
    t.add_argument("--steps", type=int, default=500)
    t.add_argument("--threads", type=int, default=1)
    t.add_argument("--out", required=True)
    s = sub.add_parser("testset")
    s.add_argument("--out", required=True)
    c = sub.add_parser("score")
    c.add_argument("--x", required=True)
    c.add_argument("--rec", required=True)
    c.add_argument("--codes", required=True)
    c.add_argument("--codes-total", type=int, default=256)
    args = ap.parse_args()
    {"torch": train_torch, "testset": testset, "score": score}[args.cmd](args)


if __name__ == "__main__":
    main()
