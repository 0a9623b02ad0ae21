#include "nn/diffusion_view_synthesizer.h"

#include <algorithm>
#include <cmath>

#include <opencv2/imgproc.hpp>

#include "image/pil_resize.h"
#include "io/image_io.h"
#include "nn/tiled_diffusion.h"
#include "stereo/occlusion_fill.h"
#include "stereo/subpixel_warp.h"

namespace genstereo {

SynthesizedView synthesizeRightViewWithDiffusion(GenStereoModels& models, const cv::Mat& left01,
                                                 const cv::Mat& disparity_px,
                                                 const DiffusionParams& params,
                                                 const DiffusionProgressCallback& progress,
                                                 const CancelToken& cancel,
                                                 PhotoConditionCache* cache) {
  const int size = models.config.working_size;
  if (params.tiles && (left01.cols > size || left01.rows > size)) {
    return synthesizeRightViewTiled(models, left01, disparity_px, params, progress, cancel, cache);
  }
  const int width = left01.cols;
  const int height = left01.rows;
  const int side = std::max(width, height);
  const int top = (side - height) / 2;
  const int left = (side - width) / 2;

  // Square, at the working size.
  cv::Mat padded_image, padded_disparity;
  cv::copyMakeBorder(left01, padded_image, top, side - height - top, left, side - width - left,
                     cv::BORDER_REPLICATE);
  cv::copyMakeBorder(disparity_px, padded_disparity, top, side - height - top, left,
                     side - width - left, cv::BORDER_REPLICATE);
  cv::Mat rgb8;
  cv::cvtColor(toUint8(padded_image), rgb8, cv::COLOR_BGR2RGB);
  const cv::Mat image_small = pilResize(rgb8, {size, size}, PilFilter::kBicubic);
  cv::Mat disparity_small;
  cv::resize(padded_disparity, disparity_small, {size, size}, 0, 0, cv::INTER_NEAREST);
  disparity_small *= static_cast<double>(size) / side;

  const DiffusionResult result = runGenStereoDiffusion(models, image_small, disparity_small, params,
                                                       progress, cancel, nullptr, cache);

  // Back to the photo: scale up, crop the padding.
  const cv::Rect photo(left, top, width, height);
  cv::Mat generated_square, weights_square;
  cv::resize(result.generated, generated_square, {side, side}, 0, 0, cv::INTER_CUBIC);
  cv::resize(result.fusion_weights, weights_square, {side, side}, 0, 0, cv::INTER_LINEAR);
  cv::Mat generated;
  cv::cvtColor(generated_square(photo), generated, cv::COLOR_RGB2BGR);
  generated = cv::min(cv::max(generated, 0.0), 1.0);
  const cv::Mat weights = weights_square(photo).clone();

  // Fuse with the full-resolution sub-pixel warp.
  SubpixelWarp warp = warpSubpixel(left01, disparity_px, WarpDirection::kLeftToRight);
  const int kernel = std::max(1, static_cast<int>(std::lround(7.0 * side / size))) | 1;
  cv::Mat opened;
  cv::morphologyEx(warp.correspondence.valid, opened, cv::MORPH_OPEN,
                   cv::Mat::ones(kernel, kernel, CV_8U));
  cv::Mat mask;
  opened.convertTo(mask, CV_32F);
  SynthesizedView view;
  view.fusion_weight = mask.mul(weights);
  cv::Mat share3;
  cv::Mat planes[] = {view.fusion_weight, view.fusion_weight, view.fusion_weight};
  cv::merge(planes, 3, share3);
  view.view = warp.image.mul(share3) + generated.mul(cv::Scalar::all(1.0) - share3);
  view.warped = warp.image;
  view.valid = warp.correspondence.valid;
  view.filled = generated;
  view.disparity_px =
      fillOcclusions(warp.image, warp.correspondence, FillMethod::kNone).disparity_px;
  return view;
}

RightViewSynthesizer makeDiffusionSynthesizer(GenStereoModels& models,
                                              const DiffusionParams& params,
                                              DiffusionProgressCallback progress,
                                              const CancelToken& cancel,
                                              PhotoConditionCache* cache) {
  return [&models, params, progress = std::move(progress), cancel, cache](
             const cv::Mat& left01, const cv::Mat& disparity) {
    return synthesizeRightViewWithDiffusion(models, left01, disparity, params, progress, cancel,
                                            cache);
  };
}

}  // namespace genstereo
