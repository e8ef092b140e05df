"""reference_models.py against the shared benchmark reference (torch_reference.py).

Ganvas's checkpoints are meant to load into the benchmark's models and back, and
the golden files are meant to be that reference's numbers. So before any file is
written, for each model both scripts build it from one seed, train it one step
on one batch and run it in eval mode (torch_reference.py's `golden` against
reference_models.write_reference), and the gradient penalty runs on one critic.
Names, shapes and dtypes must agree exactly; values may differ only by float
rounding. Anything else stops make_golden.py with the first difference named.
"""
import argparse
import contextlib
import importlib.util
import io
import pathlib
import sys
import tempfile

import numpy as np
import torch

import reference_models as ours

ATOL, RTOL = 1e-6, 1e-5  # float rounding; the same code gives 0


class Mismatch(Exception):
    pass


def load_module(path):
    spec = importlib.util.spec_from_file_location("shared_torch_reference", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def compare_arrays(what, a, b):
    """a (ours) against b (theirs): 'identical', 'rounding ...', or Mismatch."""
    a, b = np.asarray(a), np.asarray(b)
    if a.dtype != b.dtype or a.shape != b.shape:
        raise Mismatch(f"{what}: {a.dtype}{list(a.shape)} here, {b.dtype}{list(b.shape)} in the reference")
    if np.array_equal(a, b):
        return 0.0
    diff = np.abs(a.astype(np.float64) - b.astype(np.float64))
    if not np.all(diff <= ATOL + RTOL * np.abs(b.astype(np.float64))):
        i = np.unravel_index(np.argmax(diff), diff.shape)
        raise Mismatch(f"{what}: {a[i]:.9g} here, {b[i]:.9g} in the reference at {tuple(int(k) for k in i)}"
                       f" (max |diff| {diff.max():.3g})")
    return float(diff.max())


def compare_state(what, mine, theirs):
    if list(mine) != list(theirs):
        only_mine = [k for k in mine if k not in theirs]
        only_theirs = [k for k in theirs if k not in mine]
        raise Mismatch(f"{what}: state_dict names differ; only here: {only_mine or '-'}; "
                       f"only in the reference: {only_theirs or '-'}"
                       + ("; the same names in another order" if not only_mine and not only_theirs else ""))
    return max((compare_arrays(f"{what} {k}", mine[k].numpy(), theirs[k].numpy()) for k in mine),
               default=0.0)


def check_model(theirs, kind, tmp):
    """One seed, one training step, eval outputs: the files both scripts write."""
    mine_dir, theirs_dir = tmp / kind / "mine", tmp / kind / "theirs"
    ours.write_reference(kind, mine_dir, lambda p, t: np.save(p, t.detach().numpy()), train_steps=1)
    args = argparse.Namespace(model=kind, seed=0, train_steps=1, out=str(theirs_dir))
    with contextlib.redirect_stdout(io.StringIO()):
        theirs.golden(args)
    worst = compare_state(f"{kind} checkpoint", ours.load_safetensors(mine_dir / "checkpoint.safetensors"),
                          ours.load_safetensors(theirs_dir / "checkpoint.safetensors"))
    names = sorted(p.name for p in theirs_dir.glob("*.npy"))
    if names != sorted(p.name for p in mine_dir.glob("*.npy")):
        raise Mismatch(f"{kind}: the reference writes {names}, reference_models.py "
                       f"{sorted(p.name for p in mine_dir.glob('*.npy'))}")
    for name in names:
        worst = max(worst, compare_arrays(f"{kind} {name}", np.load(mine_dir / name), np.load(theirs_dir / name)))
    return worst


def check_penalty(theirs):
    torch.manual_seed(5)
    critic = ours.Discriminator28(batchnorm=False)
    real, fake = torch.rand(4, 1, 28, 28) * 2 - 1, torch.rand(4, 1, 28, 28) * 2 - 1
    eps = torch.rand(4, 1, 1, 1)
    a = ours.gradient_penalty(critic, real, fake, eps)
    b = theirs.gradient_penalty(critic, real, fake, eps)
    return compare_arrays("gradient_penalty", a.detach().numpy(), b.detach().numpy())


def check(path):
    """Raises SystemExit naming the first difference; prints a line when they agree."""
    path = pathlib.Path(path)
    theirs = load_module(path)
    rng_state = torch.get_rng_state()
    try:
        for name in ("Z_DIM", "BATCH"):
            if getattr(theirs, name) != getattr(ours, name):
                raise Mismatch(f"{name} is {getattr(ours, name)} here, {getattr(theirs, name)} in the reference")
        worst = 0.0
        with tempfile.TemporaryDirectory() as tmp:
            for kind in ours.MODELS:
                worst = max(worst, check_model(theirs, kind, pathlib.Path(tmp)))
        worst = max(worst, check_penalty(theirs))
    except Mismatch as e:
        sys.exit(f"make_golden.py: reference_models.py disagrees with {path}: {e}")
    finally:
        torch.set_rng_state(rng_state)
    agreement = "identical" if worst == 0.0 else f"equal up to rounding (max |diff| {worst:.3g})"
    print(f"reference_models.py and {path}: {', '.join(ours.MODELS)} and the gradient penalty {agreement}")
