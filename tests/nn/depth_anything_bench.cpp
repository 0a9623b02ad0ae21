// Depth Anything V2 forward at 518x518 for the three official sizes (random weights: the time
// does not depend on the values), float32 CPU, under LibTorch's inference mode.
// Not built by default (add it to tests/CMakeLists.txt, see docs/benchmarks.md). Threads:
// GENSTEREO_BENCH_THREADS (default 2).
#include <cstdlib>
#include <memory>

#include <benchmark/benchmark.h>
#include <torch/torch.h>

#include "nn/depth_anything_v2.h"

namespace genstereo {
namespace {

void BM_DepthAnythingV2Forward518(benchmark::State& state) {
  const char* threads = std::getenv("GENSTEREO_BENCH_THREADS");
  torch::set_num_threads(threads ? std::atoi(threads) : 2);
  const auto size = static_cast<DepthModelSize>(state.range(0));
  DepthAnythingV2 model(DepthAnythingV2Config::preset(size));
  model->eval();
  c10::InferenceMode inference;
  const at::Tensor image = torch::randn({1, 3, 518, 518});
  model->forward(image);  // warm-up (oneDNN primitive creation)
  for (auto _ : state) benchmark::DoNotOptimize(model->forward(image));
  state.SetLabel(std::string(displayName(size)) + ", " + std::to_string(torch::get_num_threads()) +
                 " thread(s)");
}

BENCHMARK(BM_DepthAnythingV2Forward518)
    ->Arg(static_cast<int>(DepthModelSize::kSmall))
    ->Arg(static_cast<int>(DepthModelSize::kBase))
    ->Arg(static_cast<int>(DepthModelSize::kLarge))
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime()
    ->MinTime(5.0);

}  // namespace
}  // namespace genstereo

BENCHMARK_MAIN();
