// Tiled generation at full resolution, with the semantics of the official
// test_arbitrary_size.py (GENSTEREO.md, "Arbitrary size"): the photo is resized (Pillow
// LANCZOS) up to multiples of the patch (the models' working size: 768 px for v2.1, 512 for
// v1.5), cut into square patches with overlap (default 0.5), each patch runs through the whole
// pipeline with its own slice of the disparity (values unchanged) and is fused with its own
// warp (per-patch fusion), the fused patches are stitched along L1-minimal straight seams
// (nn/tile_mosaic.h), and the mosaic, truncated to 8 bits as torchvision's to_pil_image does,
// is resized (LANCZOS) back to the photo.
#pragma once

#include <functional>

#include <opencv2/core.hpp>

#include "genstereo/progress.h"
#include "nn/genstereo_pipeline.h"
#include "nn/tile_mosaic.h"
#include "stereo/stereo_synthesis.h"

namespace genstereo {

class PhotoConditionCache;

// One patch's products, patch-sized: RGB CV_32FC3 [0,1] fused and generated views, and the
// CV_32FC1 share of the warped pixel in the fused view (fusion weight times opened mask).
struct TilePatchOutput {
  cv::Mat fused;
  cv::Mat generated;
  cv::Mat warped_share;
};
// `patch_rgb8` CV_8UC3 RGB and `patch_disparity_px` CV_32FC1, patch-sized; `index` row-major.
using TilePatchGenerator = std::function<TilePatchOutput(
    const cv::Mat& patch_rgb8, const cv::Mat& patch_disparity_px, int index)>;

struct TiledGeneration {
  cv::Mat resized_rgb8;  // the photo at the tiled size
  TileGrid grid;
  TileSeams seams;  // found on the fused patches
  cv::Mat fused;    // mosaics at the tiled size (RGB)
  cv::Mat generated;
  cv::Mat warped_share;
  cv::Mat view_rgb8;  // the fused mosaic, truncated to 8 bits, at the photo's size
};

// The photo's sides rounded up to multiples of `patch_px`.
cv::Size tiledSize(cv::Size photo, int patch_px);

// `photo_rgb8` CV_8UC3 RGB; `tiled_disparity_px` CV_32FC1 at tiledSize(photo), in pixels at
// that size.
// `feather_px` 0: the official straight seams; > 0: feathered seams (nn/tile_mosaic.h).
TiledGeneration generateTiled(const cv::Mat& photo_rgb8, const cv::Mat& tiled_disparity_px,
                              int patch_px, double overlap_ratio,
                              const TilePatchGenerator& generate, int feather_px = 0);

// The engine's tiled right view: `left01` CV_32FC3 BGR [0,1], `disparity_px` at the photo's
// size (resized nearest to the tiled size, values scaled by the width ratio). The view is the
// official mosaic; `filled` and `fusion_weight` are the generated and share mosaics resized
// back; `warped`, `valid`, `disparity_px` come from the full-resolution sub-pixel warp (as the
// untiled path). Progress counts the steps of every patch. Patch i starts from the noise of
// seed + i (the official script draws each patch's noise from the running RNG).
SynthesizedView synthesizeRightViewTiled(GenStereoModels& models, const cv::Mat& left01,
                                         const cv::Mat& disparity_px, const DiffusionParams& params,
                                         const DiffusionProgressCallback& progress,
                                         const CancelToken& cancel, PhotoConditionCache* cache);

}  // namespace genstereo
