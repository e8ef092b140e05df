#!/usr/bin/env python3
"""Writes the golden tensors the C++ tests compare against, with PyTorch.

Each area has a module golden_<area>.py beside this file with a function
make(out_dir) that writes small .npy files under out_dir/<area>/. Run with
Debian's python3-torch:

    /usr/bin/python3 tests/golden/make_golden.py            # every area
    /usr/bin/python3 tests/golden/make_golden.py conv norm  # some areas

The files are committed; CI does not need PyTorch.
"""
import importlib
import os
import pathlib
import sys

import numpy as np
import torch

HERE = pathlib.Path(__file__).resolve().parent


def save(path, tensor):
    """Saves a tensor as .npy: float32 or int64, C order."""
    path = pathlib.Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    a = tensor.detach().cpu().numpy() if isinstance(tensor, torch.Tensor) else np.asarray(tensor)
    if a.dtype == np.float64:
        a = a.astype(np.float32)
    np.save(path, np.require(a, requirements="C"))  # keeps 0-d arrays 0-d


def main():
    torch.set_num_threads(1)
    areas = sys.argv[1:] or sorted(p.stem[len("golden_"):] for p in HERE.glob("golden_*.py"))
    sys.path.insert(0, str(HERE))
    for area in areas:
        torch.manual_seed(0)
        module = importlib.import_module(f"golden_{area}")
        module.make(HERE / area)
        print(f"wrote {area}")


if __name__ == "__main__":
    main()
