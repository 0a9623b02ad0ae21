#!/usr/bin/python3
"""Writes tiling_reference.safetensors for tests/nn/tiled_diffusion_test.cpp: the tiled
full-resolution generation of the official GenStereo test_arbitrary_size.py, transcribed in
numpy with its PIL resizes, around a deterministic stand-in for the per-patch network.

Usage: /usr/bin/python3 tests/data/tiling/make_tiling_fixtures.py tests/data/tiling
Needs Debian's python3-numpy and python3-pil (Pillow's LANCZOS is the official resize).

What is transcribed (official test_arbitrary_size.py, steps 1 and 3-6): the resize up to
multiples of the patch (Image.LANCZOS); to_tensor (uint8 / 255); F.unfold with kernel = patch
and stride = int(patch * (1 - overlap)) in its row-major order; to_pil_image of each patch
(x * 255 truncated to uint8); the disparity patches taken unchanged from the full disparity;
find_seam_and_stitch (its overlap formula, L1 summed over batch, channels and the other axis,
argmin = first minimum, mosaic before the seam + patch from the seam on), rows first, then
the rows top to bottom; to_pil_image of the mosaic (truncation) and Image.LANCZOS back to the
photo's size.

What is not: the per-patch network. GenStereo.__call__ + the fusion layer are replaced by
stand_in_patch() below, which the C++ test computes identically. Its values are multiples of
1/256, so every L1 sum is exact in float32 and float64 alike and the seams cannot differ by
summation order. The depth estimation (step 2) is replaced by a given disparity at the
resized size. The stitching of the generated view and of the fusion share along the same seams
is ours (the official script stitches only the fused view); it is recorded here too.
"""
import json
import struct
import sys
from pathlib import Path

import numpy as np
from PIL import Image

PATCH = 64  # the tiny fixture weights' working size (official: 768 for v2.1, 512 for v1.5)


def stand_in_patch(patch_u8, disparity):
    """(fused, generated, share) of one patch: HWC float32 in [0, 1), multiples of 1/256."""
    h, w, _ = patch_u8.shape
    y, x, c = np.meshgrid(np.arange(h), np.arange(w), np.arange(3), indexing="ij")
    img = patch_u8.astype(np.int64)
    d = np.floor(disparity.astype(np.float64)).astype(np.int64)[:, :, None]
    fused = ((img + 3 * x + 5 * y + 11 * c + d) % 256).astype(np.float32) / 256
    generated = ((2 * img + 7 * x + 3 * y + c) % 256).astype(np.float32) / 256
    share = ((x[:, :, 0] * y[:, :, 0] + img[:, :, 0]) % 256).astype(np.float32) / 256
    return fused, generated, share


def find_seam_and_stitch(im1, im2, stride, patch_size, orientation):
    """The official function on [1, C, H, W] arrays; also returns the seam index (None: no overlap)."""
    if orientation == "horizontal":
        overlap_width = im1.shape[3] + patch_size - (im1.shape[3] // stride + 1) * stride
        if overlap_width <= 0:
            return np.concatenate([im1, im2], axis=3), None
        overlap1 = im1[:, :, :, -overlap_width:]
        overlap2 = im2[:, :, :, :overlap_width]
        l1_errors = np.abs(overlap1 - overlap2).sum(axis=(0, 1, 2), dtype=np.float32)
        seam = int(np.argmin(l1_errors))
        left_part = im1[:, :, :, : im1.shape[3] - overlap_width + seam]
        right_part = im2[:, :, :, seam:]
        return np.concatenate([left_part, right_part], axis=3), seam
    overlap_height = im1.shape[2] + patch_size - (im1.shape[2] // stride + 1) * stride
    if overlap_height <= 0:
        return np.concatenate([im1, im2], axis=2), None
    overlap1 = im1[:, :, -overlap_height:, :]
    overlap2 = im2[:, :, :overlap_height, :]
    l1_errors = np.abs(overlap1 - overlap2).sum(axis=(0, 1, 3), dtype=np.float32)
    seam = int(np.argmin(l1_errors))
    top_part = im1[:, :, : im1.shape[2] - overlap_height + seam, :]
    bottom_part = im2[:, :, seam:, :]
    return np.concatenate([top_part, bottom_part], axis=2), seam


def join(im1, im2, origin, cut, axis):
    """Our replay of a seam on another layer: im1 before the absolute cut, im2 (placed at
    origin) from there on."""
    a = np.take(im1, range(0, cut), axis=axis)
    b = np.take(im2, range(cut - origin, im2.shape[axis]), axis=axis)
    return np.concatenate([a, b], axis=axis)


def official_tiled(photo_u8, full_disparity, overlap_ratio):
    original_h, original_w, _ = photo_u8.shape
    resized_w = ((original_w + PATCH - 1) // PATCH) * PATCH
    resized_h = ((original_h + PATCH - 1) // PATCH) * PATCH
    img_resized = Image.fromarray(photo_u8).resize((resized_w, resized_h), Image.LANCZOS)
    assert full_disparity.shape == (resized_h, resized_w)
    stride = int(PATCH * (1 - overlap_ratio))
    img01 = np.asarray(img_resized).astype(np.float32) / np.float32(255)  # to_tensor
    ys = list(range(0, resized_h - PATCH + 1, stride))  # F.unfold's positions, row-major
    xs = list(range(0, resized_w - PATCH + 1, stride))
    fused, generated, share = [], [], []
    for y in ys:
        for x in xs:
            patch01 = img01[y : y + PATCH, x : x + PATCH]
            patch_u8 = (patch01 * np.float32(255)).astype(np.uint8)  # to_pil_image: mul(255).byte()
            f, g, s = stand_in_patch(patch_u8, full_disparity[y : y + PATCH, x : x + PATCH].astype(np.float32))
            fused.append(f.transpose(2, 0, 1)[None])
            generated.append(g.transpose(2, 0, 1)[None])
            share.append(s[None, None])
    nh, nw = len(ys), len(xs)
    column_cuts, row_cuts = [], []
    rows, rows_g, rows_s = [], [], []
    for r in range(nh):
        cur, cur_g, cur_s = fused[r * nw], generated[r * nw], share[r * nw]
        for c in range(1, nw):
            width = cur.shape[3]
            overlap = width + PATCH - (width // stride + 1) * stride
            nxt, seam = find_seam_and_stitch(cur, fused[r * nw + c], stride, PATCH, "horizontal")
            origin = width - overlap if seam is not None else width
            cut = origin + (seam or 0)
            column_cuts.append(cut)
            cur_g = join(cur_g, generated[r * nw + c], origin, cut, 3)
            cur_s = join(cur_s, share[r * nw + c], origin, cut, 3)
            cur = nxt
        rows.append(cur)
        rows_g.append(cur_g)
        rows_s.append(cur_s)
    mosaic, mosaic_g, mosaic_s = rows[0], rows_g[0], rows_s[0]
    for r in range(1, nh):
        height = mosaic.shape[2]
        overlap = height + PATCH - (height // stride + 1) * stride
        nxt, seam = find_seam_and_stitch(mosaic, rows[r], stride, PATCH, "vertical")
        origin = height - overlap if seam is not None else height
        cut = origin + (seam or 0)
        row_cuts.append(cut)
        mosaic_g = join(mosaic_g, rows_g[r], origin, cut, 2)
        mosaic_s = join(mosaic_s, rows_s[r], origin, cut, 2)
        mosaic = nxt
    assert mosaic.shape[2:] == (resized_h, resized_w), mosaic.shape
    mosaic_u8 = (mosaic[0].transpose(1, 2, 0) * np.float32(255)).astype(np.uint8)  # to_pil_image
    view = np.asarray(Image.fromarray(mosaic_u8).resize((original_w, original_h), Image.LANCZOS))
    return {
        "resized": np.asarray(img_resized),
        "mosaic": mosaic[0].transpose(1, 2, 0),
        "generated": mosaic_g[0].transpose(1, 2, 0),
        "share": mosaic_s[0, 0],
        "view": view,
        "column_cuts": np.array(column_cuts, dtype=np.float32).reshape(nh, max(nw - 1, 0)),
        "row_cuts": np.array(row_cuts, dtype=np.float32),
        "grid": np.array([len(xs), len(ys)], dtype=np.float32),
    }


def test_photo(rng, width, height):
    y, x = np.mgrid[0:height, 0:width]
    base = np.stack([x * 255 // max(width - 1, 1), y * 255 // max(height - 1, 1), (x + y) % 256], axis=2)
    noise = rng.integers(0, 64, size=(height, width, 3))
    return ((base + noise) % 256).astype(np.uint8)


def test_disparity(rng, width, height):
    y, x = np.mgrid[0:height, 0:width]
    # Multiples of 1/16 (exact in float16), with fractions (the stand-in floors them).
    d = 3.0 + 6.0 * ((x // 17 + y // 13) % 3) + rng.integers(0, 16, size=(height, width)) / 16.0
    return d.astype(np.float16)


def write_safetensors(path, tensors, metadata):
    header, blobs, offset = {"__metadata__": metadata}, [], 0
    for name, array in tensors.items():
        dtype = {np.dtype(np.uint8): "U8", np.dtype(np.float16): "F16"}.get(array.dtype, "F32")
        data = np.ascontiguousarray(array, dtype=array.dtype if dtype != "F32" else np.float32).tobytes()
        header[name] = {"dtype": dtype, "shape": list(array.shape), "data_offsets": [offset, offset + len(data)]}
        blobs.append(data)
        offset += len(data)
    text = json.dumps(header).encode()
    text += b" " * ((8 - len(text) % 8) % 8)
    with open(path, "wb") as out:
        out.write(struct.pack("<Q", len(text)))
        out.write(text)
        for blob in blobs:
            out.write(blob)


def main():
    out_dir = Path(sys.argv[1] if len(sys.argv) > 1 else ".")
    rng = np.random.default_rng(15)
    # (width, height, overlap): sides multiple of the patch (resize = copy), others (LANCZOS up
    # and down), overlaps whose stride divides the patch (where the official overlap formula is
    # the true overlap): 0.5 (default), 0.75, 0 (plain concatenation).
    cases = [(128, 128, 0.5), (100, 70, 0.5), (100, 70, 0.75), (100, 70, 0.0), (200, 70, 0.5)]
    tensors = {}
    for k, (w, h, overlap) in enumerate(cases):
        photo = test_photo(rng, w, h)
        rw, rh = ((w + PATCH - 1) // PATCH) * PATCH, ((h + PATCH - 1) // PATCH) * PATCH
        disparity = test_disparity(rng, rw, rh)
        result = official_tiled(photo, disparity, overlap)
        tensors[f"case{k}.params"] = np.array([w, h, PATCH, overlap], dtype=np.float32)
        tensors[f"case{k}.photo"] = photo
        tensors[f"case{k}.disparity"] = disparity
        for name, value in result.items():
            # The mosaics hold multiples of 1/256 below 1: exact in float16.
            if name == "generated":
                continue  # stitched by the same code as the share; not stored
            if name in ("mosaic", "share"):
                assert np.array_equal(value.astype(np.float16).astype(np.float32), value)
                value = value.astype(np.float16)
            tensors[f"case{k}.{name}"] = value
    write_safetensors(out_dir / "tiling_reference.safetensors", tensors,
                      {"cases": str(len(cases)), "source": "make_tiling_fixtures.py"})


if __name__ == "__main__":
    main()
