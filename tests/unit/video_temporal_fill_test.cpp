// Temporal fill of disoccluded bands (core/video/temporal/temporal_hole_fill): a synthetic pan
// (a textured background moving left, a textured box moving right over it, so that the right
// view's disocclusion band, on the box's right side, shows background seen a few frames
// earlier) rendered by the weight-free engine; the ground-truth right view is rendered
// directly. Flicker and accuracy against the per-frame fill, finite memory (bit-identical
// restart), reset at a cut, and visible pixels untouched.
#include <gtest/gtest.h>

#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <vector>

#include <opencv2/imgproc.hpp>

#include "errors.h"
#include "genstereo/engine.h"
#include "genstereo/video.h"
#include "stereo/disparity_map.h"
#include "video/temporal/temporal_hole_fill.h"
#include "video/temporal/temporal_metrics.h"

namespace genstereo {
namespace {

constexpr int kWidth = 256;
constexpr int kHeight = 144;
constexpr int kFrames = 16;
constexpr int kPanPx = 2;       // background moves left by this per frame
constexpr int kBoxSpeedPx = 1;  // the box moves right by this per frame
constexpr float kBackgroundDisparityPx = 2.0f;
constexpr float kBoxDisparityPx = 14.0f;  // band width: 12 px
const cv::Rect kBoxAtZero(70, 40, 60, 60);

// A multi-scale random texture (CV_32FC3 in about [low, high]), distinct per channel.
cv::Mat makeTexture(std::uint64_t seed, int width, int height, double low, double high) {
  cv::RNG rng(seed);
  cv::Mat channels[3];
  for (cv::Mat& channel : channels) {
    channel = cv::Mat(height, width, CV_32FC1, cv::Scalar(0.0));
    const int cells[] = {4, 10, 30};
    const double weights[] = {0.5, 0.3, 0.2};
    for (int i = 0; i < 3; ++i) {
      cv::Mat coarse(std::max(2, height / cells[i]), std::max(2, width / cells[i]), CV_32FC1);
      rng.fill(coarse, cv::RNG::UNIFORM, 0.0, 1.0);
      cv::Mat fine;
      cv::resize(coarse, fine, channel.size(), 0.0, 0.0, cv::INTER_CUBIC);
      channel += fine * weights[i];
    }
    channel = channel * (high - low) + low;
  }
  cv::Mat bgr;
  cv::merge(channels, 3, bgr);
  return bgr;
}

struct PanScene {
  cv::Mat background = makeTexture(11, kWidth + kPanPx * 64 + 32, kHeight, 0.1, 0.9);
  cv::Mat box = makeTexture(12, kBoxAtZero.width, kBoxAtZero.height, 0.3, 1.0);
  int offset = 0;  // first background column (another scene: another offset)

  cv::Rect boxAt(int t) const { return kBoxAtZero + cv::Point(kBoxSpeedPx * t, 0); }
  // The view seen from `shift_px` to the right of the left camera: each layer moves left by
  // its disparity times shift_px (0 = left view, 1 = right view).
  cv::Mat render(int t, float shift) const {
    const int bg_shift = static_cast<int>(kBackgroundDisparityPx * shift);
    const int box_shift = static_cast<int>(kBoxDisparityPx * shift);
    cv::Mat image =
        background(cv::Rect(offset + kPanPx * t + bg_shift, 0, kWidth, kHeight)).clone();
    const cv::Rect box_rect = boxAt(t) - cv::Point(box_shift, 0);
    box.copyTo(image(box_rect));
    return image;
  }
  cv::Mat left(int t) const { return render(t, 0.0f); }
  cv::Mat trueRight(int t) const { return render(t, 1.0f); }
  cv::Mat disparity(int t) const {
    cv::Mat d(kHeight, kWidth, CV_32FC1, cv::Scalar(kBackgroundDisparityPx));
    d(boxAt(t)).setTo(kBoxDisparityPx);
    return d;
  }
};

RunResult renderFrame(StereoEngine& engine, const PanScene& scene, int t) {
  RunParams p = videoRunDefaults();
  p.geometry = DisparityInput{makeSignedDisparityMap(scene.disparity(t)), "test"};
  p.engine = EngineChoice::kWeightFree;
  p.synthesis.shaping = DisparityShaping{};
  p.synthesis.comfort = ComfortParams{};
  return engine.run(scene.left(t), p);
}

std::vector<RunResult> renderClip(const PanScene& scene, int frames) {
  StereoEngine engine;
  std::vector<RunResult> results;
  for (int t = 0; t < frames; ++t) results.push_back(renderFrame(engine, scene, t));
  return results;
}

bool sameBytes(const cv::Mat& a, const cv::Mat& b) {
  if (a.size() != b.size() || a.type() != b.type()) return false;
  for (int y = 0; y < a.rows; ++y) {
    if (std::memcmp(a.ptr(y), b.ptr(y), a.cols * a.elemSize()) != 0) return false;
  }
  return true;
}

cv::Mat to8(const cv::Mat& image01) {
  cv::Mat out;
  image01.convertTo(out, CV_8U, 255.0);
  return out;
}

// The band: hole pixels away from the image's right border strip.
cv::Mat bandMask(const RunResult& r) {
  cv::Mat band = r.synthesized.valid == 0;
  band.colRange(kWidth - 8, kWidth).setTo(0);
  return band;
}

// Mean absolute difference per channel (0..1 scale) over `mask`.
double meanAbsDiff(const cv::Mat& a, const cv::Mat& b, const cv::Mat& mask) {
  cv::Mat diff;
  cv::absdiff(a, b, diff);
  const cv::Scalar mean = cv::mean(diff, mask);
  return (mean[0] + mean[1] + mean[2]) / 3.0;
}

// Frame-to-frame change of the band along the background's true motion: pixel q of frame t
// shows the background point that pixel q + kPanPx showed in frame t-1.
double bandChange(const cv::Mat& current, const cv::Mat& previous, const cv::Mat& band) {
  const cv::Range left(0, kWidth - kPanPx);
  const cv::Range right(kPanPx, kWidth);
  return meanAbsDiff(current.colRange(left), previous.colRange(right), band.colRange(left));
}

bool visiblePixelsUntouched(const cv::Mat& out, const SynthesizedView& view) {
  for (int y = 0; y < out.rows; ++y) {
    const std::uint8_t* valid = view.valid.ptr<std::uint8_t>(y);
    for (int x = 0; x < out.cols; ++x) {
      if (valid[x] && std::memcmp(out.ptr<cv::Vec3f>(y) + x, view.view.ptr<cv::Vec3f>(y) + x,
                                  sizeof(cv::Vec3f)) != 0) {
        return false;
      }
    }
  }
  return true;
}

TEST(TemporalHoleFill, ReducesBandFlickerAndRecoversTheBackground) {
  const PanScene scene;
  const std::vector<RunResult> clip = renderClip(scene, kFrames);
  TemporalHoleFill fill;
  TemporalMetricsAccumulator per_frame_metrics;
  TemporalMetricsAccumulator temporal_metrics;
  double per_frame_flicker = 0.0, temporal_flicker = 0.0;
  double per_frame_error = 0.0, temporal_error = 0.0;
  double carried = 0.0;
  int measured = 0;
  cv::Mat previous_out;
  for (int t = 0; t < kFrames; ++t) {
    const RunResult& r = clip[static_cast<std::size_t>(t)];
    const cv::Mat out = fill.push(r.synthesized);
    EXPECT_TRUE(visiblePixelsUntouched(out, r.synthesized)) << "frame " << t;
    per_frame_metrics.push(to8(r.left), to8(r.right), r.left_disparity_px, false);
    temporal_metrics.push(to8(r.left), to8(out), r.left_disparity_px, false);
    if (t >= 6) {  // after the window's warm-up
      const cv::Mat band = bandMask(r);
      const cv::Mat truth = scene.trueRight(t);
      per_frame_flicker += bandChange(r.right, clip[static_cast<std::size_t>(t - 1)].right, band);
      temporal_flicker += bandChange(out, previous_out, band);
      per_frame_error += meanAbsDiff(r.right, truth, band);
      temporal_error += meanAbsDiff(out, truth, band);
      carried += fill.lastCarriedFraction();
      ++measured;
    }
    previous_out = out;
  }
  per_frame_flicker /= measured;
  temporal_flicker /= measured;
  per_frame_error /= measured;
  temporal_error /= measured;
  carried /= measured;
  const double per_frame_warp = per_frame_metrics.result().right_warp_error;
  const double temporal_warp = temporal_metrics.result().right_warp_error;
  std::printf(
      "band flicker %.4f -> %.4f, band error vs truth %.4f -> %.4f (0..1), carried %.0f %% of "
      "holes, right-view warp error %.3f -> %.3f (0..255)\n",
      per_frame_flicker, temporal_flicker, per_frame_error, temporal_error, 100.0 * carried,
      per_frame_warp, temporal_warp);
  EXPECT_GT(carried, 0.6);
  EXPECT_LT(temporal_flicker, 0.75 * per_frame_flicker);
  EXPECT_LT(temporal_error, 0.4 * per_frame_error);
  // The metric's right-view warp error compares a hole pixel with where its BACKGROUND
  // NEIGHBOUR goes, so it rewards a smooth fill over real texture; reported, not a criterion.
  EXPECT_LT(temporal_warp, 1.2 * per_frame_warp);
}

TEST(TemporalHoleFill, RestartWithWindowWarmUpIsBitIdentical) {
  const PanScene scene;
  const int frames = 14;
  const std::vector<RunResult> clip = renderClip(scene, frames);
  TemporalFillSettings settings;
  settings.window = 4;
  std::vector<cv::Mat> full;
  TemporalHoleFill single_run(settings);
  for (const RunResult& r : clip) full.push_back(single_run.push(r.synthesized));
  const int restart = 9;
  TemporalHoleFill resumed(settings);
  for (int t = restart - settings.window; t < frames; ++t) {
    const cv::Mat out = resumed.push(clip[static_cast<std::size_t>(t)].synthesized);
    if (t >= restart) {
      EXPECT_TRUE(sameBytes(out, full[static_cast<std::size_t>(t)])) << "frame " << t;
    }
  }
  // One frame less of warm-up is not enough: the band's oldest history is missing.
  TemporalHoleFill short_warm_up(settings);
  cv::Mat out;
  for (int t = restart - settings.window + 1; t <= restart; ++t) {
    out = short_warm_up.push(clip[static_cast<std::size_t>(t)].synthesized);
  }
  EXPECT_FALSE(sameBytes(out, full[static_cast<std::size_t>(restart)]));
}

TEST(TemporalHoleFill, ResetAtACutForgetsTheEarlierScene) {
  PanScene first;
  PanScene second;
  second.offset = 90;
  second.box = makeTexture(21, kBoxAtZero.width, kBoxAtZero.height, 0.0, 0.6);
  const std::vector<RunResult> a = renderClip(first, 8);
  const std::vector<RunResult> b = renderClip(second, 8);
  TemporalHoleFill across_cut;
  for (const RunResult& r : a) across_cut.push(r.synthesized);
  across_cut.reset();
  TemporalHoleFill fresh;
  for (std::size_t t = 0; t < b.size(); ++t) {
    const cv::Mat out = across_cut.push(b[t].synthesized);
    EXPECT_TRUE(sameBytes(out, fresh.push(b[t].synthesized))) << "frame " << t;
    if (t == 0) {
      // Nothing earlier in the scene: the per-frame fill as it is.
      EXPECT_TRUE(sameBytes(out, b[t].right));
      EXPECT_EQ(across_cut.lastCarriedFraction(), 0.0);
    }
  }
}

TEST(TemporalHoleFill, WindowZeroIsOffAndBadSettingsAreRefused) {
  const PanScene scene;
  const std::vector<RunResult> clip = renderClip(scene, 3);
  TemporalFillSettings off;
  off.window = 0;
  TemporalHoleFill fill(off);
  for (const RunResult& r : clip) EXPECT_TRUE(sameBytes(fill.push(r.synthesized), r.right));
  TemporalFillSettings bad;
  bad.blend = 0.0;
  EXPECT_THROW(TemporalHoleFill{bad}, InputError);
  bad = TemporalFillSettings{};
  bad.window = -1;
  EXPECT_THROW(TemporalHoleFill{bad}, InputError);
  TemporalHoleFill sized;
  sized.push(clip[0].synthesized);
  SynthesizedView smaller = clip[1].synthesized;
  for (cv::Mat* image : {&smaller.view, &smaller.warped, &smaller.valid, &smaller.disparity_px}) {
    *image = (*image)(cv::Rect(0, 0, kWidth / 2, kHeight / 2)).clone();
  }
  EXPECT_THROW(sized.push(smaller), InputError);
}

// The cost at 1920x1080 (run with --gtest_also_run_disabled_tests).
TEST(TemporalHoleFill, DISABLED_SpeedAt1080p) {
  const cv::Size size(1920, 1080);
  const cv::Mat background = makeTexture(31, size.width + 400, size.height, 0.1, 0.9);
  const cv::Mat box = makeTexture(32, 500, 500, 0.3, 1.0);
  StereoEngine engine;
  TemporalHoleFill fill;
  double seconds = 0.0;
  int timed = 0;
  for (int t = 0; t < 12; ++t) {
    cv::Mat left = background(cv::Rect(8 * t, 0, size.width, size.height)).clone();
    const cv::Rect box_rect(600 + 4 * t, 300, 500, 500);
    box.copyTo(left(box_rect));
    cv::Mat d(size, CV_32FC1, cv::Scalar(6.0));
    d(box_rect).setTo(50.0);
    RunParams p = videoRunDefaults();
    p.geometry = DisparityInput{makeSignedDisparityMap(d), "test"};
    p.engine = EngineChoice::kWeightFree;
    p.synthesis.shaping = DisparityShaping{};
    p.synthesis.comfort = ComfortParams{};
    const RunResult r = engine.run(left, p);
    const auto start = std::chrono::steady_clock::now();
    fill.push(r.synthesized);
    const double s =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    if (t >= 6) {
      seconds += s;
      ++timed;
    }
  }
  std::printf("temporal hole fill at 1920x1080: %.1f ms per frame (window 6, %d frames)\n",
              1000.0 * seconds / timed, timed);
}

}  // namespace
}  // namespace genstereo
