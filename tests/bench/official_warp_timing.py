#!/usr/bin/python3
"""Times the official GenStereo forward warp on this machine, for docs/benchmarks.md.

Usage: /usr/bin/python3 tests/bench/official_warp_timing.py OFFICIAL_GENSTEREO_CHECKOUT

Imports `genstereo/ops.py` from a checkout of github.com/Qjizhi/GenStereo (not part of this
repository) and times `convert_left_to_right_torch` on the scene of
../shared/docs/OFFICIAL-CPU-TIMINGS.md and of our BM_OfficialWarp benchmark: random image in
[-1, 1], disparity 8 + 12x/W + 12y/H + 0.7 sin(x/37) px plus a 60 px foreground box, and the
official 10-channel coordinate embedding. Needs Debian's python3-torch; 2 threads.
"""
import importlib.util
import statistics
import sys
import time

import torch


def load_ops(checkout):
    spec = importlib.util.spec_from_file_location("genstereo_ops", f"{checkout}/genstereo/ops.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def scene(width, height):
    x = torch.arange(width, dtype=torch.float32).view(1, -1).expand(height, width)
    y = torch.arange(height, dtype=torch.float32).view(-1, 1).expand(height, width)
    d = 8 + 12 * x / width + 12 * y / height + 0.7 * torch.sin(x / 37)
    box = (y >= 0.3 * height) & (y < 0.7 * height) & (x >= 0.35 * width) & (x < 0.65 * width)
    d = torch.where(box, torch.full_like(d, 60.0), d)
    u, v = x / height, y / width  # the official divisors
    embed = torch.stack([u, v, torch.sin(u), torch.sin(v), torch.cos(u), torch.cos(v),
                         torch.sin(2 * u), torch.sin(2 * v), torch.cos(2 * u), torch.cos(2 * v)])
    image = torch.rand(3, height, width) * 2 - 1
    return embed, d.unsqueeze(0), image


def main():
    torch.set_num_threads(2)
    ops = load_ops(sys.argv[1])
    for width, height, runs in [(768, 768, 7), (3840, 2160, 3)]:
        embed, disparity, image = scene(width, height)
        ops.convert_left_to_right_torch(embed, disparity, image)  # warm-up
        times = []
        for _ in range(runs):
            start = time.perf_counter()
            ops.convert_left_to_right_torch(embed, disparity, image)
            times.append(time.perf_counter() - start)
        print(f"official convert_left_to_right_torch {width}x{height}: "
              f"median {statistics.median(times) * 1000:.1f} ms over {runs} runs "
              f"(min {min(times) * 1000:.1f}, max {max(times) * 1000:.1f})")


if __name__ == "__main__":
    main()
