#!/usr/bin/env python3
"""Makes the temporal-quality clip of docs/benchmarks.md (video): camera pans over two real
stereo-dev scenes with a cut between them, snow particles, and per-frame depth that behaves like
a per-frame depth model's: the ground-truth disparity (cropped like the frame) with a scale and
offset that wander from frame to frame, noise, and the particles (near, so they enter the
depth's range).

Usage: make_video_eval_clip.py STEREO_DEV_DIR OUT_DIR [--size 960x540] [--frames 48] [--fps 24] [--static]
Writes OUT_DIR/clip.mp4 and OUT_DIR/depth/NNNNNN.png (16-bit). Needs numpy, python3-opencv and ffmpeg.
"""
import argparse
import os
import subprocess

import cv2
import numpy as np


def read_pfm(path):
    with open(path, "rb") as f:
        channels = 3 if f.readline().strip() == b"PF" else 1
        width, height = map(int, f.readline().split())
        scale = float(f.readline())
        data = np.fromfile(f, "<f4" if scale < 0 else ">f4").reshape(height, width, channels)
    return np.flipud(data[:, :, 0]).copy()


def scene(folder, width, height):
    image = cv2.imread(os.path.join(folder, "left.png"), cv2.IMREAD_COLOR)
    disparity = read_pfm(os.path.join(folder, "disp_left.pfm"))
    disparity[~np.isfinite(disparity)] = 0
    # Holes in the ground truth take the background's (smaller) disparity around them.
    disparity = cv2.morphologyEx(disparity, cv2.MORPH_CLOSE, np.ones((5, 5), np.uint8))
    # Room to pan: 30 % wider and 15 % taller than the frame.
    scale = max(1.15 * height / image.shape[0], 1.3 * width / image.shape[1])
    size = (int(round(image.shape[1] * scale)), height)
    return cv2.resize(image, size, interpolation=cv2.INTER_AREA), cv2.resize(disparity, size) * scale


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("stereo_dev")
    parser.add_argument("out")
    parser.add_argument("--size", default="960x540")
    parser.add_argument("--frames", type=int, default=48)
    parser.add_argument("--fps", type=int, default=24)
    parser.add_argument("--static", action="store_true", help="no camera pan (flicker shows in frame differences)")
    args = parser.parse_args()
    width, height = map(int, args.size.split("x"))
    os.makedirs(os.path.join(args.out, "frames"), exist_ok=True)
    os.makedirs(os.path.join(args.out, "depth"), exist_ok=True)
    rng = np.random.default_rng(7)
    scenes = [scene(os.path.join(args.stereo_dev, name), width, height)
              for name in ("mb2014q_piano", "mb2014q_motorcycle")]
    cut = args.frames // 2
    flakes = rng.uniform(0, 1, size=(60, 3))  # x, y, speed
    gain, offset = 1.0, 0.0
    for t in range(args.frames):
        image, disparity = scenes[0] if t < cut else scenes[1]
        local = t if t < cut else t - cut
        span = max(1, cut - 1)
        progress = 0.5 if args.static else local / span
        x0 = int((image.shape[1] - width) * progress)
        y0 = int((image.shape[0] - height) * (0.2 + 0.6 * progress))
        frame = image[y0:y0 + height, x0:x0 + width].copy()
        depth = disparity[y0:y0 + height, x0:x0 + width].copy()
        top = float(np.percentile(depth, 99))
        for fx, fy, speed in flakes:  # snow: falls, near the camera
            cx = int(fx * width)
            cy = int((fy + t * 0.01 * (1 + speed)) % 1.0 * height)
            radius = 2 + int(3 * speed)
            cv2.circle(frame, (cx, cy), radius, (245, 245, 245), -1)
            cv2.circle(depth, (cx, cy), radius, top * (1.3 + speed), -1)
        # A per-frame model: scale and offset wander, and there is noise.
        gain = float(np.clip(gain * np.exp(rng.normal(0, 0.06)), 0.7, 1.4))
        offset = float(np.clip(offset + rng.normal(0, 0.03 * top), -0.2 * top, 0.2 * top))
        model = gain * depth + offset + rng.normal(0, 0.01 * top, depth.shape)
        model = np.clip(model - model.min() + 1.0, 0, None)
        cv2.imwrite(os.path.join(args.out, "frames", f"{t:06d}.png"), frame)
        cv2.imwrite(os.path.join(args.out, "depth", f"{t:06d}.png"),
                    np.clip(model * 100.0, 0, 65535).astype(np.uint16))
    subprocess.run(["ffmpeg", "-v", "error", "-y", "-framerate", str(args.fps), "-i",
                    os.path.join(args.out, "frames", "%06d.png"), "-c:v", "libx264", "-crf", "16",
                    "-pix_fmt", "yuv420p", os.path.join(args.out, "clip.mp4")], check=True)


if __name__ == "__main__":
    main()
