#!/usr/bin/env python3
"""Writes the golden tensors the C++ tests compare against, with PyTorch.

Each area has a module golden_<area>.py beside this file with a function
make(out_dir) that writes small .npy files under out_dir/<area>/; the models
they need are in reference_models.py. Run with Debian's python3-torch:

    /usr/bin/python3 tests/golden/make_golden.py              # every area
    /usr/bin/python3 tests/golden/make_golden.py conv optim   # some areas
    /usr/bin/python3 tests/golden/make_golden.py --compare    # regenerate in a temporary
                                                              # folder, list what differs
    /usr/bin/python3 tests/golden/make_golden.py --check-reference   # only the check below

VERSIONS.txt beside the areas records the PyTorch and NumPy that wrote each
area. When ../shared/reference/torch_reference.py is present (beside the
repository) or --reference names it, its models are first checked against
reference_models.py (check_reference.py): same state_dict names and shapes, same
weights and outputs from a seed. A mismatch stops here, before any file is written.

The files are committed; CI does not need PyTorch.
"""
import os

# oneDNN picks its convolution kernels by the CPU: AVX-512 ones round differently
# from AVX2 ones (by an ulp, which three Adam steps turn into 2 lr). Capping it at
# AVX2, which most x86 CPUs have, keeps the files the same from machine to machine.
# It must be set before torch loads oneDNN.
os.environ.setdefault("ONEDNN_MAX_CPU_ISA", "AVX2")

import argparse  # noqa: E402
import importlib  # noqa: E402
import pathlib  # noqa: E402
import platform  # noqa: E402
import subprocess  # noqa: E402
import sys  # noqa: E402
import tempfile  # noqa: E402

import numpy as np  # noqa: E402
import torch  # noqa: E402

HERE = pathlib.Path(__file__).resolve().parent
SHARED_REFERENCE = HERE.parents[1].parent / "shared" / "reference" / "torch_reference.py"
VERSIONS = "VERSIONS.txt"


def save(path, tensor):
    """Saves a tensor as .npy: float32 or int64, C order."""
    path = pathlib.Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    a = tensor.detach().cpu().numpy() if isinstance(tensor, torch.Tensor) else np.asarray(tensor)
    if a.dtype == np.float64:
        a = a.astype(np.float32)
    np.save(path, np.require(a, requirements="C"))  # keeps 0-d arrays 0-d


def all_areas():
    return sorted(p.stem[len("golden_"):] for p in HERE.glob("golden_*.py"))


def debian_version(package):
    try:
        out = subprocess.run(["dpkg-query", "-W", "-f=${Version}", package],
                             capture_output=True, text=True, check=True)
        return out.stdout.strip() or "-"
    except (OSError, subprocess.CalledProcessError):
        return "-"


def versions_row():
    """What wrote an area: the versions and the settings that change its numbers."""
    return {"torch": torch.__version__, "python3-torch": debian_version("python3-torch"),
            "numpy": np.__version__, "python": platform.python_version(),
            "onednn_isa": os.environ["ONEDNN_MAX_CPU_ISA"], "threads": str(torch.get_num_threads())}


def write_versions(out, areas):
    """Updates out/VERSIONS.txt: one row per area, the rows of areas not rebuilt kept."""
    path = out / VERSIONS
    rows = {}
    if path.exists():
        lines = [line.split() for line in path.read_text().splitlines()
                 if line.strip() and not line.startswith("#")]
        header = lines[0] if lines else []
        rows = {r[0]: dict(zip(header[1:], r[1:])) for r in lines[1:]}
    for area in areas:
        rows[area] = versions_row()
    columns = ["area"] + list(versions_row())
    table = [columns] + [[area] + [rows[area].get(c, "-") for c in columns[1:]]
                         for area in sorted(rows)]
    widths = [max(len(r[i]) for r in table) for i in range(len(columns))]
    text = ["# What wrote the golden files: one row per golden_<area>.py that make_golden.py ran",
            "# (an area may write more than one folder: prior writes prior49/ and prior_ops/)."]
    text += ["  ".join(cell.ljust(w) for cell, w in zip(r, widths)).rstrip() for r in table]
    path.write_text("\n".join(text) + "\n")


def make(areas, out):
    torch.set_num_threads(1)
    sys.path.insert(0, str(HERE))
    for area in areas:
        torch.manual_seed(0)
        module = importlib.import_module(f"golden_{area}")
        module.make(out / area)
        print(f"wrote {area}")
    write_versions(out, areas)


def compare(areas):
    """Regenerates into a temporary folder and lists every file that is not byte for
    byte the committed one, with its largest difference."""
    with tempfile.TemporaryDirectory() as tmp:
        tmp = pathlib.Path(tmp)
        make(areas, tmp)
        differ = 0
        for new in sorted(p for p in tmp.rglob("*") if p.is_file() and p.name != VERSIONS):
            rel = new.relative_to(tmp)
            old = HERE / rel
            if old.exists() and old.read_bytes() == new.read_bytes():
                continue
            differ += 1
            if not old.exists():
                print(f"{rel}: new")
            elif new.suffix == ".npy":
                a, b = np.load(new), np.load(old)
                if a.shape != b.shape or a.dtype != b.dtype:
                    print(f"{rel}: {a.dtype}{a.shape} against {b.dtype}{b.shape}")
                else:
                    d = np.abs(a.astype(np.float64) - b.astype(np.float64))
                    print(f"{rel}: max |diff| {d.max():.3g} in {(d > 0).sum()} of {d.size}")
            else:
                print(f"{rel}: differs")
        for area in areas:  # files the committed areas have and the new run did not write
            for old in sorted(p for p in (HERE / area).rglob("*") if p.is_file()):
                if not (tmp / old.relative_to(HERE)).exists():
                    differ += 1
                    print(f"{old.relative_to(HERE)}: no longer written")
        print(f"{differ} files differ from the committed ones")
        return differ


def main():
    ap = argparse.ArgumentParser(description=__doc__,
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("areas", nargs="*", help="golden_<area>.py to run; all by default")
    ap.add_argument("--compare", action="store_true",
                    help="write into a temporary folder and list the files that differ")
    ap.add_argument("--check-reference", action="store_true",
                    help="only check reference_models.py against the shared reference")
    ap.add_argument("--reference", type=pathlib.Path, default=SHARED_REFERENCE,
                    help="torch_reference.py to check against (default: %(default)s)")
    ap.add_argument("--no-reference-check", action="store_true",
                    help="skip the check even when the shared reference is present")
    args = ap.parse_args()
    unknown = sorted(set(args.areas) - set(all_areas()))
    if unknown:
        sys.exit(f"make_golden.py: no area {', '.join(unknown)}; the areas are "
                 f"{', '.join(all_areas())}")

    if args.check_reference or not args.no_reference_check:
        if args.reference.exists():
            sys.path.insert(0, str(HERE))
            import check_reference
            check_reference.check(args.reference)
        elif args.check_reference or args.reference != SHARED_REFERENCE:
            sys.exit(f"make_golden.py: {args.reference} does not exist")
        else:
            print(f"{args.reference} is absent: reference_models.py is not checked against it")
    if args.check_reference:
        return
    areas = args.areas or all_areas()
    if args.compare:
        sys.exit(1 if compare(areas) else 0)
    make(areas, HERE)


if __name__ == "__main__":
    main()
