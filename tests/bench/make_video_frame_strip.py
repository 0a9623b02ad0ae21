#!/usr/bin/env python3
"""The frame strip of docs/video.md: for each converted video (side-by-side, same clip, other
temporal settings), a detail of the right view of a few consecutive frames and, under each, how much it
changed since the frame before (|R_t - R_t-1|, amplified): on a static camera every change is
flicker.

Usage: make_video_frame_strip.py OUT.png FIRST_FRAME COUNT LABEL=VIDEO.mkv [LABEL=VIDEO.mkv ...]
Needs python3-opencv and numpy.
"""
import sys

import cv2
import numpy as np


def right_views(path, first, count):
    capture = cv2.VideoCapture(path)
    frames = []
    index = 0
    while len(frames) < count + 1:
        ok, frame = capture.read()
        if not ok:
            break
        if index >= first - 1:
            right = frame[:, frame.shape[1] // 2:]
            h, w = right.shape[:2]
            frames.append(right[int(0.2 * h):int(0.8 * h), int(0.05 * w):int(0.55 * w)])  # a detail
        index += 1
    return frames


def main():
    out, first, count = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    rows = []
    width = 220
    for spec in sys.argv[4:]:
        label, path = spec.split("=", 1)
        views = right_views(path, first, count)
        tiles, diffs = [], []
        for t in range(1, len(views)):
            view = views[t]
            scale = width / view.shape[1]
            size = (width, int(view.shape[0] * scale))
            tiles.append(cv2.resize(view, size, interpolation=cv2.INTER_AREA))
            diff = cv2.absdiff(view, views[t - 1]).max(axis=2)
            diff = np.clip(diff.astype(np.float32) * 8.0, 0, 255).astype(np.uint8)
            diffs.append(cv2.applyColorMap(cv2.resize(diff, size, interpolation=cv2.INTER_AREA),
                                           cv2.COLORMAP_INFERNO))
        banner = np.full((28, width * len(tiles), 3), 255, np.uint8)
        mean = float(np.mean([d.mean() for d in diffs]))
        cv2.putText(banner, f"{label}: right view, detail (top); |change since the previous frame| x8 (bottom)",
                    (6, 19), cv2.FONT_HERSHEY_SIMPLEX, 0.5, (0, 0, 0), 1, cv2.LINE_AA)
        rows += [banner, np.hstack(tiles), np.hstack(diffs)]
    cv2.imwrite(out, np.vstack(rows))
    print(f"wrote {out}")


if __name__ == "__main__":
    main()
