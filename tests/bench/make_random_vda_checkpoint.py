#!/usr/bin/python3
"""A full-size Video Depth Anything checkpoint with random weights, for speed measurements where
the real weights cannot be downloaded (compute does not depend on the weights' values).

Usage: make_random_vda_checkpoint.py VDA_CHECKOUT OUT.pth [vits|vitb|vitl]
Imports the official model from the checkout (github DepthAnything/Video-Depth-Anything) with
the einops stand-in of tests/nn/make_vda_fixture.py; nothing of the official code is copied.
"""
import importlib.util
import os
import sys

import torch

here = os.path.dirname(os.path.abspath(__file__))
spec = importlib.util.spec_from_file_location("make_vda_fixture",
                                              os.path.join(here, "..", "nn", "make_vda_fixture.py"))
fixture = importlib.util.module_from_spec(spec)
spec.loader.exec_module(fixture)
fixture.install_einops_stand_in()
sys.path.insert(0, sys.argv[1])
from video_depth_anything import video_depth  # noqa: E402

encoder = sys.argv[3] if len(sys.argv) > 3 else "vits"
torch.manual_seed(0)
model = video_depth.VideoDepthAnything(**fixture.FULL_CONFIGS[encoder])
torch.save(model.state_dict(), sys.argv[2])
print(f"wrote {sys.argv[2]}: {sum(p.numel() for p in model.parameters())} parameters")
