#!/usr/bin/env bash
# The video goals of docs/benchmarks.md on this machine: 1080p H.264 in (a pan over a real
# stereo-dev scene), full SBS 3840x1080 x264 CRF 20 veryfast out.
#
#   tests/bench/video_bench.sh GENSTEREO_CLI STEREO_DEV_DIR MODELS_DIR [WORK]
#
# MODELS_DIR holds depth_anything_v2_vits.pth and video_depth_anything_vits.pth (real ones, or
# random full-size ones from make_random_depth_checkpoint.py / make_random_vda_checkpoint.py:
# the compute is the same). Prints, per case, the CLI's report line and the peak RSS.
set -euo pipefail
CLI=$(realpath "$1")
DEV=$2
MODELS=$3
WORK=${4:-$(mktemp -d)}
HERE=$(cd "$(dirname "$0")" && pwd)
mkdir -p "$WORK"
[ -f "$WORK/clip/pan.mp4" ] || /usr/bin/python3 "$HERE/make_video_bench_clip.py" "$DEV/mb2014q_piano" "$WORK/clip" 4 24
echo "machine: $(lscpu | sed -n 's/^Model name: *//p'), $(nproc) cores; flags: $(grep -o -w 'avx2\|avx512f\|avx512_bf16\|amx_bf16' /proc/cpuinfo | sort -u | tr '\n' ' ')"
run() {  # run NAME ARGS...: one conversion, its summary lines and peak RSS
  local name=$1
  shift
  rm -rf "$WORK/out-$name"
  /usr/bin/time -f "peak RSS %M kB, wall %e s" "$CLI" video "$WORK/clip/pan.mp4" -o "$WORK/out-$name" -q "$@" \
    2>"$WORK/$name.err" | grep -E "frames|time:" | sed "s/^/[$name] /"
  tail -n 1 "$WORK/$name.err" | sed "s/^/[$name] /"
}
# G1: re-render from cached depth (the first run fills the cache from a 16-bit depth video).
run cache --depth "$WORK/clip/pan_depth.mkv" --work-dir "$WORK/work-cache" --keep-work-dir
run rerender --depth "$WORK/clip/pan_depth.mkv" --work-dir "$WORK/work-cache" --keep-work-dir --baseline-scale 1.2
run rerender-no-temporal --depth "$WORK/clip/pan_depth.mkv" --work-dir "$WORK/work-cache" --keep-work-dir \
  --flow-window 0 --fill-window 0
# G2: Depth Anything V2 Small per frame at a depth short side of 308.
run dav2-308 --models "$MODELS" --depth-model vits --depth-size 308
# G2b: depth on every 2nd frame, the frames between along the flow.
run dav2-308-every2 --models "$MODELS" --depth-model vits --depth-size 308 --depth-every 2
# G2c: Video Depth Anything Small (streaming) at 308.
run vda-308 --models "$MODELS" --vda --depth-model vits --depth-size 308
