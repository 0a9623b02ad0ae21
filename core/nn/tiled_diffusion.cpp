#include "nn/tiled_diffusion.h"

#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

#include <opencv2/imgproc.hpp>

#include "errors.h"
#include "image/pil_resize.h"
#include "io/image_io.h"
#include "stereo/occlusion_fill.h"
#include "stereo/subpixel_warp.h"

namespace genstereo {

cv::Size tiledSize(cv::Size photo, int patch_px) {
  auto up = [patch_px](int length) { return (length + patch_px - 1) / patch_px * patch_px; };
  return {up(photo.width), up(photo.height)};
}

TiledGeneration generateTiled(const cv::Mat& photo_rgb8, const cv::Mat& tiled_disparity_px,
                              int patch_px, double overlap_ratio,
                              const TilePatchGenerator& generate, int feather_px) {
  const cv::Size size = tiledSize(photo_rgb8.size(), patch_px);
  if (photo_rgb8.type() != CV_8UC3 || tiled_disparity_px.type() != CV_32FC1 ||
      tiled_disparity_px.size() != size) {
    throw InputError("tiles: expected an 8-bit RGB photo and a float disparity of " +
                     std::to_string(size.width) + "x" + std::to_string(size.height) +
                     " px, found a disparity of " + std::to_string(tiled_disparity_px.cols) + "x" +
                     std::to_string(tiled_disparity_px.rows));
  }
  // Pillow returns a copy when the size does not change.
  auto lanczos = [](const cv::Mat& image, cv::Size to) {
    return image.size() == to ? image.clone() : pilResize(image, to, PilFilter::kLanczos);
  };
  TiledGeneration out;
  out.resized_rgb8 = lanczos(photo_rgb8, size);
  out.grid = makeTileGrid(size, patch_px, overlap_ratio);
  // Row by row (the official order: every row stitched, then joined below the rows before), so
  // only one row of patches is held at a time.
  TileStitcher stitcher(out.grid, 3, feather_px);
  const int columns = static_cast<int>(out.grid.xs.size());
  for (int r = 0; r < static_cast<int>(out.grid.ys.size()); ++r) {
    std::vector<std::vector<cv::Mat>> row(3);
    for (int c = 0; c < columns; ++c) {
      const int index = r * columns + c;
      const cv::Rect rect = out.grid.rect(index);
      TilePatchOutput patch =
          generate(out.resized_rgb8(rect).clone(), tiled_disparity_px(rect).clone(), index);
      row[0].push_back(patch.fused);
      row[1].push_back(patch.generated);
      row[2].push_back(patch.warped_share);
    }
    stitcher.addRow(row);
  }
  out.seams = stitcher.seams();
  out.fused = stitcher.mosaic(0);
  out.generated = stitcher.mosaic(1);
  out.warped_share = stitcher.mosaic(2);
  // torchvision to_pil_image: x * 255 truncated to uint8 (values are in [0, 1]).
  cv::Mat scaled = out.fused * 255.0f;
  cv::Mat truncated(scaled.size(), CV_8UC3);
  scaled.forEach<cv::Vec3f>([&truncated](const cv::Vec3f& v, const int* at) {
    cv::Vec3b& t = truncated.at<cv::Vec3b>(at[0], at[1]);
    for (int c = 0; c < 3; ++c) t[c] = static_cast<std::uint8_t>(std::clamp(v[c], 0.0f, 255.0f));
  });
  out.view_rgb8 = lanczos(truncated, photo_rgb8.size());
  return out;
}

SynthesizedView synthesizeRightViewTiled(GenStereoModels& models, const cv::Mat& left01,
                                         const cv::Mat& disparity_px, const DiffusionParams& params,
                                         const DiffusionProgressCallback& progress,
                                         const CancelToken& cancel, PhotoConditionCache* cache) {
  const int patch_px = models.config.working_size;
  const cv::Size photo = left01.size();
  const cv::Size size = tiledSize(photo, patch_px);
  cv::Mat rgb8;
  cv::cvtColor(toUint8(left01), rgb8, cv::COLOR_BGR2RGB);
  cv::Mat tiled_disparity;
  cv::resize(disparity_px, tiled_disparity, size, 0, 0, cv::INTER_NEAREST);
  tiled_disparity *= static_cast<double>(size.width) / photo.width;

  const int patches = makeTileGrid(size, patch_px, params.tile_overlap).count();
  const TilePatchGenerator generate = [&](const cv::Mat& patch_rgb8, const cv::Mat& patch_disparity,
                                          int index) {
    DiffusionProgressCallback patch_progress = nullptr;
    if (progress) {
      patch_progress = [&progress, index, patches](const DiffusionProgress& p) {
        progress(DiffusionProgress{index * p.total + p.step, patches * p.total, p.elapsed_s});
      };
    }
    // Independent start noise per patch (the official script draws each from the running RNG).
    DiffusionParams patch_params = params;
    patch_params.seed = params.seed + static_cast<std::uint64_t>(index);
    const DiffusionResult result = runGenStereoDiffusion(
        models, patch_rgb8, patch_disparity, patch_params, patch_progress, cancel, nullptr, cache);
    cv::Mat opened, mask;
    cv::morphologyEx(result.valid, opened, cv::MORPH_OPEN, cv::Mat::ones(7, 7, CV_8U));
    opened.convertTo(mask, CV_32F);
    return TilePatchOutput{result.fused, result.generated, result.fusion_weights.mul(mask)};
  };
  const TiledGeneration tiled = generateTiled(rgb8, tiled_disparity, patch_px, params.tile_overlap,
                                              generate, params.tile_feather_px);

  SynthesizedView view;
  cv::Mat view_bgr8;
  cv::cvtColor(tiled.view_rgb8, view_bgr8, cv::COLOR_RGB2BGR);
  view_bgr8.convertTo(view.view, CV_32FC3, 1.0 / 255.0);
  cv::Mat generated;
  cv::resize(tiled.generated, generated, photo, 0, 0, cv::INTER_AREA);
  cv::cvtColor(generated, view.filled, cv::COLOR_RGB2BGR);
  view.filled = cv::min(cv::max(view.filled, 0.0), 1.0);
  cv::resize(tiled.warped_share, view.fusion_weight, photo, 0, 0, cv::INTER_AREA);
  SubpixelWarp warp = warpSubpixel(left01, disparity_px, WarpDirection::kLeftToRight);
  view.warped = warp.image;
  view.valid = warp.correspondence.valid;
  view.disparity_px =
      fillOcclusions(warp.image, warp.correspondence, FillMethod::kNone).disparity_px;
  return view;
}

}  // namespace genstereo
