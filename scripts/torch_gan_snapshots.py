#!/usr/bin/env python3
"""`torch_reference.py train`, with the samples taken at several steps of one run.

  scripts/torch_gan_snapshots.py --model dcgan28|wgan_gp28 --steps 1000,5000 --out DIR
                                 [--seed 0] [--threads 1] [--samples 10000] [--resume]

writes DIR/samples_1000.npy and DIR/samples_5000.npy, the very files that
`torch_reference.py train --steps 1000 --out ...` and `--steps 5000` write: the
loop is that command's, and after each snapshot the random state and the
generator's mode are put back, so the run goes on as if none was taken
(`--check` compares a short run against the command itself). One 5000-step run
instead of a 1000-step and a 5000-step one saves a sixth of the time; score the
files with `ganvas eval --samples DIR/samples_N.npy`.

A run this long outlasts a working session on a small machine, so the whole
training state (both networks, both optimizers, the random state and the step)
goes to DIR/state.pt every --save-every steps, at the end, and on Ctrl+C or
SIGTERM; `--resume` goes on from it bit for bit (`--check` tests that too).
"""
import argparse
import os
import pathlib
import signal
import subprocess
import sys
import tempfile
import time

import numpy as np

REFERENCE = pathlib.Path(os.environ.get("GANVAS_REFERENCE",
                                        pathlib.Path(__file__).resolve().parents[2] / "shared" / "reference"))


def snapshot(ref, torch, model, n):
    rng = torch.get_rng_state()
    model.G.eval()
    with torch.no_grad():
        out = torch.cat([model.G(torch.randn(500, ref.Z_DIM)) for _ in range(n // 500)])
    model.G.train()
    torch.set_rng_state(rng)
    return out.numpy().astype(np.float32)


def save_state(torch, model, step, path):
    """Writes the whole training state atomically, so an interrupted save loses nothing."""
    state = {"step": step, "rng": torch.get_rng_state(),
             "G": model.G.state_dict(), "D": model.D.state_dict(),
             "oG": model.oG.state_dict(), "oD": model.oD.state_dict()}
    tmp = path.with_suffix(".tmp")
    torch.save(state, tmp)
    os.replace(tmp, path)


def load_state(torch, model, path):
    state = torch.load(path)
    for name in ("G", "D", "oG", "oD"):
        getattr(model, name).load_state_dict(state[name])
    torch.set_rng_state(state["rng"])
    return state["step"]


def train(args):
    import torch
    sys.path.insert(0, str(REFERENCE))
    import torch_reference as ref
    stops = sorted({int(s) for s in args.steps.split(",")})
    torch.manual_seed(args.seed)
    if args.threads:
        torch.set_num_threads(args.threads)
    data = ref.load_fashion_mnist(args.data)
    model = {"dcgan28": ref.DCGAN, "wgan_gp28": ref.WGANGP}[args.model](torch.device("cpu"))
    out = pathlib.Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    state_path = out / "state.pt"
    first = 1
    if args.resume:
        if not state_path.exists():
            sys.exit(f"--resume: {state_path} does not exist; start without --resume")
        first = load_state(torch, model, state_path) + 1
        print(f"resumed {state_path} at step {first - 1}", flush=True)
    stop_requested = []
    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, lambda *_: stop_requested.append(True))
    t0 = time.perf_counter()
    for step in range(first, stops[-1] + 1):
        batch = data[torch.randint(0, data.shape[0], (ref.BATCH,))]
        ld, lg = model.step(batch)
        if step % 100 == 0 or step in stops:
            print(f"step {step} lossD {ld:.4f} lossG {lg:.4f} "
                  f"{(step - first + 1) / (time.perf_counter() - t0):.2f} steps/s", flush=True)
        if step in stops:
            np.save(out / f"samples_{step}.npy", snapshot(ref, torch, model, args.samples))
            print(f"wrote {out / f'samples_{step}.npy'}", flush=True)
        if stop_requested or step % args.save_every == 0 or step == stops[-1]:
            save_state(torch, model, step, state_path)
        if stop_requested:
            print(f"interrupted at step {step}; {state_path} saved; continue with --resume", flush=True)
            return


def check(args):
    """Short runs three ways: the snapshot at the last step is the same whether taken
    by the command, by this script in one go, or by this script stopped and resumed."""
    with tempfile.TemporaryDirectory() as tmp:
        last = 20
        common = ["--model", args.model, "--seed", str(args.seed), "--threads", "1", "--samples", "500"]
        subprocess.run([sys.executable, str(REFERENCE / "torch_reference.py"), "train", "--steps", str(last),
                        "--out", f"{tmp}/ref.npy", *common], check=True)
        subprocess.run([sys.executable, __file__, "--steps", f"5,{last}", "--out", f"{tmp}/once", *common],
                       check=True)
        subprocess.run([sys.executable, __file__, "--steps", "12", "--save-every", "5", "--out", f"{tmp}/resumed",
                        *common], check=True)
        subprocess.run([sys.executable, __file__, "--steps", str(last), "--resume", "--out", f"{tmp}/resumed",
                        *common], check=True)
        reference = np.load(f"{tmp}/ref.npy")
        failures = 0
        for run in ("once", "resumed"):
            same = np.array_equal(reference, np.load(f"{tmp}/{run}/samples_{last}.npy"))
            print(f"{run}: " + ("identical to" if same else "DIFFERENT from") + " torch_reference.py train")
            failures += not same
        return 1 if failures else 0


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--model", default="dcgan28", choices=["dcgan28", "wgan_gp28"])
    ap.add_argument("--steps", default="1000,5000", help="comma-separated steps to take samples at")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--threads", type=int, default=0)
    ap.add_argument("--samples", type=int, default=10000)
    ap.add_argument("--data", default="/usr/share/datasets/fashion-mnist")
    ap.add_argument("--out", default="")
    ap.add_argument("--save-every", type=int, default=50, help="steps between saves of DIR/state.pt")
    ap.add_argument("--resume", action="store_true", help="go on from DIR/state.pt")
    ap.add_argument("--check", action="store_true",
                    help="compare 20-step runs, one in one go and one resumed, with torch_reference.py train")
    args = ap.parse_args()
    if args.check:
        return check(args)
    if not args.out:
        ap.error("--out DIR is required")
    if args.save_every < 1:
        ap.error("--save-every must be at least 1")
    train(args)
    return 0


if __name__ == "__main__":
    sys.exit(main())
