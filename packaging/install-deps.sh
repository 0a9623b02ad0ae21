#!/usr/bin/env bash
# Installs every Debian 12 package GenStereo needs to build, test and run.
# Idempotent and non-interactive; run as root (or through sudo).
# GENSTEREO_OFFICIAL_BENCH=1 adds the Python packages that tests/bench/official_unet_timing.py
# (the official code timed beside ours, docs/benchmarks.md) needs.
set -euo pipefail

packages=(
  build-essential cmake ninja-build ccache pkg-config git
  libtorch-dev libopenblas0-openmp
  qt6-base-dev qt6-3d-dev libqt6opengl6-dev libxkbcommon-dev libqt6svg6 qt6-svg-dev
  qt6-tools-dev qt6-tools-dev-tools qt6-l10n-tools qt6-translations-l10n
  libopencv-dev
  libavformat-dev libavcodec-dev libavutil-dev libswscale-dev libswresample-dev libavfilter-dev
  ffmpeg
  libgtest-dev libgmock-dev libbenchmark-dev
  nlohmann-json3-dev
  libcurl4-openssl-dev libssl-dev libcli11-dev zlib1g-dev libgif-dev libjpeg-dev
  xvfb xauth fonts-dejavu-core
  help2man librsvg2-bin dpkg-dev appstream desktop-file-utils python3-yaml
  munge slurmctld slurmd slurm-client debootstrap
  clang-14 libclang-rt-14-dev clang-format-14
)
if [ "${GENSTEREO_OFFICIAL_BENCH:-0}" = 1 ]; then
  packages+=(python3-torch python3-torchvision python3-omegaconf python3-filelock python3-requests
             python3-tqdm python3-packaging)
fi

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

if [ ${#missing[@]} -eq 0 ]; then
  echo "install-deps: all ${#packages[@]} packages already installed"
  exit 0
fi

sudo_cmd=()
if [ "$(id -u)" -ne 0 ]; then
  sudo_cmd=(sudo)
fi

echo "install-deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
"${sudo_cmd[@]}" apt-get update -q
"${sudo_cmd[@]}" apt-get install -y -q --no-install-recommends "${missing[@]}"
