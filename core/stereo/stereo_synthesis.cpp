#include "stereo/stereo_synthesis.h"

#include <string>
#include <utility>
#include <vector>

#include <opencv2/core.hpp>

#include "errors.h"
#include "stereo/seam_blend.h"

namespace genstereo {

const char* toString(SynthesisEye eye) {
  switch (eye) {
    case SynthesisEye::kRight:
      return "right";
    case SynthesisEye::kLeft:
      return "left";
    case SynthesisEye::kBoth:
      return "both";
  }
  return "unknown";
}

std::optional<SynthesisEye> synthesisEyeFromString(const std::string& text) {
  for (SynthesisEye eye : {SynthesisEye::kRight, SynthesisEye::kLeft, SynthesisEye::kBoth}) {
    if (text == toString(eye)) return eye;
  }
  return std::nullopt;
}

const char* toString(WarpMode mode) { return mode == WarpMode::kInteger ? "integer" : "subpixel"; }

std::optional<WarpMode> warpModeFromString(const std::string& text) {
  for (WarpMode mode : {WarpMode::kInteger, WarpMode::kSubpixel}) {
    if (text == toString(mode)) return mode;
  }
  return std::nullopt;
}

SynthesizedView synthesizeView(const cv::Mat& source, const cv::Mat& dense_disparity_px,
                               WarpDirection direction, const SynthesisParams& params) {
  SynthesizedView view;
  WarpCorrespondence correspondence;
  if (params.warp == WarpMode::kSubpixel) {
    SubpixelWarp warp = warpSubpixel(source, dense_disparity_px, direction);
    correspondence = std::move(warp.correspondence);
    view.warped = warp.image;
  } else {
    correspondence = computeForwardWarp(dense_disparity_px, direction);
    view.warped = applyWarp(correspondence, source, 0.0);
  }
  view.valid = correspondence.valid;
  // The correspondence is not needed afterwards: the fill may reuse its disparity's pixels.
  FillResult fill =
      fillOcclusions(view.warped, std::move(correspondence), params.fill, params.fill_params);
  view.filled = fill.image;
  view.disparity_px = fill.disparity_px;
  const double feather = params.fill == FillMethod::kBackground ? params.feather_px : 0.0;
  // The fill is not needed afterwards: the blend may write into its background's pixels.
  SeamBlendResult blended = blendSeams(view.warped, view.valid, std::move(fill), feather);
  view.view = blended.image;
  view.fusion_weight = blended.weight;
  return view;
}

namespace {

SynthesizedView mirrored(const SynthesizedView& view) {
  SynthesizedView out;
  for (const auto& [from, to] : {std::pair<const cv::Mat*, cv::Mat*>{&view.warped, &out.warped},
                                 {&view.valid, &out.valid},
                                 {&view.filled, &out.filled},
                                 {&view.fusion_weight, &out.fusion_weight},
                                 {&view.view, &out.view},
                                 {&view.disparity_px, &out.disparity_px}}) {
    if (!from->empty()) cv::flip(*from, *to, 1);
  }
  return out;
}

// One view: the weight-free engine, or the given right-view synthesizer (mirrored for left).
SynthesizedView makeView(const cv::Mat& source, const cv::Mat& disparity, WarpDirection direction,
                         const SynthesisParams& params, const RightViewSynthesizer& synthesizer) {
  if (!synthesizer) return synthesizeView(source, disparity, direction, params);
  if (direction == WarpDirection::kLeftToRight) return synthesizer(source, disparity);
  cv::Mat flipped_source, flipped_disparity;
  cv::flip(source, flipped_source, 1);
  cv::flip(disparity, flipped_disparity, 1);
  return mirrored(synthesizer(flipped_source, flipped_disparity));
}

cv::Mat croppedColumns(const cv::Mat& image, cv::Range columns) {
  if (image.empty()) return image;
  return image.colRange(columns).clone();
}

void cropView(SynthesizedView& view, cv::Range columns) {
  for (cv::Mat* image : {&view.warped, &view.valid, &view.filled, &view.fusion_weight, &view.view,
                         &view.disparity_px}) {
    *image = croppedColumns(*image, columns);
  }
}

// Every image of `result` to the columns both eyes see.
void cropToStereoWindow(StereoResult& result) {
  std::vector<cv::Mat> masks = {result.synthesized.valid};
  if (!result.second.valid.empty()) masks.push_back(result.second.valid);
  const cv::Range columns = stereoWindowColumns(masks);
  result.left = croppedColumns(result.left, columns);
  result.right = croppedColumns(result.right, columns);
  result.disparity_px = croppedColumns(result.disparity_px, columns);
  cropView(result.synthesized, columns);
  cropView(result.second, columns);
  result.columns = columns;
}

}  // namespace

StereoResult synthesizeStereo(const cv::Mat& image, const DisparityMap& disparity,
                              const SynthesisParams& params, const RunProgressCallback& progress,
                              const CancelToken& cancel, const RightViewSynthesizer& synthesizer) {
  if (image.empty() || image.type() != CV_32FC3) {
    throw InputError("stereo synthesis: expected a float RGB image");
  }
  if (image.size() != disparity.values.size()) {
    throw InputError("the disparity map is " + std::to_string(disparity.width()) + "x" +
                     std::to_string(disparity.height()) + " but the image is " +
                     std::to_string(image.cols) + "x" + std::to_string(image.rows) +
                     "; they must have the same size");
  }
  const int total = params.eye == SynthesisEye::kBoth ? 3 : 2;
  auto report = [&](RunStage stage, int step) {
    if (cancel.isCancelled()) throw CancelledError();
    if (!progress) return;
    RunProgress p;
    p.stage = stage;
    p.step = step;
    p.total = total;
    p.fraction = static_cast<double>(step) / total;
    progress(p);
  };
  report(RunStage::kPreparing, 0);
  StereoResult result;
  cv::Mat dense_disparity_px = fillInvalidDisparity(disparity);
  ComfortShaping shaped =
      shapeForComfortInPlace(dense_disparity_px, params.shaping, params.comfort);
  result.disparity_px = std::move(shaped.disparity_px);
  result.baseline_scale = shaped.baseline_scale;
  result.screen_disparity_px = shaped.screen_disparity_px;
  result.is_range_limited = shaped.is_range_limited;
  if (params.border == BorderMode::kScreen) fadeDisparityToScreenBorder(result.disparity_px);
  switch (params.eye) {
    case SynthesisEye::kRight:
      report(RunStage::kSynthesizing, 1);
      result.synthesized =
          makeView(image, result.disparity_px, WarpDirection::kLeftToRight, params, synthesizer);
      result.left = image;
      result.right = result.synthesized.view;
      break;
    case SynthesisEye::kLeft:
      report(RunStage::kSynthesizing, 1);
      result.synthesized =
          makeView(image, result.disparity_px, WarpDirection::kRightToLeft, params, synthesizer);
      result.left = result.synthesized.view;
      result.right = image;
      break;
    case SynthesisEye::kBoth: {
      const cv::Mat half = result.disparity_px * 0.5;
      report(RunStage::kSynthesizing, 1);
      result.synthesized = makeView(image, half, WarpDirection::kLeftToRight, params, synthesizer);
      report(RunStage::kSynthesizing, 2);
      result.second = makeView(image, half, WarpDirection::kRightToLeft, params, synthesizer);
      result.left = result.second.view;
      result.right = result.synthesized.view;
      break;
    }
  }
  if (params.border == BorderMode::kCrop) cropToStereoWindow(result);
  report(RunStage::kDone, total);
  return result;
}

}  // namespace genstereo
