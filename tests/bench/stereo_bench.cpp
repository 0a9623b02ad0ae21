// Benchmarks of the weight-free engine: warp, fill, seam blend and composition.
// Run: ./build/tests/genstereo_bench  (results are recorded in docs/benchmarks.md)
#include <benchmark/benchmark.h>

#include <cmath>
#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <string>

#include <opencv2/core.hpp>
#include <opencv2/imgproc.hpp>

#include "io/disparity_io.h"
#include "io/image_io.h"

#include "process_memory.h"
#include "stereo/coordinate_embedding.h"
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

// The disparity of ../shared/docs/OFFICIAL-CPU-TIMINGS.md, so that our times compare with the
// official code's on the same machine type: 8 + 12x/W + 12y/H + 0.7 sin(x/37) px plus a
// foreground box (30-70 % of the height, 35-65 % of the width) at 60 px.
Scene makeOfficialTimingScene(int width, int height) {
  Scene scene = makeScene(width, height);
  for (int y = 0; y < height; ++y) {
    float* d = scene.disparity.ptr<float>(y);
    for (int x = 0; x < width; ++x) {
      d[x] = 8.0f + 12.0f * x / width + 12.0f * y / height + 0.7f * std::sin(x / 37.0f);
      if (y >= 0.3 * height && y < 0.7 * height && x >= 0.35 * width && x < 0.65 * width)
        d[x] = 60.0f;
    }
  }
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

// The official forward warp alone (convert_left_to_right_torch: image + 10-channel embedding).
void BM_OfficialWarp(benchmark::State& state) {
  const Scene scene =
      makeOfficialTimingScene(static_cast<int>(state.range(0)), static_cast<int>(state.range(1)));
  const cv::Mat embedding = computeCoordinateEmbedding(scene.image.cols, scene.image.rows);
  for (auto _ : state) {
    WarpCorrespondence c = computeForwardWarp(scene.disparity, WarpDirection::kLeftToRight);
    cv::Mat image = applyWarp(c, scene.image, -1.0);
    cv::Mat warped_embedding = applyWarp(c, embedding, 0.0);
    benchmark::DoNotOptimize(image.data);
    benchmark::DoNotOptimize(warped_embedding.data);
  }
}
BENCHMARK(BM_OfficialWarp)->Args({768, 768})->Args({3840, 2160})->Unit(benchmark::kMillisecond);

// prepare_conditions_stereogen: embedding, warp, and the two 14-channel condition maps.
void BM_OfficialWarpAndConditions(benchmark::State& state) {
  const Scene scene =
      makeOfficialTimingScene(static_cast<int>(state.range(0)), static_cast<int>(state.range(1)));
  for (auto _ : state) {
    const cv::Mat embedding = computeCoordinateEmbedding(scene.image.cols, scene.image.rows);
    WarpCorrespondence c = computeForwardWarp(scene.disparity, WarpDirection::kLeftToRight);
    cv::Mat image = applyWarp(c, scene.image, -1.0);
    cv::Mat warped_embedding = applyWarp(c, embedding, 0.0);
    cv::Mat source_condition = makeConditionMap(embedding, cv::Mat(), scene.image);
    cv::Mat target_condition = makeConditionMap(warped_embedding, c.holeMask(), image);
    benchmark::DoNotOptimize(source_condition.data);
    benchmark::DoNotOptimize(target_condition.data);
  }
}
BENCHMARK(BM_OfficialWarpAndConditions)
    ->Args({768, 768})
    ->Args({3840, 2160})
    ->Unit(benchmark::kMillisecond);

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
    ->Args({768, 768, 1})
    ->Args({1024, 1024, 0})
    ->Args({1024, 1024, 1})
    ->Args({3840, 2160, 1})
    ->Unit(benchmark::kMillisecond);

// A real photo with wide holes: Middlebury 2014 Playroom (stereo-dev) upscaled to 4000 px
// wide (4000x2724, 10.9 MP: image bicubic, ground-truth disparity nearest and scaled, up to
// 421 px), the official geometry: 16 % of the right view is disoccluded, in runs up to ~400 px
// wide. Skipped when ../shared/data/stereo-dev (or $GENSTEREO_STEREO_DEV) is absent.
struct RealPhoto {
  cv::Mat image;
  DisparityMap disparity;
  std::string problem;
};

// CPU time of the whole process (every thread), in seconds: on a shared machine the wall
// time depends on the load, the CPU time much less (docs/benchmarks.md).
double processCpuSeconds() {
  timespec t{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
  return static_cast<double>(t.tv_sec) + 1e-9 * static_cast<double>(t.tv_nsec);
}

const RealPhoto& playroom4000() {
  static const RealPhoto photo = [] {
    RealPhoto p;
    const char* env = std::getenv("GENSTEREO_STEREO_DEV");
    const std::filesystem::path root =
        env != nullptr
            ? std::filesystem::path(env)
            : std::filesystem::path(GENSTEREO_SOURCE_DIR) / ".." / "shared" / "data" / "stereo-dev";
    const std::filesystem::path folder = root / "mb2014q_playroom";
    std::error_code ec;
    if (!std::filesystem::is_regular_file(folder / "left.png", ec)) {
      p.problem = "stereo-dev not found at " + folder.string() + " (set GENSTEREO_STEREO_DEV)";
      return p;
    }
    const cv::Mat left = readImage(folder / "left.png");
    const DisparityMap truth = readDisparity(folder / "disp_left.pfm");
    const double scale = 4000.0 / left.cols;
    const cv::Size size(4000, static_cast<int>(std::lround(left.rows * scale)));
    cv::resize(left, p.image, size, 0, 0, cv::INTER_CUBIC);
    cv::resize(truth.values, p.disparity.values, size, 0, 0, cv::INTER_NEAREST);
    cv::resize(truth.valid, p.disparity.valid, size, 0, 0, cv::INTER_NEAREST);
    p.disparity.values *= scale;
    return p;
  }();
  return photo;
}

void BM_SynthesizeRealPhoto(benchmark::State& state) {
  const RealPhoto& photo = playroom4000();
  if (!photo.problem.empty()) {
    state.SkipWithError(photo.problem.c_str());
    return;
  }
  const double cpu_start = processCpuSeconds();
  for (auto _ : state) {
    StereoResult r = synthesizeStereo(photo.image, photo.disparity, SynthesisParams{});
    benchmark::DoNotOptimize(r.right.data);
  }
  state.counters["MP"] = photo.image.total() / 1e6;
  state.counters["cpu_ms_all_threads"] =
      (processCpuSeconds() - cpu_start) * 1e3 / state.iterations();
}
BENCHMARK(BM_SynthesizeRealPhoto)->Unit(benchmark::kMillisecond)->UseRealTime();

// The synthetic scene at the same size, for the per-megapixel comparison.
void BM_SynthesizeSyntheticScene(benchmark::State& state) {
  const Scene scene = makeScene(4000, 2724);
  const DisparityMap map = makeDisparityMap(scene.disparity);
  const double cpu_start = processCpuSeconds();
  for (auto _ : state) {
    StereoResult r = synthesizeStereo(scene.image, map, SynthesisParams{});
    benchmark::DoNotOptimize(r.right.data);
  }
  state.counters["cpu_ms_all_threads"] =
      (processCpuSeconds() - cpu_start) * 1e3 / state.iterations();
}
BENCHMARK(BM_SynthesizeSyntheticScene)->Unit(benchmark::kMillisecond)->UseRealTime();

}  // namespace

// As the CLI and the GUI do (see process_memory.h).
int main(int argc, char** argv) {
  genstereo::configureProcessMemory();
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
