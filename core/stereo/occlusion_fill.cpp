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
    const auto runs =
        findHoleRuns(valid.ptr<std::uint8_t>(y), disparity.ptr<float>(y), warped.cols, 0.0);
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

// Step 4 of the background method, on hole pixels only, first half: blend the interpolated
// colour with the row estimate (mean of the first background pixels beside the run). Writes
// into the holes of `fill`.
void blendRowEstimate(const cv::Mat& warped, const cv::Mat& known,
                      const std::vector<std::vector<HoleRun>>& runs_per_row,
                      const FillParams& params, cv::Mat& fill) {
  const int width = warped.cols;
  const float row_weight = static_cast<float>(params.row_weight);
  cv::parallel_for_(cv::Range(0, warped.rows), [&](const cv::Range& rows) {
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

// Second half: smooth `fill` along the columns inside the holes (normalised Gaussian, holes
// only) into the holes of `image` (`fill` is only read, so no copy of it is needed).
void smoothHolesAlongColumns(const cv::Mat& fill, const cv::Mat& valid,
                             const std::vector<std::vector<HoleRun>>& runs_per_row, double sigma_px,
                             cv::Mat& image) {
  const int height = fill.rows;
  const int radius = static_cast<int>(std::ceil(3.0 * sigma_px));
  std::vector<float> kernel(static_cast<std::size_t>(2 * radius + 1));
  for (int i = -radius; i <= radius; ++i) {
    kernel[static_cast<std::size_t>(i + radius)] =
        static_cast<float>(std::exp(-0.5 * i * i / (sigma_px * sigma_px)));
  }
  cv::parallel_for_(cv::Range(0, height), [&](const cv::Range& rows) {
    for (int y = rows.start; y < rows.end; ++y) {
      cv::Vec3f* out = image.ptr<cv::Vec3f>(y);
      const int first_dy = std::max(-radius, -y);
      const int last_dy = std::min(radius, height - 1 - y);
      for (const HoleRun& run : runs_per_row[static_cast<std::size_t>(y)]) {
        for (int x = run.begin; x < run.end; ++x) {
          cv::Vec3f sum(0, 0, 0);
          float total = 0.0f;
          for (int dy = first_dy; dy <= last_dy; ++dy) {
            if (valid.ptr<std::uint8_t>(y + dy)[x]) continue;
            const float g = kernel[static_cast<std::size_t>(dy + radius)];
            sum += fill.ptr<cv::Vec3f>(y + dy)[x] * g;
            total += g;
          }
          out[x] = sum / total;  // total > 0: the pixel itself is a hole
        }
      }
    }
  });
}

// The 2-D foreground guard: hides (known = 0) every landed pixel that is clearly nearer than
// the background of a hole within `window_px` (a square window). The largest hole background
// near each pixel is found per band of rows, with no full-size map: along the rows from the
// hole runs, then along the columns with van Herk's running maxima (blocks of the window's
// height, maxima from each block's start and to its end: two of them cover any window).
void hideForegroundNearHoles(const WarpCorrespondence& correspondence,
                             const std::vector<std::vector<HoleRun>>& runs_per_row, int window_px,
                             double margin_px, cv::Mat& known) {
  constexpr float kNoHole = std::numeric_limits<float>::lowest();
  constexpr int kBandRows = 128;
  const int width = known.cols;
  const int height = known.rows;
  const int window_rows = 2 * window_px + 1;
  const float margin = static_cast<float>(margin_px);
  const int bands = (height + kBandRows - 1) / kBandRows;
  cv::parallel_for_(cv::Range(0, bands), [&](const cv::Range& range) {
    // Rows y_begin - window_px .. y_end + window_px of the band (rows outside the image have
    // no hole), `width` floats each.
    std::vector<float> to_block_end;  // the row maxima first, then their maxima to block ends
    std::vector<float> from_block_start;
    for (int band = range.start; band < range.end; ++band) {
      const int y_begin = band * kBandRows;
      const int y_end = std::min(height, y_begin + kBandRows);
      const int first = y_begin - window_px;
      const int rows = y_end - y_begin + 2 * window_px;
      const auto row_of = [&](std::vector<float>& rows_data, int y) {
        return rows_data.data() + static_cast<std::size_t>(y - first) * width;
      };
      // Along the rows: the largest hole background (+ 1e-3) within window_px columns.
      to_block_end.assign(static_cast<std::size_t>(rows) * width, kNoHole);
      for (int y = std::max(0, first); y < std::min(height, first + rows); ++y) {
        float* maxima = row_of(to_block_end, y);
        for (const HoleRun& run : runs_per_row[static_cast<std::size_t>(y)]) {
          const float background = run.background_disparity + 1e-3f;
          const int from = std::max(0, run.begin - window_px);
          const int to = std::min(width, run.end + window_px);
          for (int x = from; x < to; ++x) maxima[x] = std::max(maxima[x], background);
        }
      }
      // Along the columns: running maxima within blocks of window_rows rows.
      from_block_start = to_block_end;
      for (int i = 1; i < rows; ++i) {
        if (i % window_rows == 0) continue;
        const float* above = from_block_start.data() + static_cast<std::size_t>(i - 1) * width;
        float* row = from_block_start.data() + static_cast<std::size_t>(i) * width;
        for (int x = 0; x < width; ++x) row[x] = above[x] > row[x] ? above[x] : row[x];
      }
      for (int i = rows - 2; i >= 0; --i) {
        if ((i + 1) % window_rows == 0) continue;
        const float* below = to_block_end.data() + static_cast<std::size_t>(i + 1) * width;
        float* row = to_block_end.data() + static_cast<std::size_t>(i) * width;
        for (int x = 0; x < width; ++x) row[x] = below[x] > row[x] ? below[x] : row[x];
      }
      // The window of row y, rows y - window_px .. y + window_px: the maximum from its top row
      // to that block's end and the one from the next block's start to its bottom row; then
      // the test against each landed pixel's disparity.
      for (int y = y_begin; y < y_end; ++y) {
        const float* top = row_of(to_block_end, y - window_px);
        const float* bottom = row_of(from_block_start, y + window_px);
        const float* d = correspondence.disparity_px.ptr<float>(y);
        const std::uint8_t* valid = correspondence.valid.ptr<std::uint8_t>(y);
        std::uint8_t* k = known.ptr<std::uint8_t>(y);
        for (int x = 0; x < width; ++x) {
          const float nearby = top[x] > bottom[x] ? top[x] : bottom[x];
          if (valid[x] && nearby > kNoHole && d[x] > nearby + margin) k[x] = 0;
        }
      }
    }
  });
}

}  // namespace

const char* toString(FillMethod method) {
  switch (method) {
    case FillMethod::kNone:
      return "none";
    case FillMethod::kNaive:
      return "naive";
    case FillMethod::kTelea:
      return "telea";
    case FillMethod::kBackground:
      return "background";
  }
  return "unknown";
}

std::optional<FillMethod> fillMethodFromString(const std::string& text) {
  if (text == "warp-only") return FillMethod::kNone;
  for (FillMethod method :
       {FillMethod::kNone, FillMethod::kNaive, FillMethod::kTelea, FillMethod::kBackground}) {
    if (text == toString(method)) return method;
  }
  return std::nullopt;
}

namespace {

// Level 0 of the pull, in one pass: the binary weight (1 where known) and the known pixels'
// colour, 0 elsewhere.
void binaryLevel(const cv::Mat& image, const cv::Mat& known, cv::Mat& premultiplied,
                 cv::Mat& weight) {
  const int channels = image.channels();
  const int width = image.cols;
  premultiplied.create(image.size(), image.type());
  weight.create(image.size(), CV_32FC1);
  cv::parallel_for_(cv::Range(0, image.rows), [&](const cv::Range& rows) {
    for (int y = rows.start; y < rows.end; ++y) {
      const std::uint8_t* k = known.ptr<std::uint8_t>(y);
      const float* in = image.ptr<float>(y);
      float* p = premultiplied.ptr<float>(y);
      float* w = weight.ptr<float>(y);
      for (int x = 0; x < width; ++x) w[x] = k[x] != 0 ? 1.0f : 0.0f;
      if (channels == 3) {  // the colour images: a pixel at a time
        const auto* in3 = reinterpret_cast<const cv::Vec3f*>(in);
        auto* p3 = reinterpret_cast<cv::Vec3f*>(p);
        for (int x = 0; x < width; ++x) p3[x] = k[x] != 0 ? in3[x] : cv::Vec3f(0.0f, 0.0f, 0.0f);
        continue;
      }
      for (int x = 0; x < width; ++x) {
        for (int c = 0; c < channels; ++c) {
          p[x * channels + c] = k[x] != 0 ? in[x * channels + c] : 0.0f;
        }
      }
    }
  });
}

// One push step: what the level knows plus the coarser estimate where it lacks weight,
// premultiplied + (1 - min(weight, 1)) * upsampled, per channel, written over `upsampled`.
void pushLevel(const cv::Mat& premultiplied, const cv::Mat& weight, cv::Mat& upsampled) {
  const int channels = premultiplied.channels();
  const int width = premultiplied.cols;
  cv::parallel_for_(cv::Range(0, premultiplied.rows), [&](const cv::Range& rows) {
    for (int y = rows.start; y < rows.end; ++y) {
      const float* p = premultiplied.ptr<float>(y);
      const float* w = weight.ptr<float>(y);
      float* u = upsampled.ptr<float>(y);
      for (int x = 0; x < width; ++x) {
        const float missing = 1.0f - std::min(w[x], 1.0f);
        for (int c = 0; c < channels; ++c) {
          const int i = x * channels + c;
          u[i] = p[i] + u[i] * missing;
        }
      }
    }
  });
}

}  // namespace

cv::Mat pushPullInterpolate(const cv::Mat& image, const cv::Mat& known) {
  CV_Assert(image.depth() == CV_32F && known.type() == CV_8UC1 && image.size() == known.size());
  // Pull: pyramids of premultiplied colour and of weight (a normalised Gaussian pyramid).
  // Level 0 has binary weights: its premultiplied colour is the known pixels, 0 elsewhere.
  cv::Mat premultiplied;
  cv::Mat weight;
  binaryLevel(image, known, premultiplied, weight);
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
  cv::Mat top_weight = cv::max(weight_levels[top], 1e-12);
  if (image.channels() > 1) {
    const std::vector<cv::Mat> planes(static_cast<std::size_t>(image.channels()), top_weight);
    cv::merge(planes, top_weight);
  }
  cv::Mat estimate;
  cv::divide(premultiplied_levels[top], top_weight, estimate);
  for (std::size_t level = top; level-- > 1;) {
    cv::Mat upsampled;
    cv::pyrUp(estimate, upsampled, premultiplied_levels[level].size());
    pushLevel(premultiplied_levels[level], weight_levels[level], upsampled);
    estimate = upsampled;
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

namespace {

// The fill, with the result's disparity in `disparity_px`: a copy of the correspondence's, or
// its own pixels (every later read of the correspondence's disparity is at a landed pixel,
// which keeps its value).
FillResult fillInto(const cv::Mat& warped, const WarpCorrespondence& correspondence,
                    FillMethod method, const FillParams& params, cv::Mat disparity_px) {
  if (warped.type() != CV_32FC3 || warped.size() != correspondence.valid.size()) {
    throw InputError("occlusion fill: expected a float RGB view of the warp's size");
  }
  const int width = warped.cols;
  const int height = warped.rows;
  FillResult result;
  result.disparity_px = disparity_px;
  std::vector<std::vector<HoleRun>> runs_per_row(static_cast<std::size_t>(height));
  cv::parallel_for_(cv::Range(0, height), [&](const cv::Range& rows) {
    for (int y = rows.start; y < rows.end; ++y) {
      auto& runs = runs_per_row[static_cast<std::size_t>(y)];
      runs = findHoleRuns(correspondence.valid.ptr<std::uint8_t>(y),
                          correspondence.disparity_px.ptr<float>(y), width,
                          params.foreground_margin_px);
      float* d = result.disparity_px.ptr<float>(y);
      for (const HoleRun& run : runs)
        std::fill(d + run.begin, d + run.end, run.background_disparity);
    }
  });

  switch (method) {
    case FillMethod::kNone:
      result.foreground_guard = cv::Mat::zeros(warped.size(), CV_8UC1);
      result.image = warped.clone();
      result.background_fill = warped.clone();
      return result;
    case FillMethod::kNaive:
      result.foreground_guard = cv::Mat::zeros(warped.size(), CV_8UC1);
      result.image = fillNaive(warped, correspondence.valid, correspondence.disparity_px);
      result.background_fill = result.image;
      return result;
    case FillMethod::kTelea:
      result.foreground_guard = cv::Mat::zeros(warped.size(), CV_8UC1);
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
        const int reach =
            std::max(params.min_reach_px,
                     static_cast<int>(std::ceil(params.reach_factor * (run.end - run.begin))));
        const int step = run.foreground_x >= run.end ? 1 : -1;
        const float limit =
            run.background_disparity + static_cast<float>(params.foreground_margin_px);
        for (int i = 0, x = run.foreground_x; i < reach && x >= 0 && x < width; ++i, x += step) {
          if (!valid[x]) break;  // the next hole run handles itself
          if (d[x] > limit) k[x] = 0;
        }
      }
    }
  });
  if (params.guard_window_px > 0) {
    // Also hide, in 2-D, every pixel near a hole that is clearly nearer than that hole's
    // background (the foreground above or below a hole must not bleed in either); negative
    // disparities (behind the screen) included.
    hideForegroundNearHoles(correspondence, runs_per_row, params.guard_window_px,
                            params.foreground_margin_px, known);
  }
  cv::Mat smooth = pushPullInterpolate(warped, known);
  if (static_cast<float>(params.row_weight) > 0.0f) {
    blendRowEstimate(warped, known, runs_per_row, params, smooth);
  }
  // The fill where nothing landed, the warped view elsewhere; the guard: landed but hidden.
  const bool smooths_columns = params.vertical_sigma_px > 0.0;
  result.image.create(warped.size(), warped.type());
  result.foreground_guard.create(warped.size(), CV_8UC1);
  cv::parallel_for_(cv::Range(0, height), [&](const cv::Range& rows) {
    // Locals, not the captured references (byte stores may alias those).
    const int columns = width;
    const bool is_smoothing = smooths_columns;
    for (int y = rows.start; y < rows.end; ++y) {
      const std::uint8_t* valid = correspondence.valid.ptr<std::uint8_t>(y);
      const std::uint8_t* k = known.ptr<std::uint8_t>(y);
      const cv::Vec3f* w = warped.ptr<cv::Vec3f>(y);
      const cv::Vec3f* f = smooth.ptr<cv::Vec3f>(y);
      cv::Vec3f* out = result.image.ptr<cv::Vec3f>(y);
      std::uint8_t* guard = result.foreground_guard.ptr<std::uint8_t>(y);
      for (int x = 0; x < columns; ++x) {
        if (valid[x]) {
          out[x] = w[x];
        } else if (!is_smoothing) {
          out[x] = f[x];
        }
        guard[x] = valid[x] && !k[x] ? 255 : 0;
      }
    }
  });
  if (smooths_columns) {
    smoothHolesAlongColumns(smooth, correspondence.valid, runs_per_row, params.vertical_sigma_px,
                            result.image);
    // The background fill equals the image in the holes.
    cv::parallel_for_(cv::Range(0, height), [&](const cv::Range& rows) {
      for (int y = rows.start; y < rows.end; ++y) {
        const cv::Vec3f* in = result.image.ptr<cv::Vec3f>(y);
        cv::Vec3f* out = smooth.ptr<cv::Vec3f>(y);
        for (const HoleRun& run : runs_per_row[static_cast<std::size_t>(y)]) {
          std::copy(in + run.begin, in + run.end, out + run.begin);
        }
      }
    });
  }
  result.background_fill = smooth;
  return result;
}

}  // namespace

FillResult fillOcclusions(const cv::Mat& warped, const WarpCorrespondence& correspondence,
                          FillMethod method, const FillParams& params) {
  return fillInto(warped, correspondence, method, params, correspondence.disparity_px.clone());
}

FillResult fillOcclusions(const cv::Mat& warped, WarpCorrespondence&& correspondence,
                          FillMethod method, const FillParams& params) {
  return fillInto(warped, correspondence, method, params, correspondence.disparity_px);
}

}  // namespace genstereo
