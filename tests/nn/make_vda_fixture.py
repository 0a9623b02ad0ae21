#!/usr/bin/python3
"""Parity fixtures and manifests for the Video Depth Anything port (core/nn/video_depth_anything.h).

Usage:
  /usr/bin/python3 tests/nn/make_vda_fixture.py VDA_CHECKOUT tests/data
Writes tests/data/vda_tiny/* (tiny random model, inputs, outputs) and
tests/data/manifests/video_depth_anything_{vits,vitb,vitl}.json (full-size key/shape lists),
and prints the manifests.txt sections to stdout (paste into resources/models/manifests.txt).

VDA_CHECKOUT is a checkout of github DepthAnything/Video-Depth-Anything (used at commit
4f5ae23172ba60fd7bc11ef671cca678842c7072); the official classes are imported from it, nothing
of it is copied here. Needs Debian's python3-torch, python3-torchvision, python3-opencv,
python3-easydict, python3-tqdm. einops is not packaged for Debian 12: a minimal stand-in for
the rearrange patterns the motion module uses is installed below (plain reshape/permute).

Deviation (as for the Depth Anything V2 fixtures): torch 1.13 CPU can propagate NaN from the
uninitialised torch.empty of `torch.baddbmm(empty, q, k^T, beta=0, alpha=scale)` (the official
CrossAttention._attention). During generation torch.baddbmm with beta=0 is replaced by
alpha * bmm(q, k^T), the intended result.
"""
import contextlib
import json
import math
import os
import re
import struct
import sys
import types

import numpy as np
import torch

SEED = 20260105
CLIP_T, CLIP_H, CLIP_W = 4, 70, 98          # offline forward: [1, T, 3, H, W], multiples of 14
STREAM_FRAMES, STREAM_H, STREAM_W = 44, 45, 60  # streaming: RGB uint8 frames, resized to 42x56
STREAM_INPUT_SIZE = 42
TINY_BACKBONE = dict(img_size=518, patch_size=14, embed_dim=24, depth=12, num_heads=2,
                     mlp_ratio=4, init_values=1.0, ffn_layer="mlp", block_chunks=0,
                     num_register_tokens=0, interpolate_antialias=False, interpolate_offset=0.1)
# GroupNorm(32) in the temporal modules: out_channels[2], out_channels[3] and features must be
# multiples of 32.
TINY_HEAD = dict(features=32, out_channels=[8, 16, 32, 32])
FULL_CONFIGS = {
    "vits": {"encoder": "vits", "features": 64, "out_channels": [48, 96, 192, 384]},
    "vitb": {"encoder": "vitb", "features": 128, "out_channels": [96, 192, 384, 768]},
    "vitl": {"encoder": "vitl", "features": 256, "out_channels": [256, 512, 1024, 1024]},
}
HF_REPOS = {"vits": "depth-anything/Video-Depth-Anything-Small",
            "vitb": "depth-anything/Video-Depth-Anything-Base",
            "vitl": "depth-anything/Video-Depth-Anything-Large"}


def install_einops_stand_in():
    """einops.rearrange for patterns of named axes and parenthesised groups (no ellipsis)."""

    def parse(side):
        return re.findall(r"\([^)]*\)|\S+", side)

    def axes_of(token):
        return token[1:-1].split() if token.startswith("(") else [token]

    def rearrange(tensor, pattern, **sizes):
        left, right = (parse(s) for s in pattern.split("->"))
        known = dict(sizes)
        for token, dim in zip(left, tensor.shape):
            names = axes_of(token)
            unknown = [n for n in names if n not in known]
            product = math.prod(known[n] for n in names if n in known)
            if len(unknown) == 1:
                known[unknown[0]] = dim // product
            elif unknown:
                raise ValueError(f"einops stand-in: cannot infer {unknown} in '{pattern}'")
        left_axes = [n for t in left for n in axes_of(t)]
        right_axes = [n for t in right for n in axes_of(t)]
        x = tensor.reshape([known[n] for n in left_axes])
        x = x.permute([left_axes.index(n) for n in right_axes])
        return x.reshape([math.prod(known[n] for n in axes_of(t)) for t in right])

    def repeat(*args, **kwargs):
        raise NotImplementedError("einops stand-in: repeat is not used by VDA inference")

    module = types.ModuleType("einops")
    module.rearrange = rearrange
    module.repeat = repeat
    sys.modules["einops"] = module


def patch_baddbmm():
    original = torch.baddbmm

    def baddbmm(input, batch1, batch2, *, beta=1, alpha=1):
        if beta == 0:
            return alpha * torch.bmm(batch1, batch2)
        return original(input, batch1, batch2, beta=beta, alpha=alpha)

    torch.baddbmm = baddbmm


def write_safetensors(path, tensors):
    """Our own minimal writer: 8-byte LE header length, JSON header, raw LE data."""
    dtypes = {torch.float32: "F32", torch.uint8: "U8", torch.int64: "I64"}
    header, blobs, offset = {}, [], 0
    for name, t in tensors.items():
        t = t.detach().contiguous().cpu()
        data = t.numpy().tobytes()
        header[name] = {"dtype": dtypes[t.dtype], "shape": list(t.shape),
                        "data_offsets": [offset, offset + len(data)]}
        blobs.append(data)
        offset += len(data)
    text = json.dumps(header, separators=(",", ":")).encode()
    text += b" " * ((8 - len(text) % 8) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(text)))
        f.write(text)
        for blob in blobs:
            f.write(blob)


def randomise(model, generator):
    """Default init plus noise of half each tensor's spread (0.1 where it is constant), so that
    zero-initialised proj_out, LayerScale and norm affines all matter. Buffers (the sinusoidal
    position tables) are left as the official code computes them."""
    with torch.no_grad():
        for p in model.parameters():
            spread = p.std().item() if p.numel() > 1 else 0.0
            scale = 0.5 * spread if spread > 0 else 0.1
            p.add_(torch.randn(p.shape, generator=generator) * scale)
        # Keep the output ReLUs mostly open so that the depth is not all zeros.
        conv2 = model.head.scratch.output_conv2
        conv2[0].bias.add_(0.5)
        conv2[2].weight.mul_(4.0)
        conv2[2].bias.fill_(1.0)


def build_tiny(video_depth_module):
    from video_depth_anything.dinov2_layers import MemEffAttention, NestedTensorBlock
    from video_depth_anything.dinov2 import DinoVisionTransformer
    from video_depth_anything.dpt_temporal import DPTHeadTemporal
    from functools import partial
    model = video_depth_module.VideoDepthAnything(encoder="vits", **TINY_HEAD)
    model.pretrained = DinoVisionTransformer(
        block_fn=partial(NestedTensorBlock, attn_class=MemEffAttention), **TINY_BACKBONE)
    model.head = DPTHeadTemporal(TINY_BACKBONE["embed_dim"], TINY_HEAD["features"], False,
                                 out_channels=TINY_HEAD["out_channels"], num_frames=32, pe="ape")
    return model.eval()


def manifest_of(model, encoder):
    sd = model.state_dict()
    tensors = [{"key": k, "shape": list(v.shape), "dtype": str(v.dtype).replace("torch.", "")}
               for k, v in sd.items()]
    return {
        "num_tensors": len(tensors),
        "num_state_dict_elements": sum(v.numel() for v in sd.values()),
        "num_parameters": sum(p.numel() for p in model.parameters()),
        "tensors": tensors,
        "checkpoint_file": f"checkpoints/video_depth_anything_{encoder}.pth",
        "hf_repo": HF_REPOS[encoder],
        "construction": f"video_depth_anything.video_depth.VideoDepthAnything(**{FULL_CONFIGS[encoder]})"
                        " (num_frames=32, pe='ape'), random init; run.py loads it with"
                        " load_state_dict(strict=True)",
        "config": FULL_CONFIGS[encoder],
    }


def main(checkout, data_dir):
    sys.path.insert(0, checkout)
    install_einops_stand_in()
    patch_baddbmm()
    torch.set_num_threads(2)
    with contextlib.redirect_stdout(sys.stderr):  # the official modules print on import
        from video_depth_anything import video_depth, video_depth_stream

    out_dir = os.path.join(data_dir, "vda_tiny")
    os.makedirs(out_dir, exist_ok=True)

    # Tiny model, random weights.
    torch.manual_seed(SEED)
    generator = torch.Generator().manual_seed(SEED)
    model = build_tiny(video_depth)
    randomise(model, generator)
    state = model.state_dict()
    torch.save(state, os.path.join(out_dir, "vda_tiny_random.pth"))

    tensors = {}
    # 1. Offline forward on a clip (official VideoDepthAnything.forward).
    clip = torch.randn(1, CLIP_T, 3, CLIP_H, CLIP_W, generator=generator)
    captured = {}
    hooks = [m.register_forward_hook(lambda mod, inp, out, i=i: captured.__setitem__(i, out[0]))
             for i, m in enumerate(model.head.motion_modules)]
    with torch.no_grad():
        depth = model(clip)
    for h in hooks:
        h.remove()
    tensors["clip_normalized"] = clip
    tensors["clip_depth"] = depth
    for i in range(4):  # [B, C, T, h, w] as the modules return them
        tensors[f"clip_motion_module{i}_out"] = captured[i]
    # Each frame alone (T=1): the temporal modules still run (attention over one frame).
    with torch.no_grad():
        tensors["clip_depth_per_frame"] = torch.cat(
            [model(clip[:, t:t + 1]) for t in range(CLIP_T)], dim=1)

    # 2. Streaming (official video_depth_stream.VideoDepthAnything.infer_video_depth_one).
    stream = video_depth_stream.VideoDepthAnything(encoder="vits", **TINY_HEAD)
    stream.pretrained = model.pretrained
    stream.head = model.head
    stream.load_state_dict(state, strict=True)
    stream.eval()
    base = torch.rand(1, 3, STREAM_H // 3, STREAM_W // 3, generator=generator)
    frames_rgb = []
    for t in range(STREAM_FRAMES):
        # A drifting smooth pattern plus noise: consecutive frames are related, not identical.
        shifted = torch.roll(base, shifts=(t // 4, t // 3), dims=(2, 3))
        frame = torch.nn.functional.interpolate(shifted, size=(STREAM_H, STREAM_W),
                                                mode="bilinear", align_corners=False)
        frame = frame + 0.15 * torch.rand(frame.shape, generator=generator)
        frames_rgb.append((frame[0].permute(1, 2, 0).clamp(0, 1) * 255).round().to(torch.uint8))
    stream_depth = []
    frame_ids = []
    for frame in frames_rgb:
        stream_depth.append(torch.from_numpy(np.array(stream.infer_video_depth_one(
            frame.numpy(), input_size=STREAM_INPUT_SIZE, device="cpu", fp32=True))))
        window = stream.frame_id_list[0:2] + stream.frame_id_list[-29:]
        frame_ids.append(window)
    # BGR like the project's images (run_streaming.py converts BGR->RGB before the call).
    tensors["stream_frames_bgr_uint8"] = torch.stack([f.flip(-1) for f in frames_rgb])
    tensors["stream_depth"] = torch.stack(stream_depth).float()
    write_safetensors(os.path.join(out_dir, "vda_tiny_fwd.safetensors"), tensors)

    params = {
        "official_commit": "4f5ae23172ba60fd7bc11ef671cca678842c7072",
        "seed": SEED,
        "tiny_backbone_DinoVisionTransformer_kwargs": TINY_BACKBONE,
        "dpt_head_temporal": dict(in_channels=TINY_BACKBONE["embed_dim"], use_bn=False,
                                  use_clstoken=False, num_frames=32, pe="ape", **TINY_HEAD),
        "intermediate_layer_idx": [2, 5, 8, 11],
        "clip_shape": [1, CLIP_T, 3, CLIP_H, CLIP_W],
        "stream": {"frames": STREAM_FRAMES, "frame_hw": [STREAM_H, STREAM_W],
                   "input_size": STREAM_INPUT_SIZE,
                   "cache_frame_ids_after_each_frame": frame_ids},
        "shapes": {k: list(v.shape) for k, v in tensors.items()},
        "note": "VideoDepthAnything(encoder='vits', features=32, out_channels=[8,16,32,32]) with"
                " .pretrained replaced by a 24-dim/2-head/12-block DinoVisionTransformer and .head by"
                " DPTHeadTemporal(24, 32, out_channels=[8,16,32,32]); default init plus noise;"
                " torch.baddbmm(beta=0) replaced by alpha*bmm (torch 1.13 NaN bug)",
    }
    with open(os.path.join(out_dir, "vda_params.json"), "w") as f:
        json.dump(params, f, indent=1)

    # 3. Manifests of the real checkpoints (full size, random init).
    manifest_dir = os.path.join(data_dir, "manifests")
    for encoder, config in FULL_CONFIGS.items():
        full = video_depth.VideoDepthAnything(**config)
        manifest = manifest_of(full, encoder)
        with open(os.path.join(manifest_dir, f"video_depth_anything_{encoder}.json"), "w") as f:
            json.dump(manifest, f, indent=1)
        print(f"[video_depth_anything_{encoder}]")
        for t in manifest["tensors"]:
            print(t["key"], ",".join(str(d) for d in t["shape"]) if t["shape"] else "-")
        print(f"{encoder}: {manifest['num_tensors']} tensors, {manifest['num_parameters']} "
              f"parameters", file=sys.stderr)
        del full


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    main(sys.argv[1], sys.argv[2])
