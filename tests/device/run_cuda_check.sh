#!/usr/bin/env bash
# Builds tests/device/cuda_check.cpp against the LibTorch of the machine's PyTorch (2.x, CUDA)
# and runs it. For a machine with an NVIDIA GPU; the CPU build and CI do not use it.
set -euo pipefail
cd "$(dirname "$0")/../.."
torch_dir=$(python3 -c 'import os, torch; print(os.path.dirname(torch.__file__))')
out=${OUT:-/tmp}
sources="core/nn/attention.cpp core/nn/resnet_block.cpp core/nn/transformer_2d.cpp core/nn/unet_2d_condition.cpp core/nn/autoencoder_kl.cpp core/nn/ddim_scheduler.cpp"
abi=$(python3 -c 'import torch; print(int(torch._C._GLIBCXX_USE_CXX11_ABI))')
g++ -std=c++17 -O2 -D_GLIBCXX_USE_CXX11_ABI="$abi" -Icore \
  -I"$torch_dir/include" -I"$torch_dir/include/torch/csrc/api/include" \
  tests/device/cuda_check.cpp $sources -o "$out/cuda_check" \
  -L"$torch_dir/lib" -Wl,-rpath,"$torch_dir/lib" -Wl,--no-as-needed -ltorch -ltorch_cpu -ltorch_cuda -lc10 -lc10_cuda \
  2>"$out/build.log" || { tail -40 "$out/build.log"; exit 1; }
"$out/cuda_check" | tee "$out/cuda_check.txt"
