#!/usr/bin/env bash
# Installs the dependencies, builds GenStereo (Release) and runs the weight-free engine on the
# bundled sample (Middlebury "Cones"). The stereo outputs go to out/sample/.
set -euo pipefail
cd "$(dirname "$0")/.."

./packaging/install-deps.sh
cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=Release
cmake --build build -j2 --target genstereo-cli

mkdir -p out
./build/app/genstereo-cli generate resources/sample/left.png \
  --disparity resources/sample/disp_left.png --disparity-divisor 4 \
  --format sbs,sbs-half,anaglyph,cross,mpo,jps \
  -o out/sample
echo "Stereo outputs written to $(pwd)/out/sample"
