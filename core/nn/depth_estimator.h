// Monocular depth for "any photo becomes a stereo pair": Depth Anything V2 (ViT-S, ViT-B,
// ViT-L) run on a photo with the official preprocessing, resized back to the photo's size,
// optionally shaped, and converted to disparity with the official GenStereo rule.
// This header does not include LibTorch (the model lives behind a pointer to implementation),
// so the CLI and the GUI can include it cheaply; link genstereo_nn.
#pragma once

#include <filesystem>
#include <memory>
#include <optional>
#include <string>

#include <opencv2/core.hpp>

#include "genstereo/depth_model_size.h"
#include "io/disparity_io.h"
#include "nn/depth_model_size.h"
#include "stereo/depth_shaping.h"
#include "stereo/disparity_preparation.h"

namespace genstereo {

struct DepthModelOptions {
  // The checkpoint: `checkpoint` when set, else found in `models_dir` with findDepthCheckpoint.
  std::filesystem::path checkpoint;
  std::filesystem::path models_dir;
  DepthModelSize size = DepthModelSize::kAuto;
  // Official infer_image input_size: the shorter side is resized to at least this and both
  // sides to multiples of 14 (aspect ratio kept, "lower_bound", cubic).
  int input_size = 518;
  DepthResize resize = DepthResize::kEdgeAware;
  // kEdgeAware: a 2x2 neighbourhood whose depths differ by more than this fraction of the
  // map's range is treated as a depth edge.
  double edge_threshold = 0.04;
  DepthShaping shaping;
  // Official GenStereo conversion: disparity_px = normalised depth * max_disparity_fraction *
  // width.
  DepthConversion conversion;
  // LibTorch intra-op threads; 0 leaves the process setting as it is (LibTorch 1.13 picks 1
  // on the 2-core reference machine, so callers should set it).
  int num_threads = 0;
  // Compute in bfloat16 (weights converted once at load; LayerNorm statistics, the head's
  // output and the resize in float32). Fast on CPUs with AVX512-BF16 or AMX-BF16 only.
  bool bfloat16 = false;
};

// Where the checkpoint for `size` is expected: `models_dir`/depth_anything_v2_{vits,vitb,vitl}.pth
// or .safetensors (the .pth first), else the catalogue's file in the Hugging Face cache
// (models/model_file_lookup.h). kAuto takes the largest size present (ViT-L, then ViT-B,
// then ViT-S). Throws InputError when it is absent, with the message
//   "no Depth Anything V2 ViT-S checkpoint: expected 'DIR/depth_anything_v2_vits.pth' (or
//   .safetensors),
//    e.g. from https://huggingface.co/depth-anything/Depth-Anything-V2-Small; put it there,
//    or give a disparity map with --disparity or a depth map with --depth"
// (for kAuto the three file names are listed).
std::filesystem::path findDepthCheckpoint(const std::filesystem::path& models_dir,
                                          DepthModelSize size);

// The model's working size for a width x height photo (official Resize, "lower_bound",
// multiple of 14; numpy's round-half-to-even).
cv::Size depthWorkingSize(cv::Size image_size, int input_size);

// Official image2tensor without the tensor: BGR -> RGB, / 255 (in double, as numpy), resize to
// depthWorkingSize with cv::INTER_CUBIC (in double), ImageNet mean/std, then float32.
// `bgr` is CV_8UC3 (exact official path) or CV_32FC3 in [0, 1] (the engine's image
// convention). Returns CV_32FC3, RGB order, HWC. Throws InputError for another type.
cv::Mat preprocessForDepth(const cv::Mat& bgr, int input_size);

struct DepthAnythingV2Config;

// Results of one photo.
struct DepthEstimate {
  DisparityMap depth;   // the model's relative inverse depth at the photo's size (larger = nearer)
  DisparityMap shaped;  // after DepthShaping (a copy of `depth` with neutral shaping)
  DisparityMap disparity;  // disparity_px from `shaped` (official conversion)
  cv::Size working_size;   // the resolution the model ran at
};

// A loaded Depth Anything V2 model; reuse it for many photos. Not thread-safe.
class DepthEstimator {
 public:
  // Finds (see findDepthCheckpoint) and loads the checkpoint. The size is detected from the
  // file; an explicit size that differs throws CheckpointError "'FILE' is a ViT-B (embed dim
  // 768) checkpoint but ViT-S was selected". Other mismatches name the keys.
  explicit DepthEstimator(const DepthModelOptions& options);
  // A model of an explicit architecture (test models); options.checkpoint must be set.
  DepthEstimator(const DepthModelOptions& options, const DepthAnythingV2Config& architecture);
  ~DepthEstimator();
  DepthEstimator(const DepthEstimator&) = delete;
  DepthEstimator& operator=(const DepthEstimator&) = delete;

  DepthModelSize size() const;  // kAuto for an explicit architecture
  const std::filesystem::path& checkpointPath() const;
  const DepthModelOptions& options() const;

  // The model's relative inverse depth at the photo's size (CV_32FC1). `image` is CV_8UC3 or
  // CV_32FC3 [0, 1], BGR. Official infer_image when options.resize is kBilinear.
  cv::Mat estimateDepth(const cv::Mat& image) const;
  // Depth, shaping and disparity. Throws InputError for an empty or unsupported image.
  DepthEstimate estimate(const cv::Mat& image) const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// One-shot convenience: loads the model of `options`, estimates the photo's depth and returns
// the disparity in pixels (official conversion after shaping). `image01` is CV_32FC3 BGR in
// [0, 1]. For several photos, keep a DepthEstimator instead (loading ViT-L takes seconds).
DisparityMap estimateDisparity(const cv::Mat& image01, const DepthModelOptions& options);

}  // namespace genstereo
