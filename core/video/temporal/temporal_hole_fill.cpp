#include "video/temporal/temporal_hole_fill.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <string>

#include <opencv2/imgproc.hpp>

#include "errors.h"
#include "stereo/occlusion_fill.h"
#include "video/temporal/backward_flow.h"

namespace genstereo {
namespace {

// Visible pixels within this distance (at flow size) of a hole do not give their flow to the
// interpolation: DIS patches there also see the per-frame fill, which moves with the
// foreground (measured on the test pan: the background flow beside the band drops from 2.0 to
// about 1.75 px per frame without this margin, and the carried band drifts).
constexpr int kHoleMarginPx = 4;

std::string sizeText(const cv::Size& size) {
  return std::to_string(size.width) + "x" + std::to_string(size.height);
}

void checkView(const SynthesizedView& view) {
  const cv::Mat& image = view.view;
  if (image.empty() || image.type() != CV_32FC3) {
    throw InputError("temporal hole fill: expected the synthesised view as CV_32FC3, got type " +
                     std::to_string(image.type()) + " of " + sizeText(image.size()));
  }
  if (view.valid.type() != CV_8UC1 || view.valid.size() != image.size()) {
    throw InputError("temporal hole fill: expected a CV_8UC1 validity mask of " +
                     sizeText(image.size()) + ", got type " + std::to_string(view.valid.type()) +
                     " of " + sizeText(view.valid.size()));
  }
  if (view.disparity_px.type() != CV_32FC1 || view.disparity_px.size() != image.size()) {
    throw InputError("temporal hole fill: expected a CV_32FC1 disparity of " +
                     sizeText(image.size()) + ", got type " +
                     std::to_string(view.disparity_px.type()) + " of " +
                     sizeText(view.disparity_px.size()));
  }
  if (!view.warped.empty() &&
      (view.warped.type() != CV_32FC3 || view.warped.size() != image.size())) {
    throw InputError("temporal hole fill: expected the warped view as CV_32FC3 of " +
                     sizeText(image.size()));
  }
}

// Bilinear sample of a CV_32FC(n) map at (u, v), clamped to the map.
template <int N>
cv::Vec<float, N> sampleClamped(const cv::Mat& map, float u, float v) {
  u = std::min(std::max(u, 0.0f), static_cast<float>(map.cols - 1));
  v = std::min(std::max(v, 0.0f), static_cast<float>(map.rows - 1));
  const int u0 = static_cast<int>(u);
  const int v0 = static_cast<int>(v);
  const int u1 = std::min(u0 + 1, map.cols - 1);
  const int v1 = std::min(v0 + 1, map.rows - 1);
  const float fu = u - static_cast<float>(u0);
  const float fv = v - static_cast<float>(v0);
  using Vec = cv::Vec<float, N>;
  const Vec top = map.ptr<Vec>(v0)[u0] * (1.0f - fu) + map.ptr<Vec>(v0)[u1] * fu;
  const Vec bottom = map.ptr<Vec>(v1)[u0] * (1.0f - fu) + map.ptr<Vec>(v1)[u1] * fu;
  return top * (1.0f - fv) + bottom * fv;
}

// CV_8UC1 at `size`, 1 where any pixel of the full-size area is a hole.
cv::Mat holesAt(const cv::Mat& valid, cv::Size size) {
  cv::Mat holes = valid == 0;
  if (holes.size() != size) {
    cv::Mat small;
    cv::resize(holes, small, size, 0.0, 0.0, cv::INTER_AREA);
    holes = small > 0;
  }
  return holes / 255;
}

// The step of one frame at flow size: where each pixel of frame t lies in frame t-1 (absolute
// flow-size coordinates) and how far that can be trusted.
struct Step {
  cv::Mat map;         // CV_32FC2
  cv::Mat confidence;  // CV_32FC1 in {0, 1}
};

// DIS flow on the visible background; in the holes, within kHoleMarginPx of them and on what is
// nearer than their background (larger disparity, the engine's fill convention), the push-pull
// interpolation of the confident background flow around them, trusted (confidence 1: the
// disparity check where the track lands guards it). Elsewhere, pixels whose forward-backward
// flow disagrees get confidence 0.
Step backgroundStep(cv::DISOpticalFlow& estimator, const cv::Mat& previous_gray,
                    const cv::Mat& gray, const cv::Mat& holes, const cv::Mat& disparity_small,
                    double max_fb_error_px, double max_disparity_error_px) {
  const BackwardFlow flow = computeBackwardFlow(estimator, previous_gray, gray, max_fb_error_px);
  const cv::Size size = gray.size();
  // 1 where the flow is replaced by the interpolated background's: the holes, the visible
  // pixels next to them (DIS patches there see the per-frame fill), and what is nearer than
  // the holes' background (the foreground that made them).
  cv::Mat replaced;
  cv::dilate(
      holes, replaced,
      cv::getStructuringElement(cv::MORPH_RECT, {2 * kHoleMarginPx + 1, 2 * kHoleMarginPx + 1}));
  if (cv::countNonZero(holes) > 0) {
    const cv::Mat background_disparity = pushPullInterpolate(disparity_small, holes);
    const float margin = static_cast<float>(max_disparity_error_px);
    for (int y = 0; y < size.height; ++y) {
      const float* d = disparity_small.ptr<float>(y);
      const float* b = background_disparity.ptr<float>(y);
      std::uint8_t* r = replaced.ptr<std::uint8_t>(y);
      for (int x = 0; x < size.width; ++x) {
        if (d[x] > b[x] + margin) r[x] = 1;
      }
    }
  }
  cv::Mat known(size, CV_8UC1);
  Step step;
  step.confidence.create(size, CV_32FC1);
  for (int y = 0; y < size.height; ++y) {
    const std::uint8_t* r = replaced.ptr<std::uint8_t>(y);
    const float* c = flow.confidence.ptr<float>(y);
    std::uint8_t* k = known.ptr<std::uint8_t>(y);
    float* out = step.confidence.ptr<float>(y);
    for (int x = 0; x < size.width; ++x) {
      k[x] = !r[x] && c[x] > 0.0f ? 1 : 0;
      out[x] = r[x] || c[x] > 0.0f ? 1.0f : 0.0f;
    }
  }
  cv::Mat components[2];
  cv::split(flow.flow_px, components);
  if (cv::countNonZero(known) > 0) {
    for (cv::Mat& component : components) component = pushPullFill(component, known);
  } else {
    step.confidence.setTo(0.0f);
  }
  step.map.create(size, CV_32FC2);
  for (int y = 0; y < size.height; ++y) {
    const float* fx = components[0].ptr<float>(y);
    const float* fy = components[1].ptr<float>(y);
    cv::Vec2f* m = step.map.ptr<cv::Vec2f>(y);
    for (int x = 0; x < size.width; ++x) {
      m[x] = cv::Vec2f(static_cast<float>(x) + fx[x], static_cast<float>(y) + fy[x]);
    }
  }
  return step;
}

}  // namespace

TemporalHoleFill::TemporalHoleFill(TemporalFillSettings settings) : settings_(settings) {
  if (settings_.window < 0) {
    throw InputError("temporal hole fill: window must not be negative, got " +
                     std::to_string(settings_.window));
  }
  if (!(settings_.blend > 0.0 && settings_.blend <= 1.0)) {
    throw InputError("temporal hole fill: blend must be in (0, 1], got " +
                     std::to_string(settings_.blend));
  }
  if (!(settings_.min_confidence > 0.0 && settings_.min_confidence <= 1.0)) {
    throw InputError("temporal hole fill: min_confidence must be in (0, 1], got " +
                     std::to_string(settings_.min_confidence));
  }
  if (!(settings_.max_disparity_error_px > 0.0)) {
    throw InputError("temporal hole fill: max_disparity_error_px must be positive, got " +
                     std::to_string(settings_.max_disparity_error_px));
  }
  if (!(settings_.feather_px >= 0.0)) {
    throw InputError("temporal hole fill: feather_px must not be negative, got " +
                     std::to_string(settings_.feather_px));
  }
  if (settings_.flow_short_side < 16) {
    throw InputError("temporal hole fill: flow_short_side must be at least 16 px, got " +
                     std::to_string(settings_.flow_short_side));
  }
  if (!(settings_.max_fb_error_px > 0.0)) {
    throw InputError("temporal hole fill: max_fb_error_px must be positive, got " +
                     std::to_string(settings_.max_fb_error_px));
  }
  flow_ = createFlowEstimator();
}

TemporalHoleFill::~TemporalHoleFill() = default;

cv::Mat TemporalHoleFill::push(const SynthesizedView& view) {
  checkView(view);
  last_carried_ = 0.0;
  if (settings_.window == 0) return view.view.clone();
  const cv::Size size = view.view.size();
  const bool is_first = previous_gray_.empty();
  if (!is_first && size != image_size_) {
    throw InputError("temporal hole fill: frame size changed within a scene, from " +
                     sizeText(image_size_) + " to " + sizeText(size));
  }
  const cv::Size flow_size = flowSize(size, settings_.flow_short_side);
  cv::Mat gray;
  {
    cv::Mat small = view.view;
    if (size != flow_size) cv::resize(view.view, small, flow_size, 0.0, 0.0, cv::INTER_AREA);
    cv::Mat gray01;
    cv::cvtColor(small, gray01, cv::COLOR_BGR2GRAY);
    gray01.convertTo(gray, CV_8U, 255.0);
  }
  const cv::Mat holes_small = holesAt(view.valid, flow_size);

  // Follow every kept frame one step further back: its track from frame t-1 becomes one from t.
  if (!kept_.empty()) {
    cv::Mat disparity_small = view.disparity_px;
    if (size != flow_size) {
      cv::resize(view.disparity_px, disparity_small, flow_size, 0.0, 0.0, cv::INTER_AREA);
    }
    const Step step = backgroundStep(*flow_, previous_gray_, gray, holes_small, disparity_small,
                                     settings_.max_fb_error_px, settings_.max_disparity_error_px);
    for (Entry& entry : kept_) {
      if (entry.track.empty()) {
        entry.track = step.map;
        entry.track_confidence = step.confidence;
        continue;
      }
      cv::Mat track;
      cv::Mat confidence;
      cv::remap(entry.track, track, step.map, cv::noArray(), cv::INTER_LINEAR,
                cv::BORDER_REPLICATE);
      cv::remap(entry.track_confidence, confidence, step.map, cv::noArray(), cv::INTER_LINEAR,
                cv::BORDER_CONSTANT, cv::Scalar(0.0));
      entry.track = track;
      entry.track_confidence = confidence.mul(step.confidence);
    }
  }

  cv::Mat output = view.view.clone();
  const std::int64_t hole_count =
      static_cast<std::int64_t>(size.area()) - cv::countNonZero(view.valid);
  if (!kept_.empty() && hole_count > 0) {
    // The carried colour goes straight into `output` at the hole pixels that found one
    // (`carried` = 255 there); the ramp below blends it with the per-frame fill.
    cv::Mat carried(size, CV_8UC1, cv::Scalar(0));
    const float scale_x = static_cast<float>(flow_size.width) / static_cast<float>(size.width);
    const float scale_y = static_cast<float>(flow_size.height) / static_cast<float>(size.height);
    const float max_x = static_cast<float>(size.width - 1);
    const float max_y = static_cast<float>(size.height - 1);
    const float min_confidence = static_cast<float>(settings_.min_confidence);
    const float max_disparity_error = static_cast<float>(settings_.max_disparity_error_px);
    cv::parallel_for_(cv::Range(0, size.height), [&](const cv::Range& rows) {
      for (int y = rows.start; y < rows.end; ++y) {
        const std::uint8_t* valid = view.valid.ptr<std::uint8_t>(y);
        const float* hole_disparity = view.disparity_px.ptr<float>(y);
        cv::Vec3f* out = output.ptr<cv::Vec3f>(y);
        std::uint8_t* is_carried = carried.ptr<std::uint8_t>(y);
        const float v = (static_cast<float>(y) + 0.5f) * scale_y - 0.5f;
        for (int x = 0; x < size.width; ++x) {
          if (valid[x]) continue;
          const float u = (static_cast<float>(x) + 0.5f) * scale_x - 0.5f;
          for (const Entry& entry : kept_) {
            const float confidence = sampleClamped<1>(entry.track_confidence, u, v)[0];
            if (confidence < min_confidence) continue;
            const cv::Vec2f at = sampleClamped<2>(entry.track, u, v);
            const float sx = (at[0] + 0.5f) / scale_x - 0.5f;
            const float sy = (at[1] + 0.5f) / scale_y - 0.5f;
            if (!(sx >= 0.0f && sx <= max_x && sy >= 0.0f && sy <= max_y)) continue;
            const int x0 = static_cast<int>(sx);
            const int y0 = static_cast<int>(sy);
            const int x1 = std::min(x0 + 1, size.width - 1);
            const int y1 = std::min(y0 + 1, size.height - 1);
            const float fx = sx - static_cast<float>(x0);
            const float fy = sy - static_cast<float>(y0);
            const int xs[4] = {x0, x1, x0, x1};
            const int ys[4] = {y0, y0, y1, y1};
            const float ws[4] = {(1.0f - fx) * (1.0f - fy), fx * (1.0f - fy), (1.0f - fx) * fy,
                                 fx * fy};
            float seen_weight = 0.0f;
            float disparity = 0.0f;
            cv::Vec3f colour(0.0f, 0.0f, 0.0f);
            for (int i = 0; i < 4; ++i) {
              if (ws[i] <= 0.0f || !entry.seen.ptr<std::uint8_t>(ys[i])[xs[i]]) continue;
              seen_weight += ws[i];
              disparity += ws[i] * entry.disparity.ptr<float>(ys[i])[xs[i]];
              colour += entry.image.ptr<cv::Vec3f>(ys[i])[xs[i]] * ws[i];
            }
            if (seen_weight <= 0.0f || seen_weight * confidence < min_confidence) continue;
            disparity /= seen_weight;
            if (std::abs(disparity - hole_disparity[x]) > max_disparity_error) continue;
            out[x] = colour * (1.0f / seen_weight);
            is_carried[x] = 255;
            break;
          }
        }
      }
    });
    const int carried_count = cv::countNonZero(carried);
    last_carried_ = static_cast<double>(carried_count) / static_cast<double>(hole_count);
    if (carried_count > 0) {
      // Weight of the carried colour: `blend`, ramped from the edge of the carried area
      // (distance 1 gives 1 / (feather + 1), as the engine's seam blend).
      const int margin = static_cast<int>(std::ceil(settings_.feather_px)) + 2;
      cv::Rect box = cv::boundingRect(carried);
      box = cv::Rect(box.x - margin, box.y - margin, box.width + 2 * margin,
                     box.height + 2 * margin) &
            cv::Rect(0, 0, size.width, size.height);
      cv::Mat distance;
      cv::distanceTransform(carried(box), distance, cv::DIST_L2, cv::DIST_MASK_5);
      const float ramp = static_cast<float>(1.0 / (settings_.feather_px + 1.0));
      const float blend = static_cast<float>(settings_.blend);
      for (int y = 0; y < box.height; ++y) {
        const std::uint8_t* is_carried = carried.ptr<std::uint8_t>(box.y + y) + box.x;
        const float* d = distance.ptr<float>(y);
        const cv::Vec3f* fill = view.view.ptr<cv::Vec3f>(box.y + y) + box.x;
        cv::Vec3f* out = output.ptr<cv::Vec3f>(box.y + y) + box.x;
        for (int x = 0; x < box.width; ++x) {
          if (!is_carried[x]) continue;
          const float weight =
              settings_.feather_px > 0.0 ? blend * std::min(1.0f, d[x] * ramp) : blend;
          out[x] = fill[x] + (out[x] - fill[x]) * weight;
        }
      }
    }
  }

  if (static_cast<int>(kept_.size()) == settings_.window) kept_.pop_back();
  Entry entry;
  entry.image = (view.warped.empty() ? view.view : view.warped).clone();
  cv::erode(view.valid != 0, entry.seen, cv::getStructuringElement(cv::MORPH_RECT, {3, 3}),
            cv::Point(-1, -1), 1, cv::BORDER_CONSTANT, cv::Scalar(255));
  entry.seen /= 255;
  entry.disparity = view.disparity_px.clone();
  kept_.push_front(std::move(entry));
  previous_gray_ = gray;
  image_size_ = size;
  return output;
}

void TemporalHoleFill::reset() {
  previous_gray_.release();
  kept_.clear();
  image_size_ = cv::Size();
  last_carried_ = 0.0;
}

double TemporalHoleFill::lastCarriedFraction() const { return last_carried_; }

}  // namespace genstereo
