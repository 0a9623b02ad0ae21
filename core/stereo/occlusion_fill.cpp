#include "stereo/occlusion_fill.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <vector>

#include <opencv2/imgproc.hpp>
#include <opencv2/photo.hpp>

#include "errors.h"

namespace genstereo {

namespace {

// One run of hole pixels [begin, end) in a row, with the side its background lies on.
struct HoleRun {
  int begin = 0;
  int end = 0;
  float background_disparity = 0.0f;
  int background_x = -1;  // the valid neighbour used as background
  int foreground_x = -1;  // the other neighbour when it is nearer, else -1
};

std::vector<HoleRun> findHoleRuns(const std::uint8_t* valid, const float* disparity, int width,
                                  double foreground_margin_px) {
  std::vector<HoleRun> runs;
  int x = 0;
  while (x < width) {
    if (valid[x]) {
      ++x;
      continue;
    }
    HoleRun run;
    run.begin = x;
    while (x < width && !valid[x]) ++x;
    run.end = x;
    const int left = run.begin - 1;
    const int right = run.end < width ? run.end : -1;
    if (left >= 0 && right >= 0) {
      const bool is_left_background = disparity[left] <= disparity[right];
      run.background_x = is_left_background ? left : right;
      const int other = is_left_background ? right : left;
      if (std::abs(disparity[other] - disparity[run.background_x]) > foreground_margin_px) {
        run.foreground_x = other;
      }
    } else {
      run.background_x = left >= 0 ? left : right;
    }
    if (run.background_x >= 0) run.background_disparity = disparity[run.background_x];
    runs.push_back(run);
  }
  return runs;
}

cv::Mat fillNaive(const cv::Mat& warped, const cv::Mat& valid, const cv::Mat& disparity) {
  cv::Mat filled = warped.clone();
  for (int y = 0; y < warped.rows; ++y) {
    const auto runs = findHoleRuns(valid.ptr<std::uint8_t>(y), disparity.ptr<float>(y),
                                   warped.cols, 0.0);
    cv::Vec3f* row = filled.ptr<cv::Vec3f>(y);
    for (const HoleRun& run : runs) {
      if (run.background_x < 0) continue;
      std::fill(row + run.begin, row + run.end, row[run.background_x]);
    }
  }
  return filled;
}

cv::Mat fillTelea(const cv::Mat& warped, const cv::Mat& valid) {
  cv::Mat warped8;
  warped.convertTo(warped8, CV_8UC3, 255.0);
  cv::Mat holes = valid == 0;
  cv::Mat inpainted8;
  cv::inpaint(warped8, holes, inpainted8, 3.0, cv::INPAINT_TELEA);
  cv::Mat inpainted;
  inpainted8.convertTo(inpainted, CV_32FC3, 1.0 / 255.0);
  cv::Mat filled = warped.clone();
  inpainted.copyTo(filled, holes);
  return filled;
}

// Step 4 of the background method, on hole pixels only: blend the interpolated colour with
// the row estimate (mean of the first background pixels beside the run), then smooth along
// the columns inside the holes (normalised Gaussian, holes only). Writes into `fill`.
void refineHoleColours(const cv::Mat& warped, const cv::Mat& known, const cv::Mat& valid,
                       const std::vector<std::vector<HoleRun>>& runs_per_row,
                       const FillParams& params, cv::Mat& fill) {
  const int width = warped.cols;
  const int height = warped.rows;
  const float row_weight = static_cast<float>(params.row_weight);
  if (row_weight > 0.0f) {
    cv::parallel_for_(cv::Range(0, height), [&](const cv::Range& rows) {
      for (int y = rows.start; y < rows.end; ++y) {
        const cv::Vec3f* w = warped.ptr<cv::Vec3f>(y);
        const std::uint8_t* k = known.ptr<std::uint8_t>(y);
        cv::Vec3f* out = fill.ptr<cv::Vec3f>(y);
        for (const HoleRun& run : runs_per_row[static_cast<std::size_t>(y)]) {
          if (run.background_x < 0) continue;
          const int step = run.background_x >= run.end ? 1 : -1;
          cv::Vec3f sum(0, 0, 0);
          int n = 0;
          for (int x = run.background_x; x >= 0 && x < width && n < params.row_samples && k[x];
               x += step) {
            sum += w[x];
            ++n;
          }
          if (n == 0) continue;
          const cv::Vec3f row_estimate = sum / static_cast<float>(n);
          for (int x = run.begin; x < run.end; ++x) {
            out[x] = out[x] * (1.0f - row_weight) + row_estimate * row_weight;
          }
        }
      }
    });
  }
  if (params.vertical_sigma_px <= 0.0) return;
  const int radius = static_cast<int>(std::ceil(3.0 * params.vertical_sigma_px));
  std::vector<float> kernel(static_cast<std::size_t>(2 * radius + 1));
  for (int i = -radius; i <= radius; ++i) {
    kernel[static_cast<std::size_t>(i + radius)] = static_cast<float>(
        std::exp(-0.5 * i * i / (params.vertical_sigma_px * params.vertical_sigma_px)));
  }
  const cv::Mat source = fill.clone();
  cv::parallel_for_(cv::Range(0, height), [&](const cv::Range& rows) {
    for (int y = rows.start; y < rows.end; ++y) {
      cv::Vec3f* out = fill.ptr<cv::Vec3f>(y);
      for (const HoleRun& run : runs_per_row[static_cast<std::size_t>(y)]) {
        for (int x = run.begin; x < run.end; ++x) {
          cv::Vec3f sum(0, 0, 0);
          float total = 0.0f;
          for (int dy = std::max(-radius, -y); dy <= std::min(radius, height - 1 - y); ++dy) {
            if (valid.at<std::uint8_t>(y + dy, x)) continue;
            const float g = kernel[static_cast<std::size_t>(dy + radius)];
            sum += source.at<cv::Vec3f>(y + dy, x) * g;
            total += g;
          }
          out[x] = sum / total;  // total > 0: the pixel itself is a hole
        }
      }
    }
  });
}

}  // namespace

const char* toString(FillMethod method) {
  switch (method) {
    case FillMethod::kNone: return "warp-only";
    case FillMethod::kNaive: return "naive";
    case FillMethod::kTelea: return "telea";
    case FillMethod::kBackground: return "background";
  }
  return "unknown";
}

namespace {

// Repeats a one-channel Mat to `channels` channels.
cv::Mat repeatChannels(const cv::Mat& single, int channels) {
  if (channels == 1) return single;
  std::vector<cv::Mat> planes(static_cast<std::size_t>(channels), single);
  cv::Mat merged;
  cv::merge(planes, merged);
  return merged;
}

}  // namespace

cv::Mat pushPullInterpolate(const cv::Mat& image, const cv::Mat& known) {
  CV_Assert(image.depth() == CV_32F && known.type() == CV_8UC1 && image.size() == known.size());
  const int channels = image.channels();
  cv::Mat weight;
  known.convertTo(weight, CV_32F);
  cv::threshold(weight, weight, 0.0, 1.0, cv::THRESH_BINARY);
  // Pull: pyramids of premultiplied colour and of weight (a normalised Gaussian pyramid).
  // Level 0 has binary weights: its premultiplied colour is the known pixels, 0 elsewhere.
  cv::Mat premultiplied(image.size(), image.type(), cv::Scalar::all(0.0));
  image.copyTo(premultiplied, known);
  std::vector<cv::Mat> premultiplied_levels = {premultiplied};
  std::vector<cv::Mat> weight_levels = {weight};
  while (premultiplied_levels.back().cols > 1 && premultiplied_levels.back().rows > 1 &&
         premultiplied_levels.size() < 16) {
    cv::Mat next_image;
    cv::Mat next_weight;
    cv::pyrDown(premultiplied_levels.back(), next_image);
    cv::pyrDown(weight_levels.back(), next_weight);
    premultiplied_levels.push_back(next_image);
    weight_levels.push_back(next_weight);
  }
  // Push: from the coarsest level down, each level keeps what it knows and takes the rest
  // from the upsampled coarser estimate: value = premultiplied + (1 - weight) * coarser.
  const std::size_t top = premultiplied_levels.size() - 1;
  cv::Mat estimate;
  cv::divide(premultiplied_levels[top],
             repeatChannels(cv::max(weight_levels[top], 1e-12), channels), estimate);
  for (std::size_t level = top; level-- > 1;) {
    cv::Mat upsampled;
    cv::pyrUp(estimate, upsampled, premultiplied_levels[level].size());
    cv::Mat missing;  // 1 - min(weight, 1), per channel
    cv::subtract(cv::Scalar::all(1.0), cv::min(weight_levels[level], 1.0), missing);
    estimate = premultiplied_levels[level] + upsampled.mul(repeatChannels(missing, channels));
  }
  // Level 0 has binary weights: known pixels keep their value, the others take the
  // upsampled estimate, which is also the interpolation from the neighbours everywhere.
  cv::Mat upsampled;
  cv::pyrUp(estimate, upsampled, image.size());
  return upsampled;
}

cv::Mat pushPullFill(const cv::Mat& image, const cv::Mat& known) {
  cv::Mat result = pushPullInterpolate(image, known);
  image.copyTo(result, known);
  return result;
}

FillResult fillOcclusions(const cv::Mat& warped, const WarpCorrespondence& correspondence,
                          FillMethod method, const FillParams& params) {
  if (warped.type() != CV_32FC3 || warped.size() != correspondence.valid.size()) {
    throw InputError("occlusion fill: expected a float RGB view of the warp's size");
  }
  const int width = warped.cols;
  const int height = warped.rows;
  FillResult result;
  result.foreground_guard = cv::Mat::zeros(warped.size(), CV_8UC1);
  result.disparity_px = correspondence.disparity_px.clone();
  std::vector<std::vector<HoleRun>> runs_per_row(static_cast<std::size_t>(height));
  cv::parallel_for_(cv::Range(0, height), [&](const cv::Range& rows) {
    for (int y = rows.start; y < rows.end; ++y) {
      auto& runs = runs_per_row[static_cast<std::size_t>(y)];
      runs = findHoleRuns(correspondence.valid.ptr<std::uint8_t>(y),
                          correspondence.disparity_px.ptr<float>(y), width,
                          params.foreground_margin_px);
      float* d = result.disparity_px.ptr<float>(y);
      for (const HoleRun& run : runs) std::fill(d + run.begin, d + run.end, run.background_disparity);
    }
  });

  switch (method) {
    case FillMethod::kNone:
      result.image = warped.clone();
      result.background_fill = warped.clone();
      return result;
    case FillMethod::kNaive:
      result.image = fillNaive(warped, correspondence.valid, correspondence.disparity_px);
      result.background_fill = result.image;
      return result;
    case FillMethod::kTelea:
      result.image = fillTelea(warped, correspondence.valid);
      result.background_fill = result.image;
      return result;
    case FillMethod::kBackground:
      break;
  }

  // Hide the foreground next to each run so that only the background is interpolated.
  cv::Mat known = correspondence.valid.clone();
  cv::parallel_for_(cv::Range(0, height), [&](const cv::Range& rows) {
    for (int y = rows.start; y < rows.end; ++y) {
      std::uint8_t* k = known.ptr<std::uint8_t>(y);
      const std::uint8_t* valid = correspondence.valid.ptr<std::uint8_t>(y);
      const float* d = correspondence.disparity_px.ptr<float>(y);
      for (const HoleRun& run : runs_per_row[static_cast<std::size_t>(y)]) {
        if (run.foreground_x < 0) continue;
        const int reach = std::max(params.min_reach_px,
                                   static_cast<int>(std::ceil(params.reach_factor * (run.end - run.begin))));
        const int step = run.foreground_x >= run.end ? 1 : -1;
        const float limit = run.background_disparity + static_cast<float>(params.foreground_margin_px);
        for (int i = 0, x = run.foreground_x; i < reach && x >= 0 && x < width; ++i, x += step) {
          if (!valid[x]) break;  // the next hole run handles itself
          if (d[x] > limit) k[x] = 0;
        }
      }
    }
  });
  if (params.guard_window_px > 0) {
    // Also hide, in 2-D, every pixel near a hole that is clearly nearer than that hole's
    // background (the foreground above or below a hole must not bleed in either).
    // Pixels that are no hole hold the lowest float, so that the dilation (a maximum) sees
    // only holes' backgrounds, negative disparities (behind the screen) included.
    constexpr float kNoHole = std::numeric_limits<float>::lowest();
    cv::Mat hole_background(height, width, CV_32FC1, cv::Scalar(kNoHole));
    for (int y = 0; y < height; ++y) {
      float* hb = hole_background.ptr<float>(y);
      for (const HoleRun& run : runs_per_row[static_cast<std::size_t>(y)]) {
        std::fill(hb + run.begin, hb + run.end, run.background_disparity + 1e-3f);
      }
    }
    cv::Mat nearby_background;
    const int size = 2 * params.guard_window_px + 1;
    cv::dilate(hole_background, nearby_background,
               cv::getStructuringElement(cv::MORPH_RECT, cv::Size(size, size)));
    const float margin = static_cast<float>(params.foreground_margin_px);
    cv::parallel_for_(cv::Range(0, height), [&](const cv::Range& rows) {
      for (int y = rows.start; y < rows.end; ++y) {
        const float* nearby = nearby_background.ptr<float>(y);
        const float* d = correspondence.disparity_px.ptr<float>(y);
        const std::uint8_t* valid = correspondence.valid.ptr<std::uint8_t>(y);
        std::uint8_t* k = known.ptr<std::uint8_t>(y);
        for (int x = 0; x < width; ++x) {
          if (valid[x] && nearby[x] > kNoHole && d[x] > nearby[x] + margin) k[x] = 0;
        }
      }
    });
  }
  cv::Mat smooth = pushPullInterpolate(warped, known);
  if (params.row_weight > 0.0 || params.vertical_sigma_px > 0.0) {
    refineHoleColours(warped, known, correspondence.valid, runs_per_row, params, smooth);
  }
  result.background_fill = smooth;
  // The fill where nothing landed, the warped view elsewhere; the guard: landed but hidden.
  result.image.create(warped.size(), warped.type());
  cv::parallel_for_(cv::Range(0, height), [&](const cv::Range& rows) {
    for (int y = rows.start; y < rows.end; ++y) {
      const std::uint8_t* valid = correspondence.valid.ptr<std::uint8_t>(y);
      const std::uint8_t* k = known.ptr<std::uint8_t>(y);
      const cv::Vec3f* w = warped.ptr<cv::Vec3f>(y);
      const cv::Vec3f* f = smooth.ptr<cv::Vec3f>(y);
      cv::Vec3f* out = result.image.ptr<cv::Vec3f>(y);
      std::uint8_t* guard = result.foreground_guard.ptr<std::uint8_t>(y);
      for (int x = 0; x < width; ++x) {
        out[x] = valid[x] ? w[x] : f[x];
        guard[x] = valid[x] && !k[x] ? 255 : 0;
      }
    }
  });
  return result;
}

}  // namespace genstereo
