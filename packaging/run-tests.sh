#!/usr/bin/env bash
# Installs the dependencies, builds GenStereo with its tests (Release) and runs the whole
# suite with ctest. Data in ../shared/data/stereo-dev is used when present (tests that need
# it skip otherwise).
set -euo pipefail
cd "$(dirname "$0")/.."

./packaging/install-deps.sh
cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=Release
cmake --build build -j2
ctest --test-dir build --output-on-failure -j2
