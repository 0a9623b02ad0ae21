// Temporal depth stack (core/video/temporal): scene cuts, range stabilisers (iw3 EMA parity
// against a fixture written by nunif's own code), flow-guided smoothing and its exact-resume
// invariant, and the temporal metrics. Synthetic 160x96 clips keep the runtime small.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <fstream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>
#include <opencv2/imgproc.hpp>

#include "errors.h"
#include "video/temporal/depth_range_stabilizer.h"
#include "video/temporal/flow_depth_smoother.h"
#include "video/temporal/scene_cut_detector.h"
#include "video/temporal/temporal_metrics.h"

namespace genstereo {
namespace {

constexpr int kWidth = 160;
constexpr int kHeight = 96;

// A multi-scale random texture (CV_8UC3) with grey levels in about [low, high].
cv::Mat makeCanvas(std::uint64_t seed, int width, int height, double low, double high) {
  cv::RNG rng(seed);
  cv::Mat sum(height, width, CV_32FC1, cv::Scalar(0.0));
  const int cells[] = {6, 16, 40};
  const double weights[] = {0.5, 0.3, 0.2};
  for (int i = 0; i < 3; ++i) {
    cv::Mat coarse(std::max(2, height / cells[i] * 2), std::max(2, width / cells[i] * 2), CV_32FC1);
    rng.fill(coarse, cv::RNG::UNIFORM, 0.0, 1.0);
    cv::Mat fine;
    cv::resize(coarse, fine, sum.size(), 0.0, 0.0, cv::INTER_CUBIC);
    sum += fine * weights[i];
  }
  cv::Mat grey;
  sum.convertTo(grey, CV_8UC1, high - low, low);
  cv::Mat channels[] = {grey, grey * 0.9 + 10, grey * 0.8 + 20};
  cv::Mat bgr;
  cv::merge(channels, 3, bgr);
  return bgr;
}

cv::Mat crop(const cv::Mat& canvas, int x, int y) {
  return canvas(cv::Rect(x, y, kWidth, kHeight)).clone();
}

// A smooth ground-truth depth in [0.1, 0.9] on canvas coordinates (CV_32FC1).
cv::Mat makeDepthCanvas(int width, int height) {
  cv::Mat depth(height, width, CV_32FC1);
  for (int y = 0; y < height; ++y) {
    for (int x = 0; x < width; ++x) {
      depth.at<float>(y, x) =
          static_cast<float>(0.5 + 0.25 * std::sin(x * 0.05) + 0.15 * std::cos(y * 0.07));
    }
  }
  return depth;
}

cv::Mat depthCrop(const cv::Mat& canvas, int x, int y) {
  return canvas(cv::Rect(x, y, kWidth, kHeight)).clone();
}

cv::Mat addNoise(const cv::Mat& depth, std::uint64_t seed, double sigma) {
  cv::RNG rng(seed);
  cv::Mat noise(depth.size(), CV_32FC1);
  rng.fill(noise, cv::RNG::NORMAL, 0.0, sigma);
  return depth + noise;
}

double meanAbsDiff(const cv::Mat& a, const cv::Mat& b, const cv::Rect& roi) {
  return cv::norm(a(roi), b(roi), cv::NORM_L1) / static_cast<double>(roi.area());
}

bool sameBytes(const cv::Mat& a, const cv::Mat& b) {
  if (a.size() != b.size() || a.type() != b.type()) return false;
  for (int y = 0; y < a.rows; ++y) {
    if (std::memcmp(a.ptr(y), b.ptr(y), a.cols * a.elemSize()) != 0) return false;
  }
  return true;
}

double stdDev(const std::vector<double>& values) {
  double mean = 0.0;
  for (double v : values) mean += v;
  mean /= static_cast<double>(values.size());
  double sum = 0.0;
  for (double v : values) sum += (v - mean) * (v - mean);
  return std::sqrt(sum / static_cast<double>(values.size()));
}

// ---------------------------------------------------------------------------------------------
// Scene cuts

TEST(SceneCutDetector, CutExactlyAtTheSwitchAndNoneDuringAPan) {
  const cv::Mat scene_a = makeCanvas(11, 400, 120, 30, 150);
  const cv::Mat scene_b = makeCanvas(12, 400, 120, 110, 250);
  SceneCutDetector detector;
  std::vector<int> cuts;
  for (int t = 0; t < 24; ++t) {
    const cv::Mat& canvas = t < 12 ? scene_a : scene_b;
    const int pan = (t % 12) * 4;  // 4 px per frame (2.5 % of the width)
    if (detector.push(crop(canvas, pan, 10))) cuts.push_back(t);
    if (t != 12) {
      EXPECT_LT(detector.lastScore(), 0.2) << "frame " << t;
    }
  }
  EXPECT_EQ(cuts, std::vector<int>({12}));
}

TEST(SceneCutDetector, NoCutDuringASlowFade) {
  const cv::Mat scene = crop(makeCanvas(13, 200, 120, 40, 220), 0, 0);
  SceneCutDetector detector;
  for (int t = 0; t < 40; ++t) {
    cv::Mat frame;
    scene.convertTo(frame, CV_8UC3, 1.0 - t / 45.0);  // to almost black over 40 frames
    EXPECT_FALSE(detector.push(frame)) << "frame " << t << " score " << detector.lastScore();
  }
}

TEST(SceneCutDetector, MinSceneFramesSuppressesFlashes) {
  const cv::Mat a = crop(makeCanvas(14, 200, 120, 30, 150), 0, 0);
  const cv::Mat b = crop(makeCanvas(15, 200, 120, 110, 250), 0, 0);
  SceneCutDetector detector(SceneCutSettings{0.35, 4});
  const cv::Mat* sequence[] = {&a, &a, &a, &a, &b, &a, &a, &a, &a, &a};  // one-frame flash at 4
  std::vector<int> cuts;
  for (int t = 0; t < 10; ++t) {
    if (detector.push(*sequence[t])) cuts.push_back(t);
  }
  EXPECT_EQ(cuts, std::vector<int>({4}));  // the return at frame 5 is within min_scene_frames
}

// ---------------------------------------------------------------------------------------------
// Depth statistics and range stabilisers

TEST(DepthRangeStabilizer, StatisticsOfARampIgnoreNonFiniteValues) {
  cv::Mat depth(100, 100, CV_32FC1);
  for (int i = 0; i < 10000; ++i)
    depth.at<float>(i / 100, i % 100) = static_cast<float>(i) / 9999.0f;
  depth.at<float>(0, 0) = std::numeric_limits<float>::quiet_NaN();
  depth.at<float>(0, 1) = std::numeric_limits<float>::infinity();
  const DepthFrameStats stats = computeDepthFrameStats(depth);
  EXPECT_NEAR(stats.min, 2.0 / 9999.0, 1e-9);
  EXPECT_NEAR(stats.max, 1.0, 1e-9);
  EXPECT_NEAR(stats.p02, 0.02, 1e-3);  // histogram of 4096 bins: within a bin or so
  EXPECT_NEAR(stats.p50, 0.50, 1e-3);
  EXPECT_NEAR(stats.p95, 0.95, 1e-3);
  EXPECT_NEAR(stats.p98, 0.98, 1e-3);
  EXPECT_THROW(computeDepthFrameStats(cv::Mat(4, 4, CV_32FC1, cv::Scalar(NAN))), InputError);
}

TEST(DepthRangeStabilizer, Iw3EmaMatchesNunifFixture) {
  const std::string path = std::string(GENSTEREO_TEST_DATA_DIR) + "/video/iw3_ema_fixture.json";
  std::ifstream file(path);
  ASSERT_TRUE(file) << "missing " << path
                    << " (tests/data/video/make_iw3_ema_fixture.py writes it)";
  const nlohmann::json fixture = nlohmann::json::parse(file);
  std::vector<DepthFrameStats> stats;
  for (const auto& minmax : fixture.at("input_minmax")) {
    DepthFrameStats s;
    s.min = minmax.at(0).get<double>();
    s.max = minmax.at(1).get<double>();
    stats.push_back(s);
  }
  for (const auto& start : fixture.at("scene_starts"))
    stats.at(start.get<std::size_t>()).scene_cut = true;
  ASSERT_EQ(fixture.at("cases").size(), 2u);
  for (const auto& test_case : fixture.at("cases")) {
    RangeStabilizerSettings settings;
    settings.kind = RangeStabilizer::kIw3Ema;
    settings.ema_decay = test_case.at("decay").get<double>();
    settings.ema_buffer = test_case.at("buffer_size").get<int>();
    const std::vector<DepthRange> ranges = stabilizeDepthRanges(stats, settings);
    const auto& used = test_case.at("used_minmax");
    ASSERT_EQ(used.size(), ranges.size());
    for (std::size_t t = 0; t < ranges.size(); ++t) {
      EXPECT_NEAR(ranges[t].low, used[t].at(0).get<double>(), 1e-9)
          << "buffer " << settings.ema_buffer << " frame " << t;
      EXPECT_NEAR(ranges[t].high, used[t].at(1).get<double>(), 1e-9)
          << "buffer " << settings.ema_buffer << " frame " << t;
    }
  }
}

// 64x64 depth in [1, 5] with a slow drift; `particle` adds a few very near pixels (value 50).
cv::Mat makeDepthFrame(int t, bool particle, double offset = 0.0) {
  cv::Mat depth(64, 64, CV_32FC1);
  cv::RNG rng(static_cast<std::uint64_t>(100 + t));
  rng.fill(depth, cv::RNG::UNIFORM, 1.0, 5.0);
  depth += 0.002 * t + offset;
  if (particle) {
    for (int i = 0; i < 20; ++i) depth.at<float>(10 + i, 30) = 50.0f;  // 0.5 % of the pixels
  }
  return depth;
}

TEST(DepthRangeStabilizer, RobustRangeIgnoresAnOutlierParticleFrameWhileIw3EmaPumps) {
  std::vector<DepthFrameStats> stats;
  for (int t = 0; t < 60; ++t) stats.push_back(computeDepthFrameStats(makeDepthFrame(t, t == 30)));
  RangeStabilizerSettings robust;
  RangeStabilizerSettings ema;
  ema.kind = RangeStabilizer::kIw3Ema;
  RangeStabilizerSettings per_frame;
  per_frame.kind = RangeStabilizer::kPerFrame;
  const auto robust_ranges = stabilizeDepthRanges(stats, robust);
  const auto ema_ranges = stabilizeDepthRanges(stats, ema);
  const auto frame_ranges = stabilizeDepthRanges(stats, per_frame);
  std::vector<double> robust_high, ema_high;
  for (std::size_t t = 0; t < stats.size(); ++t) {
    robust_high.push_back(robust_ranges[t].high);
    ema_high.push_back(ema_ranges[t].high);
    // the robust range stays at the bulk of the depth, [1, 5] (+ drift)
    // (each frame is a new random map: its percentiles move by a few hundredths)
    EXPECT_NEAR(robust_ranges[t].low, 1.08 + 0.002 * t, 0.2) << t;
    EXPECT_NEAR(robust_ranges[t].high, 4.92 + 0.002 * t, 0.2) << t;
  }
  for (std::size_t t = 1; t < stats.size(); ++t) {
    EXPECT_LT(std::abs(robust_ranges[t].high - robust_ranges[t - 1].high), 0.2) << t;  // no jump
  }
  EXPECT_GT(frame_ranges[30].high, 49.0);  // the per-frame max jumps to the particle
  EXPECT_GT(stdDev(ema_high), 10.0 * stdDev(robust_high));  // iw3's EMA pumps with it
  EXPECT_GT(*std::max_element(ema_high.begin(), ema_high.end()), 20.0);
}

TEST(DepthRangeStabilizer, RobustRangeResetsAtACutWithZeroFramesToRecover) {
  std::vector<DepthFrameStats> stats;
  for (int t = 0; t < 60; ++t)
    stats.push_back(computeDepthFrameStats(makeDepthFrame(t, false, t < 30 ? 0.0 : 10.0)));
  stats[30].scene_cut = true;
  const auto ranges = stabilizeDepthRanges(stats, RangeStabilizerSettings{});
  for (int t = 0; t < 60; ++t) {
    const double offset =
        t < 30 ? 0.0 : 10.0;  // every frame, the cut one included, has its scene's range
    EXPECT_NEAR(ranges[t].low, 1.08 + 0.002 * t + offset, 0.2) << t;
    EXPECT_NEAR(ranges[t].high, 4.92 + 0.002 * t + offset, 0.2) << t;
  }
  stats[30].scene_cut = false;  // anchored per frame: even a missed cut costs no frame
  const auto missed = stabilizeDepthRanges(stats, RangeStabilizerSettings{});
  EXPECT_NEAR(missed[30].low, ranges[30].low, 0.1);
  EXPECT_NEAR(missed[30].high, ranges[30].high, 0.1);
}

TEST(DepthRangeStabilizer, RobustRangeRemovesPerFrameScaleAndOffsetDriftWhileIw3EmaPumps) {
  // A per-frame depth model: the same scene, its depth scaled and offset differently per frame.
  std::vector<cv::Mat> frames;
  std::vector<DepthFrameStats> stats;
  for (int t = 0; t < 40; ++t) {
    cv::Mat depth =
        makeDepthFrame(0, false) * (1.0 + 0.25 * std::sin(t * 1.3)) + 0.5 * std::cos(t * 0.7);
    frames.push_back(depth);
    stats.push_back(computeDepthFrameStats(depth));
  }
  RangeStabilizerSettings ema;
  ema.kind = RangeStabilizer::kIw3Ema;
  const auto robust = stabilizeDepthRanges(stats, RangeStabilizerSettings{});
  const auto iw3 = stabilizeDepthRanges(stats, ema);
  const cv::Mat reference = normalizeDepth(frames[0], robust[0]);
  double worst_robust = 0.0;
  double worst_iw3 = 0.0;
  for (int t = 1; t < 40; ++t) {
    worst_robust = std::max(
        worst_robust, cv::norm(normalizeDepth(frames[t], robust[t]), reference, cv::NORM_INF));
    worst_iw3 = std::max(worst_iw3, cv::norm(normalizeDepth(frames[t], iw3[t]),
                                             normalizeDepth(frames[0], iw3[0]), cv::NORM_INF));
  }
  EXPECT_LT(worst_robust, 0.01);  // histogram percentiles: 1/4096 of the range per bin
  EXPECT_GT(worst_iw3, 0.1);
}

TEST(DepthRangeStabilizer, NormalizeClampsAndFlatRangeGivesZero) {
  cv::Mat depth = (cv::Mat_<float>(1, 4) << 0.0f, 1.0f, 2.0f, NAN);
  const cv::Mat n = normalizeDepth(depth, DepthRange{0.5, 1.5});
  EXPECT_FLOAT_EQ(n.at<float>(0, 0), 0.0f);
  EXPECT_FLOAT_EQ(n.at<float>(0, 1), 0.5f);
  EXPECT_FLOAT_EQ(n.at<float>(0, 2), 1.0f);
  EXPECT_FLOAT_EQ(n.at<float>(0, 3), 0.0f);
  EXPECT_EQ(cv::countNonZero(normalizeDepth(depth, DepthRange{1.0, 1.0})), 0);
  EXPECT_STREQ(toString(RangeStabilizer::kIw3Ema), "iw3-ema");
}

// ---------------------------------------------------------------------------------------------
// Flow-guided smoothing

struct PanClip {
  cv::Mat canvas = makeCanvas(21, 260, 120, 20, 235);
  cv::Mat depth_canvas = makeDepthCanvas(260, 120);
  static constexpr int kPanPx = 3;
  cv::Mat image(int t) const { return crop(canvas, t * kPanPx, 8); }
  cv::Mat truth(int t) const { return depthCrop(depth_canvas, t * kPanPx, 8); }
  cv::Mat noisy(int t) const {
    return addNoise(truth(t), static_cast<std::uint64_t>(500 + t), 0.03);
  }
};

TEST(FlowDepthSmoother, ReducesFlickerOfNoisyDepthOnAPan) {
  const PanClip clip;
  FlowDepthSmoother smoother;
  TemporalMetricsAccumulator raw_metrics;
  TemporalMetricsAccumulator smooth_metrics;
  const cv::Rect interior(16, 8, kWidth - 32, kHeight - 16);
  double raw_error = 0.0, smooth_error = 0.0;
  for (int t = 0; t < 16; ++t) {
    const cv::Mat image = clip.image(t);
    const cv::Mat noisy = clip.noisy(t);
    const cv::Mat smoothed = smoother.push(image, noisy);
    if (t > 0) {
      EXPECT_GT(smoother.lastConfidentFraction(), 0.8) << t;
    }
    raw_metrics.push(image, image, noisy * 20.0, false);  // 20 px of disparity per unit depth
    smooth_metrics.push(image, image, smoothed * 20.0, false);
    if (t >= 2) {
      raw_error += meanAbsDiff(noisy, clip.truth(t), interior);
      smooth_error += meanAbsDiff(smoothed, clip.truth(t), interior);
    }
  }
  const double raw_flicker = raw_metrics.result().disparity_flicker_percent;
  const double smooth_flicker = smooth_metrics.result().disparity_flicker_percent;
  EXPECT_LT(smooth_flicker, 0.7 * raw_flicker) << raw_flicker << " -> " << smooth_flicker;
  EXPECT_LT(smooth_error, 0.8 * raw_error) << raw_error << " -> " << smooth_error;
}

TEST(FlowDepthSmoother, RestartWithWindowWarmUpIsBitIdentical) {
  const PanClip clip;
  FlowSmoothingSettings settings;
  std::vector<cv::Mat> full;
  FlowDepthSmoother single_run(settings);
  for (int t = 0; t < 20; ++t) full.push_back(single_run.push(clip.image(t), clip.noisy(t)));
  FlowDepthSmoother resumed(settings);
  const int restart = 10;
  for (int t = restart - settings.window; t < 20; ++t) {
    const cv::Mat out = resumed.push(clip.image(t), clip.noisy(t));
    if (t >= restart) {
      EXPECT_TRUE(sameBytes(out, full[static_cast<std::size_t>(t)])) << "frame " << t;
    }
  }
  // One frame less of warm-up is not enough: the output differs.
  FlowDepthSmoother short_warm_up(settings);
  cv::Mat out;
  for (int t = restart - settings.window + 1; t <= restart; ++t)
    out = short_warm_up.push(clip.image(t), clip.noisy(t));
  EXPECT_FALSE(sameBytes(out, full[restart]));
}

TEST(FlowDepthSmoother, PropagatesDepthToFramesWithout) {
  const PanClip clip;
  FlowDepthSmoother smoother;
  const cv::Rect interior(16, 8, kWidth - 32, kHeight - 16);
  cv::Mat last_depth;
  for (int t = 0; t < 12; ++t) {
    const bool has_depth = t % 3 == 0;  // depth every 3rd frame
    const cv::Mat out = smoother.push(clip.image(t), has_depth ? clip.truth(t) : cv::Mat());
    ASSERT_EQ(out.size(), cv::Size(kWidth, kHeight));
    if (has_depth) {
      last_depth = clip.truth(t);
      continue;
    }
    const double propagated_error = meanAbsDiff(out, clip.truth(t), interior);
    const double stale_error = meanAbsDiff(last_depth, clip.truth(t), interior);
    EXPECT_LT(propagated_error, 0.01) << t;
    EXPECT_LT(propagated_error, 0.3 * stale_error) << t;
  }
  FlowDepthSmoother fresh;
  EXPECT_THROW(fresh.push(clip.image(0), cv::Mat()), InputError);
}

// ---------------------------------------------------------------------------------------------
// Metrics

cv::Mat shiftLeft(const cv::Mat& image, double px) {
  const cv::Mat m = (cv::Mat_<double>(2, 3) << 1, 0, -px, 0, 1, 0);
  cv::Mat out;
  cv::warpAffine(image, out, m, image.size(), cv::INTER_LINEAR, cv::BORDER_REPLICATE);
  return out;
}

TEST(TemporalMetrics, StaticClipWithConstantDisparityHasNoFlickerNorPumping) {
  const cv::Mat left = crop(makeCanvas(31, 200, 120, 20, 235), 0, 0);
  const cv::Mat right = shiftLeft(left, 6.0);
  const cv::Mat disparity(kHeight, kWidth, CV_32FC1, cv::Scalar(6.0));
  TemporalMetricsSettings settings;
  settings.measure_fused = true;
  TemporalMetricsAccumulator metrics(settings);
  for (int t = 0; t < 6; ++t) metrics.push(left, right, disparity, false);
  const TemporalMetrics m = metrics.result();
  EXPECT_EQ(m.frames, 6);
  EXPECT_LT(m.disparity_flicker_percent, 1e-3);
  EXPECT_NEAR(m.range_pumping_p50_percent, 0.0, 1e-12);
  EXPECT_NEAR(m.range_pumping_p95_percent, 0.0, 1e-12);
  EXPECT_LT(m.right_warp_error, 0.5);  // of 255
  EXPECT_LT(m.fused_disparity_flicker_percent, 0.05);
  EXPECT_GT(m.confident_fraction, 0.95);
}

TEST(TemporalMetrics, AlternatingScalePumpsWithinAScene) {
  const cv::Mat left = crop(makeCanvas(32, 200, 120, 20, 235), 0, 0);
  TemporalMetricsAccumulator metrics;
  TemporalMetricsAccumulator cut_every_frame;
  for (int t = 0; t < 8; ++t) {
    const double d = t % 2 == 0 ? 5.0 : 10.0;  // 3.125 % and 6.25 % of the width
    const cv::Mat disparity(kHeight, kWidth, CV_32FC1, cv::Scalar(d));
    metrics.push(left, shiftLeft(left, d), disparity, false);
    cut_every_frame.push(left, shiftLeft(left, d), disparity, true);
  }
  const TemporalMetrics m = metrics.result();
  EXPECT_NEAR(m.range_pumping_p50_percent, 1.5625, 1e-6);  // population std of {3.125, 6.25}
  EXPECT_NEAR(m.range_pumping_p95_percent, 1.5625, 1e-6);
  EXPECT_NEAR(m.disparity_flicker_percent, 3.125, 1e-3);
  // The right view moves exactly as its disparity says: no fill or texture flicker.
  EXPECT_LT(m.right_warp_error, 1.0);
  const TemporalMetrics cut = cut_every_frame.result();  // nothing is compared across cuts
  EXPECT_NEAR(cut.range_pumping_p50_percent, 0.0, 1e-12);
  EXPECT_EQ(cut.disparity_flicker_percent, 0.0);
}

TEST(TemporalMetrics, RightWarpErrorSeesFillFlickerInADisoccludedBand) {
  const cv::Mat left = crop(makeCanvas(33, 200, 120, 20, 235), 0, 0);
  const cv::Mat disparity(kHeight, kWidth, CV_32FC1, cv::Scalar(6.0));
  TemporalMetricsAccumulator steady;
  TemporalMetricsAccumulator flickering;
  for (int t = 0; t < 6; ++t) {
    const cv::Mat right = shiftLeft(left, 6.0);
    steady.push(left, right, disparity, false);
    cv::Mat noisy_fill = right.clone();
    cv::RNG rng(static_cast<std::uint64_t>(700 + t));
    cv::Mat band = noisy_fill(cv::Rect(kWidth - 20, 0, 20, kHeight));
    rng.fill(band, cv::RNG::UNIFORM, 0, 256);  // a fill that changes every frame (1/8 of the width)
    flickering.push(left, noisy_fill, disparity, false);
  }
  EXPECT_LT(steady.result().right_warp_error, 0.5);
  EXPECT_GT(flickering.result().right_warp_error, 5.0);  // ~85 / 8 expected from uniform noise
}

}  // namespace
}  // namespace genstereo
