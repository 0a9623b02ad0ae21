#!/usr/bin/env python3
"""The figure of docs/video.md: per-frame output disparity (p50, p95) and disparity flicker of
each eval-video variant, from `genstereo-cli eval-video ... --json EVAL.json`.

Usage: plot_video_temporal.py EVAL.json OUT.png [TITLE]
Needs python3-matplotlib.
"""
import json
import sys

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

data = json.load(open(sys.argv[1]))
title = sys.argv[3] if len(sys.argv) > 3 else "eval-video"
shown = [v for v in data["variants"] if v["label"] in ("off (per-frame min/max)", "iw3-ema", "ours")]
colours = {"off (per-frame min/max)": "#999999", "iw3-ema": "#d95f02", "ours": "#1b9e77"}
fig, axes = plt.subplots(2, 1, figsize=(9, 5.2), sharex=True)
for v in shown:
    frames = v["per_frame"]
    c = colours[v["label"]]
    axes[0].plot(frames["p95_percent"], color=c, lw=1.6, label=f'{v["label"]} p95')
    axes[0].plot(frames["p50_percent"], color=c, lw=1.0, ls="--", label=f'{v["label"]} p50')
    axes[1].plot(frames["flicker_percent"], color=c, lw=1.4, label=v["label"])
axes[0].set_ylabel("output disparity\n(% of width)")
axes[0].legend(fontsize=7, ncol=3, loc="upper right")
axes[0].set_title(title, fontsize=10)
axes[1].set_ylabel("disparity flicker\n(% of width)")
axes[1].set_xlabel("frame")
axes[1].legend(fontsize=7, loc="upper right")
for ax in axes:
    ax.grid(alpha=0.3)
fig.tight_layout()
fig.savefig(sys.argv[2], dpi=110)
print(f"wrote {sys.argv[2]}")
