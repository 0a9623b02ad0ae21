#include "nn/depth_estimator.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <cmath>
#include <vector>

#include <ATen/Parallel.h>
#include <ATen/ops/from_blob.h>
#include <ATen/ops/upsample_bilinear2d.h>
#include <c10/core/InferenceMode.h>
#include <c10/util/Exception.h>
#include <opencv2/imgproc.hpp>

#include "errors.h"
#include "models/hf_cache.h"
#include "models/model_file_lookup.h"
#include "nn/compute_precision.h"
#include "nn/depth_anything_v2.h"

namespace genstereo {

namespace {

constexpr int kPatchSize = 14;
constexpr std::array<double, 3> kMeanRgb = {0.485, 0.456, 0.406};
constexpr std::array<double, 3> kStdRgb = {0.229, 0.224, 0.225};

const char* hfRepo(DepthModelSize size) {
  switch (size) {
    case DepthModelSize::kSmall:
      return "https://huggingface.co/depth-anything/Depth-Anything-V2-Small";
    case DepthModelSize::kBase:
      return "https://huggingface.co/depth-anything/Depth-Anything-V2-Base";
    case DepthModelSize::kLarge:
    case DepthModelSize::kAuto:
      break;
  }
  return "https://huggingface.co/depth-anything/Depth-Anything-V2-Large";
}

// Official Resize.constrain_to_multiple_of with min_val (np.round: half to even).
int constrainToMultiple(double x, int min_value) {
  int y = static_cast<int>(std::nearbyint(x / kPatchSize)) * kPatchSize;
  if (y < min_value) y = static_cast<int>(std::ceil(x / kPatchSize)) * kPatchSize;
  return y;
}

cv::Mat matFromTensor(const at::Tensor& tensor2d) {
  const at::Tensor contiguous = tensor2d.contiguous();
  cv::Mat wrapped(static_cast<int>(contiguous.size(0)), static_cast<int>(contiguous.size(1)),
                  CV_32FC1, contiguous.data_ptr<float>());
  return wrapped.clone();
}

cv::Mat toFloat01(const cv::Mat& image) {
  if (image.type() == CV_32FC3) return image;
  cv::Mat out;
  image.convertTo(out, CV_32F, 1.0 / 255.0);
  return out;
}

void checkImage(const cv::Mat& image) {
  if (image.empty() || (image.type() != CV_8UC3 && image.type() != CV_32FC3)) {
    throw InputError(
        "depth estimation needs a non-empty 3-channel BGR image (8-bit, or float in [0, 1])");
  }
}

}  // namespace

std::filesystem::path findDepthCheckpoint(const std::filesystem::path& models_dir,
                                          DepthModelSize size) {
  const std::vector<DepthModelSize> sizes =
      size == DepthModelSize::kAuto
          ? std::vector<DepthModelSize>{DepthModelSize::kLarge, DepthModelSize::kBase,
                                        DepthModelSize::kSmall}
          : std::vector<DepthModelSize>{size};
  for (DepthModelSize candidate : sizes) {
    if (auto found = findModelFile(models_dir, depthCheckpointFileName(candidate))) return *found;
  }
  const std::string hint =
      " (nor in the Hugging Face cache '" + hfHubCacheDir().string() +
      "'); put it there, or give a disparity map with --disparity or a depth map with --depth";
  if (size != DepthModelSize::kAuto) {
    throw InputError(std::string("no Depth Anything V2 ") + displayName(size) +
                     " checkpoint: expected '" +
                     (models_dir / depthCheckpointFileName(size)).string() +
                     "' (or .safetensors), e.g. from " + hfRepo(size) + hint);
  }
  throw InputError("no Depth Anything V2 checkpoint in '" + models_dir.string() +
                   "': expected depth_anything_v2_vitl.pth, depth_anything_v2_vitb.pth or "
                   "depth_anything_v2_vits.pth (or .safetensors), e.g. from " +
                   hfRepo(DepthModelSize::kSmall) + hint);
}

cv::Size depthWorkingSize(cv::Size image_size, int input_size) {
  if (image_size.width <= 0 || image_size.height <= 0 || input_size < kPatchSize) {
    throw InputError(
        "depth working size: needs a non-empty image and an input size of at least 14, got " +
        std::to_string(image_size.width) + "x" + std::to_string(image_size.height) +
        " and input size " + std::to_string(input_size));
  }
  double scale_h = static_cast<double>(input_size) / image_size.height;
  double scale_w = static_cast<double>(input_size) / image_size.width;
  // "lower_bound": the larger scale for both sides, so that both are >= input_size.
  if (scale_w > scale_h) {
    scale_h = scale_w;
  } else {
    scale_w = scale_h;
  }
  return {constrainToMultiple(scale_w * image_size.width, input_size),
          constrainToMultiple(scale_h * image_size.height, input_size)};
}

cv::Mat preprocessForDepth(const cv::Mat& bgr, int input_size) {
  checkImage(bgr);
  cv::Mat rgb64(bgr.size(), CV_64FC3);
  for (int y = 0; y < bgr.rows; ++y) {
    cv::Vec3d* out = rgb64.ptr<cv::Vec3d>(y);
    if (bgr.type() == CV_8UC3) {
      const cv::Vec3b* in = bgr.ptr<cv::Vec3b>(y);
      for (int x = 0; x < bgr.cols; ++x) {
        // numpy's uint8 / 255.0: a true division in double.
        for (int c = 0; c < 3; ++c) out[x][c] = static_cast<double>(in[x][2 - c]) / 255.0;
      }
    } else {
      const cv::Vec3f* in = bgr.ptr<cv::Vec3f>(y);
      for (int x = 0; x < bgr.cols; ++x) {
        for (int c = 0; c < 3; ++c) out[x][c] = static_cast<double>(in[x][2 - c]);
      }
    }
  }
  const cv::Size working = depthWorkingSize(bgr.size(), input_size);
  cv::Mat resized;
  cv::resize(rgb64, resized, working, 0, 0, cv::INTER_CUBIC);
  cv::Mat normalised(working, CV_32FC3);
  for (int y = 0; y < working.height; ++y) {
    const cv::Vec3d* in = resized.ptr<cv::Vec3d>(y);
    cv::Vec3f* out = normalised.ptr<cv::Vec3f>(y);
    for (int x = 0; x < working.width; ++x) {
      for (int c = 0; c < 3; ++c)
        out[x][c] = static_cast<float>((in[x][c] - kMeanRgb[c]) / kStdRgb[c]);
    }
  }
  return normalised;
}

struct DepthEstimator::Impl {
  DepthModelOptions options;
  DepthModelSize size = DepthModelSize::kAuto;
  DepthAnythingV2 model{nullptr};
};

DepthEstimator::DepthEstimator(const DepthModelOptions& options) : impl_(std::make_unique<Impl>()) {
  impl_->options = options;
  if (impl_->options.checkpoint.empty()) {
    impl_->options.checkpoint = findDepthCheckpoint(options.models_dir, options.size);
  }
  if (options.num_threads > 0) at::set_num_threads(options.num_threads);
  try {
    impl_->model = loadDepthAnythingV2(impl_->options.checkpoint, options.size);
    if (options.bfloat16) toComputeDtype(*impl_->model, c10::Device(c10::kCPU), at::kBFloat16);
  } catch (const c10::Error& e) {
    throw CheckpointError("'" + impl_->options.checkpoint.string() +
                          "': cannot build the depth model: " + e.what_without_backtrace());
  }
  impl_->size = impl_->model->config().encoder.embed_dim == 384   ? DepthModelSize::kSmall
                : impl_->model->config().encoder.embed_dim == 768 ? DepthModelSize::kBase
                                                                  : DepthModelSize::kLarge;
}

DepthEstimator::DepthEstimator(const DepthModelOptions& options,
                               const DepthAnythingV2Config& architecture)
    : impl_(std::make_unique<Impl>()) {
  impl_->options = options;
  if (options.checkpoint.empty())
    throw InputError("depth estimator: no checkpoint file given for the model");
  if (options.num_threads > 0) at::set_num_threads(options.num_threads);
  impl_->model = loadDepthAnythingV2(options.checkpoint, architecture);
  if (options.bfloat16) toComputeDtype(*impl_->model, c10::Device(c10::kCPU), at::kBFloat16);
}

DepthEstimator::~DepthEstimator() = default;

DepthModelSize DepthEstimator::size() const { return impl_->size; }

const std::filesystem::path& DepthEstimator::checkpointPath() const {
  return impl_->options.checkpoint;
}

const DepthModelOptions& DepthEstimator::options() const { return impl_->options; }

cv::Mat DepthEstimator::estimateDepth(const cv::Mat& image) const {
  checkImage(image);
  const DepthModelOptions& options = impl_->options;
  cv::Mat input = preprocessForDepth(image, options.input_size);
  try {
    c10::InferenceMode inference;
    const at::Tensor batch = at::from_blob(input.data, {1, input.rows, input.cols, 3}, at::kFloat)
                                 .permute({0, 3, 1, 2})
                                 .to(options.bfloat16 ? at::kBFloat16 : at::kFloat)
                                 .contiguous();
    const at::Tensor depth = impl_->model->forward(batch);  // [1, h, w], float32
    if (options.resize == DepthResize::kBilinear) {
      const at::Tensor resized =
          at::upsample_bilinear2d(depth.unsqueeze(1), {image.rows, image.cols},
                                  /*align_corners=*/true);
      return matFromTensor(resized[0][0]);
    }
    const cv::Mat depth_low = matFromTensor(depth[0]);
    const cv::Mat image01 = toFloat01(image);
    cv::Mat guide_low;
    const bool is_shrinking = input.cols < image.cols;
    cv::resize(image01, guide_low, input.size(), 0, 0,
               is_shrinking ? cv::INTER_AREA : cv::INTER_LINEAR);
    return upsampleDepthEdgeAware(depth_low, guide_low, image01, options.edge_threshold);
  } catch (const c10::Error& e) {
    throw InputError("depth estimation failed on a " + std::to_string(image.cols) + "x" +
                     std::to_string(image.rows) + " image: " + e.what_without_backtrace());
  }
}

DepthEstimate DepthEstimator::estimate(const cv::Mat& image) const {
  DepthEstimate result;
  result.working_size = depthWorkingSize(image.size(), impl_->options.input_size);
  result.depth = makeDisparityMap(estimateDepth(image));
  result.shaped = shapeDepth(result.depth, impl_->options.shaping);
  result.disparity = depthToDisparity(result.shaped, impl_->options.conversion);
  return result;
}

DisparityMap estimateDisparity(const cv::Mat& image01, const DepthModelOptions& options) {
  const DepthEstimator estimator(options);
  return estimator.estimate(image01).disparity;
}

}  // namespace genstereo
