#!/usr/bin/env python3
"""Makes the video benchmark's input from a real stereo-dev scene (docs/benchmarks.md, video):
a 1080p H.264 camera pan over the scene's left photo, and the same pan over its ground-truth
disparity as a 16-bit grey FFV1 video (a per-frame depth input for `genstereo-cli video --depth`).

Usage: make_video_bench_clip.py SCENE_DIR OUT_DIR [SECONDS] [FPS]
Needs numpy and the ffmpeg command; writes OUT_DIR/pan.mp4 and OUT_DIR/pan_depth.mkv.
"""
import os
import subprocess
import sys

import numpy as np


def read_pfm(path):
    with open(path, "rb") as f:
        header = f.readline().strip()
        channels = 3 if header == b"PF" else 1
        width, height = map(int, f.readline().split())
        scale = float(f.readline())
        data = np.fromfile(f, "<f4" if scale < 0 else ">f4").reshape(height, width, channels)
    return np.flipud(data[:, :, 0])


def png_size(path):
    with open(path, "rb") as f:
        head = f.read(24)
    return int.from_bytes(head[16:20], "big"), int.from_bytes(head[20:24], "big")


def main():
    scene, out = sys.argv[1], sys.argv[2]
    seconds = float(sys.argv[3]) if len(sys.argv) > 3 else 4.0
    fps = int(sys.argv[4]) if len(sys.argv) > 4 else 24
    os.makedirs(out, exist_ok=True)
    disparity = read_pfm(os.path.join(scene, "disp_left.pfm"))
    valid = np.isfinite(disparity)
    filled = np.where(valid, disparity, 0.0)
    # Disparity is inverse depth up to scale: 16-bit, the largest disparity at 65535.
    gray16 = np.clip(filled / filled.max() * 65535.0, 0, 65535).astype("<u2")
    height, width = gray16.shape
    raw = os.path.join(out, "disparity.gray16")
    gray16.tofile(raw)
    # Scale to a height of 1500 px (wider than 1920 for a 3:2 scene), then pan a 1920x1080 window across it.
    scale = f"scale=-2:1500:flags=bicubic,crop=1920:1080:x='(iw-1920)*t/{seconds}':y='(ih-1080)/2'"
    assert png_size(os.path.join(scene, "left.png")) == (width, height)
    common = ["ffmpeg", "-v", "error", "-y"]
    subprocess.run(common + ["-loop", "1", "-framerate", str(fps), "-t", str(seconds),
                             "-i", os.path.join(scene, "left.png"), "-vf", scale,
                             "-c:v", "libx264", "-preset", "medium", "-crf", "18", "-pix_fmt", "yuv420p",
                             os.path.join(out, "pan.mp4")], check=True)
    subprocess.run(common + ["-stream_loop", "-1", "-f", "rawvideo", "-pix_fmt", "gray16le",
                             "-s", f"{width}x{height}", "-framerate", str(fps), "-t", str(seconds),
                             "-i", raw, "-vf", scale.replace("bicubic", "bilinear"),
                             "-c:v", "ffv1", "-pix_fmt", "gray16le", os.path.join(out, "pan_depth.mkv")],
                   check=True)
    os.remove(raw)


if __name__ == "__main__":
    main()
