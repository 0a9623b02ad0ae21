#!/usr/bin/env python3
"""Writes iw3_ema_fixture.json: the per-frame min/max that nunif iw3's EMAMinMaxScaler really
uses, for the parity test of genstereo's port (core/video/temporal/depth_range_stabilizer.cpp).

Usage: make_iw3_ema_fixture.py NUNIF_CHECKOUT [OUTPUT_JSON]

NUNIF_CHECKOUT is a checkout of https://github.com/nagadomi/nunif; its iw3/depth_scaler.py is
imported from there (nothing of nunif is committed here). Needs PyTorch (Debian: python3-torch).

The synthetic clip: 100 frames of 8x8 random depth (float64, fixed seed) with a drifting offset
and scale, cut into three scenes like iw3's --scene-detect does (update() the last frame of a
scene, then flush() and keep going): 50 frames, 20 frames (shorter than the buffer: the buffer
never fills) and 30 frames (exactly one buffer). Each case runs the whole clip with one
(decay, buffer_size) pair. The JSON holds the inputs' per-frame min/max, the index of the first
frame of every scene, and for every frame the min/max it was normalised with.
"""
import importlib.util
import json
import math
import os
import sys

import torch

FRAME_COUNT = 100
SCENE_STARTS = [0, 50, 70]
CASES = [(0.75, 30), (0.9, 7)]


def load_depth_scaler(nunif_dir):
    path = os.path.join(nunif_dir, "iw3", "depth_scaler.py")
    spec = importlib.util.spec_from_file_location("iw3_depth_scaler", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module, path


def make_frames():
    generator = torch.Generator().manual_seed(20261201)
    frames = []
    for t in range(FRAME_COUNT):
        offset = 0.5 * math.sin(t * 0.21) + (2.0 if 50 <= t < 70 else 0.0)
        scale = 1.0 + 0.4 * math.cos(t * 0.13) + 0.02 * t
        noise = torch.rand((1, 8, 8), generator=generator, dtype=torch.float64)
        frames.append(offset + scale * noise)
    return frames


def run_case(depth_scaler, frames, decay, buffer_size):
    scaler = depth_scaler.EMAMinMaxScaler(decay=decay, buffer_size=buffer_size)
    used = []

    def collect(outputs):
        for _, min_value, max_value in outputs:
            used.append([float(min_value), float(max_value)])

    for t, frame in enumerate(frames):
        normalized, min_value, max_value = scaler.update(frame, return_minmax=True)
        if normalized is not None:
            used.append([float(min_value), float(max_value)])
        is_last_of_scene = (t + 1) in SCENE_STARTS or t + 1 == len(frames)
        if is_last_of_scene:
            collect(scaler.flush(return_minmax=True))
    assert len(used) == len(frames), (len(used), len(frames))
    return {"decay": decay, "buffer_size": buffer_size, "used_minmax": used}


def main():
    if len(sys.argv) not in (2, 3):
        sys.exit("usage: make_iw3_ema_fixture.py NUNIF_CHECKOUT [OUTPUT_JSON]")
    depth_scaler, path = load_depth_scaler(sys.argv[1])
    output = sys.argv[2] if len(sys.argv) == 3 else os.path.join(os.path.dirname(__file__), "iw3_ema_fixture.json")
    frames = make_frames()
    fixture = {
        "source": "nagadomi/nunif iw3/depth_scaler.py EMAMinMaxScaler (float64 frames)",
        "generator": "tests/data/video/make_iw3_ema_fixture.py",
        "scene_starts": SCENE_STARTS,
        "input_minmax": [[float(f.amin()), float(f.amax())] for f in frames],
        "cases": [run_case(depth_scaler, frames, decay, buffer) for decay, buffer in CASES],
    }
    with open(output, "w") as f:
        json.dump(fixture, f, indent=1)
        f.write("\n")
    print(f"wrote {output} from {path}")


if __name__ == "__main__":
    main()
