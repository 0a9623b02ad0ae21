// Depth Anything V2 forward at 518x518 for the three official sizes (random weights: the time
// does not depend on the values), float32 and bfloat16 (converted once, as DepthEstimator does
// with DepthModelOptions::bfloat16; its relative L2 error against float32 as a counter), CPU,
// under LibTorch's inference mode. --benchmark_filter='Forward518/1/' for ViT-S only.
// Not built by default (add it to tests/CMakeLists.txt, see docs/benchmarks.md). Threads:
// GENSTEREO_BENCH_THREADS (default 2).
#include <cstdlib>
#include <memory>

#include <benchmark/benchmark.h>
#include <torch/torch.h>

#include "nn/compute_precision.h"
#include "nn/depth_anything_v2.h"

namespace genstereo {
namespace {

void BM_DepthAnythingV2Forward518(benchmark::State& state) {
  const char* threads = std::getenv("GENSTEREO_BENCH_THREADS");
  torch::set_num_threads(threads ? std::atoi(threads) : 2);
  const auto size = static_cast<DepthModelSize>(state.range(0));
  const bool bfloat16 = state.range(1) != 0;
  torch::manual_seed(1);  // the same random weights for both dtypes
  DepthAnythingV2 model(DepthAnythingV2Config::preset(size));
  model->eval();
  c10::InferenceMode inference;
  torch::manual_seed(2);
  const at::Tensor image = torch::randn({1, 3, 518, 518});
  at::Tensor reference;
  if (bfloat16) {
    reference = model->forward(image);
    toComputeDtype(*model, c10::Device(c10::kCPU), at::kBFloat16);  // once, as DepthEstimator
  }
  const at::Tensor input = image.to(bfloat16 ? at::kBFloat16 : at::kFloat);
  const at::Tensor first = model->forward(input);  // warm-up (oneDNN primitive creation)
  for (auto _ : state) benchmark::DoNotOptimize(model->forward(input));
  if (bfloat16) {
    state.counters["rel_l2_vs_fp32"] =
        ((first - reference).norm() / reference.norm()).item<double>();
  }
  state.SetLabel(std::string(displayName(size)) + (bfloat16 ? " bfloat16, " : " float32, ") +
                 std::to_string(torch::get_num_threads()) + " thread(s)");
}

// float32 and bfloat16 of each size next to each other.
BENCHMARK(BM_DepthAnythingV2Forward518)
    ->Args({static_cast<int>(DepthModelSize::kSmall), 0})
    ->Args({static_cast<int>(DepthModelSize::kSmall), 1})
    ->Args({static_cast<int>(DepthModelSize::kBase), 0})
    ->Args({static_cast<int>(DepthModelSize::kBase), 1})
    ->Args({static_cast<int>(DepthModelSize::kLarge), 0})
    ->Args({static_cast<int>(DepthModelSize::kLarge), 1})
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime()
    ->MinTime(5.0);

}  // namespace
}  // namespace genstereo

BENCHMARK_MAIN();
