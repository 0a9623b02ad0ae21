#!/usr/bin/python3
"""Writes the small .pth test files of tests/unit/pth_reader_test.cpp with Debian's python3-torch.

Usage: /usr/bin/python3 tests/data/pth/make_pth_fixtures.py tests/data/pth
Values are exactly representable so the C++ test can state them without tolerance.
"""
import collections
import os
import sys

import torch


class Evil:
    """Pickles to a call of os.system: a reader must refuse it, never run it."""

    def __reduce__(self):
        return (os.system, ("echo this must never run",))


def main(out):
    torch.manual_seed(0)
    base = torch.arange(24, dtype=torch.float32).view(4, 6)
    torch.save({
        "f32": torch.arange(12, dtype=torch.float32).view(3, 4) * 0.5 - 3,
        "f16": (torch.arange(5, dtype=torch.float32) * 0.25).half(),
        "bf16": (torch.arange(6, dtype=torch.float32) - 2.5).view(2, 3).bfloat16(),
        "f64": torch.arange(4, dtype=torch.float64) / 8,
        "i64": torch.arange(6, dtype=torch.int64).view(2, 3) - 2,
        "u8": torch.arange(4, dtype=torch.uint8) * 60,
        "flag": torch.tensor([True, False, True]),
        "scalar": torch.tensor(7.5),
    }, f"{out}/dtypes.pth")
    torch.save({
        "base": base,
        "transposed": base.t(),
        "slice": base[1:3, 2:5],
        "row": base[2],
    }, f"{out}/views.pth")
    linear = torch.nn.Linear(3, 2)
    with torch.no_grad():
        linear.weight.copy_(torch.arange(6, dtype=torch.float32).view(2, 3))
        linear.bias.copy_(torch.tensor([0.5, -0.5]))
    torch.save(linear.state_dict(), f"{out}/ordered_dict.pth")  # OrderedDict + _metadata
    torch.save(dict(linear.named_parameters()), f"{out}/parameters.pth")  # nn.Parameter
    torch.save({"w": torch.ones(2)}, f"{out}/legacy.pth", _use_new_zipfile_serialization=False)
    torch.save({"w": torch.ones(2), "payload": Evil()}, f"{out}/evil.pth")
    torch.save({"model": {"w": torch.ones(2)}, "epoch": 3}, f"{out}/nested.pth")


if __name__ == "__main__":
    main(sys.argv[1])
