#!/usr/bin/env python3
"""A full-size Depth Anything V2 checkpoint with random weights, for speed measurements where
the real weights cannot be downloaded (compute does not depend on the weights' values).

Usage: make_random_depth_checkpoint.py DEPTH_ANYTHING_V2_CHECKOUT OUT.pth [vits|vitb|vitl]
Imports the official model code from the checkout (github DepthAnything/Depth-Anything-V2);
nothing of it is copied here. Needs python3-torch.
"""
import sys

import torch

sys.path.insert(0, sys.argv[1])
# The official module imports OpenCV for its image helper only (not used to build the model).
try:
    import cv2  # noqa: F401
except ImportError:
    import types
    sys.modules["cv2"] = types.ModuleType("cv2")
from depth_anything_v2.dpt import DepthAnythingV2  # noqa: E402

CONFIGS = {
    "vits": {"encoder": "vits", "features": 64, "out_channels": [48, 96, 192, 384]},
    "vitb": {"encoder": "vitb", "features": 128, "out_channels": [96, 192, 384, 768]},
    "vitl": {"encoder": "vitl", "features": 256, "out_channels": [256, 512, 1024, 1024]},
}

encoder = sys.argv[3] if len(sys.argv) > 3 else "vits"
torch.manual_seed(0)
model = DepthAnythingV2(**CONFIGS[encoder])
torch.save(model.state_dict(), sys.argv[2])
print(f"wrote {sys.argv[2]}: {sum(p.numel() for p in model.parameters())} parameters")
