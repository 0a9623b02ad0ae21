// Benchmarks of the weight-free engine: warp, fill, seam blend and composition.
// Run: ./build/tests/genstereo_bench  (results are recorded in docs/benchmarks.md)
#include <benchmark/benchmark.h>

#include <opencv2/core.hpp>
#include <opencv2/imgproc.hpp>

#include "stereo/forward_warp.h"
#include "stereo/occlusion_fill.h"
#include "stereo/seam_blend.h"
#include "stereo/stereo_composition.h"
#include "stereo/stereo_synthesis.h"

namespace {

using namespace genstereo;

// A textured image and a disparity map with a foreground disc (large occlusions) over a
// slanted background, 0.15 * width at most (the official default baseline).
struct Scene {
  cv::Mat image;
  cv::Mat disparity;
};

Scene makeScene(int width, int height) {
  Scene scene;
  scene.image = cv::Mat(height, width, CV_32FC3);
  cv::RNG rng(7);
  rng.fill(scene.image, cv::RNG::UNIFORM, 0.0, 1.0);
  cv::GaussianBlur(scene.image, scene.image, cv::Size(0, 0), 1.5);
  scene.disparity = cv::Mat(height, width, CV_32FC1);
  const float max_d = 0.15f * static_cast<float>(width);
  for (int y = 0; y < height; ++y) {
    float* d = scene.disparity.ptr<float>(y);
    for (int x = 0; x < width; ++x) d[x] = 0.2f * max_d * static_cast<float>(y) / height;
  }
  cv::circle(scene.disparity, {width / 2, height / 2}, std::min(width, height) / 4,
             cv::Scalar(max_d), cv::FILLED);
  return scene;
}

void sizeArgs(benchmark::internal::Benchmark* b) {
  b->Args({768, 768})->Args({1024, 1024})->Args({3840, 2160})->Unit(benchmark::kMillisecond);
}

void BM_ForwardWarp(benchmark::State& state) {
  const Scene scene = makeScene(static_cast<int>(state.range(0)), static_cast<int>(state.range(1)));
  for (auto _ : state) {
    WarpCorrespondence c = computeForwardWarp(scene.disparity, WarpDirection::kLeftToRight);
    cv::Mat warped = applyWarp(c, scene.image, 0.0);
    benchmark::DoNotOptimize(warped.data);
  }
}
BENCHMARK(BM_ForwardWarp)->Apply(sizeArgs);

void BM_BackgroundFill(benchmark::State& state) {
  const Scene scene = makeScene(static_cast<int>(state.range(0)), static_cast<int>(state.range(1)));
  const WarpCorrespondence c = computeForwardWarp(scene.disparity, WarpDirection::kLeftToRight);
  const cv::Mat warped = applyWarp(c, scene.image, 0.0);
  for (auto _ : state) {
    FillResult fill = fillOcclusions(warped, c, FillMethod::kBackground);
    SeamBlendResult blended = blendSeams(warped, c.valid, fill, 2.0);
    benchmark::DoNotOptimize(blended.image.data);
  }
}
BENCHMARK(BM_BackgroundFill)->Apply(sizeArgs);

void BM_SynthesizeRightView(benchmark::State& state) {
  const Scene scene = makeScene(static_cast<int>(state.range(0)), static_cast<int>(state.range(1)));
  const DisparityMap map = makeDisparityMap(scene.disparity);
  for (auto _ : state) {
    StereoResult r = synthesizeStereo(scene.image, map, SynthesisParams{});
    benchmark::DoNotOptimize(r.right.data);
  }
}
BENCHMARK(BM_SynthesizeRightView)->Apply(sizeArgs);

void BM_ComposeSideBySide(benchmark::State& state) {
  const Scene scene = makeScene(static_cast<int>(state.range(0)), static_cast<int>(state.range(1)));
  for (auto _ : state) {
    cv::Mat sbs = composeStereo(scene.image, scene.image, StereoLayout::kSideBySideFull);
    benchmark::DoNotOptimize(sbs.data);
  }
}
BENCHMARK(BM_ComposeSideBySide)->Apply(sizeArgs);

void BM_ComposeAnaglyphDubois(benchmark::State& state) {
  const Scene scene = makeScene(static_cast<int>(state.range(0)), static_cast<int>(state.range(1)));
  for (auto _ : state) {
    cv::Mat anaglyph = composeStereo(scene.image, scene.image, StereoLayout::kAnaglyphDubois);
    benchmark::DoNotOptimize(anaglyph.data);
  }
}
BENCHMARK(BM_ComposeAnaglyphDubois)->Apply(sizeArgs);

// The target: warp + fill + compose of a 1-megapixel image (1024x1024) under 50 ms.
// Integer warp = the official GenStereo warp with our fill; sub-pixel = the default engine.
void BM_WarpFillCompose(benchmark::State& state) {
  const Scene scene = makeScene(static_cast<int>(state.range(0)), static_cast<int>(state.range(1)));
  const DisparityMap map = makeDisparityMap(scene.disparity);
  SynthesisParams params;
  params.warp = state.range(2) == 0 ? WarpMode::kInteger : WarpMode::kSubpixel;
  for (auto _ : state) {
    StereoResult r = synthesizeStereo(scene.image, map, params);
    cv::Mat sbs = composeStereo(r.left, r.right, StereoLayout::kSideBySideFull);
    benchmark::DoNotOptimize(sbs.data);
  }
}
BENCHMARK(BM_WarpFillCompose)
    ->ArgNames({"w", "h", "subpixel"})
    ->Args({768, 768, 1})->Args({1024, 1024, 0})->Args({1024, 1024, 1})->Args({3840, 2160, 1})
    ->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
