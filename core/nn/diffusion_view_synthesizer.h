// The diffusion engine behind the engine-agnostic stereo synthesis (stereo_synthesis.h): any
// photo size in, the right view at the photo's own resolution out.
//
// Photos of any aspect ratio: the official code only takes squares (its issue #6) and returns
// a 768 x 768 view. Here the photo and its disparity are padded to a square (edge pixels
// repeated, centred), scaled to the models' working size (Pillow bicubic, as the official
// app; disparity nearest-neighbour and rescaled), run through the pipeline, and mapped back:
// the generated view and the fusion weights are scaled up and cropped to the photo. The final
// view then fuses the generated view with the sub-pixel warp of the full-resolution photo
// (the official fusion rule, M * W * warped + (1 - M * W) * generated, with the mask opened
// by the official 7 px kernel scaled to the photo), so visible pixels keep the photo's full
// detail and only disocclusions come from the model.
#pragma once

#include "genstereo/progress.h"
#include "nn/genstereo_pipeline.h"
#include "stereo/stereo_synthesis.h"

namespace genstereo {

// With DiffusionParams::tiles, photos larger than the working size are generated tiled at
// full resolution instead (nn/tiled_diffusion.h).
//
// `left01`: CV_32FC3 BGR [0,1]; `disparity_px`: dense CV_32FC1 at the photo's resolution.
// `cache`: the per-photo cache (nn/photo_condition_cache.h), or nullptr.
SynthesizedView synthesizeRightViewWithDiffusion(
    GenStereoModels& models, const cv::Mat& left01, const cv::Mat& disparity_px,
    const DiffusionParams& params, const DiffusionProgressCallback& progress = nullptr,
    const CancelToken& cancel = CancelToken(), PhotoConditionCache* cache = nullptr);

// The same as a RightViewSynthesizer (the models must outlive it).
RightViewSynthesizer makeDiffusionSynthesizer(GenStereoModels& models,
                                              const DiffusionParams& params,
                                              DiffusionProgressCallback progress = nullptr,
                                              const CancelToken& cancel = CancelToken(),
                                              PhotoConditionCache* cache = nullptr);

}  // namespace genstereo
