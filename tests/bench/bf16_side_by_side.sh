#!/bin/sh
# bfloat16 against float32 and against the official code under bfloat16 autocast, in one run on
# this machine (docs/benchmarks.md "bfloat16"). Usage:
#   tests/bench/bf16_side_by_side.sh BUILD_DIR OFFICIAL_GENSTEREO DIFFUSERS_SRC [steps]
# BUILD_DIR holds tests/genstereo_diffusion_bench and tests/genstereo_depth_bench;
# OFFICIAL_GENSTEREO and DIFFUSERS_SRC as tests/bench/official_unet_timing.py takes them.
# Runs, one after the other (each in its own process, so each peak RSS is its own):
#   1. ours: v2.1 768 reference U-Net and denoising step, float32 and bfloat16 alternately,
#      errors, and the operator profile of one step in each dtype
#   2. the official denoising step under torch.autocast("cpu", bfloat16) (and in float32 with
#      OFFICIAL_FP32=1: 17 GiB peak RSS)
#   3. Depth Anything V2 ViT-S at 518, float32 and bfloat16
#   4. ours: the whole v2.1 768 pipeline in bfloat16, DPM-Solver++ 2M, `steps` steps (default 20)
set -eu
build=$1 official=$2 diffusers=$3 steps=${4:-20}
here=$(dirname "$0")
echo "# $(date -u '+%Y-%m-%d %H:%M UTC'); $(grep -m1 'model name' /proc/cpuinfo)"
echo "# flags: $(grep -m1 '^flags' /proc/cpuinfo | tr ' ' '\n' | grep -E '^(avx2|avx512f|avx512_bf16|amx_bf16|amx_tile)$' | tr '\n' ' ')"
echo "# load: $(cat /proc/loadavg)"
GENSTEREO_BENCH_PROFILE=1 "$build/tests/genstereo_diffusion_bench" dtype sd21 2
/usr/bin/python3 "$here/official_unet_timing.py" "$official" "$diffusers" --size 768 --threads 2 \
    --stages denoising --warmup 1 --runs 1 --autocast-bf16
if [ "${OFFICIAL_FP32:-0}" = 1 ]; then  # 17 GiB peak
  /usr/bin/python3 "$here/official_unet_timing.py" "$official" "$diffusers" --size 768 --threads 2 \
      --stages denoising --warmup 0 --runs 1
fi
"$build/tests/genstereo_depth_bench" --benchmark_filter='Forward518/1/' --benchmark_min_time=3
GENSTEREO_BENCH_DTYPE=bfloat16 "$build/tests/genstereo_diffusion_bench" pipeline sd21 "$steps" dpm++2m
echo "# load: $(cat /proc/loadavg)"
