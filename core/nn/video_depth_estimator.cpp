#include "nn/video_depth_estimator.h"

#include <cmath>
#include <set>
#include <string>

#include <ATen/Parallel.h>
#include <ATen/ops/cat.h>
#include <ATen/ops/from_blob.h>
#include <ATen/ops/upsample_bilinear2d.h>
#include <c10/core/InferenceMode.h>
#include <c10/util/Exception.h>

#include "errors.h"
#include "models/model_catalog.h"
#include "models/model_download_hint.h"
#include "models/model_file_lookup.h"
#include "nn/depth_estimator.h"  // preprocessForDepth
#include "nn/video_depth_anything.h"

namespace genstereo {

namespace {

// Official streaming constants (video_depth_stream.py): INFER_LEN 32, OVERLAP 10, INTERP_LEN 8;
// gap = (INFER_LEN - OVERLAP) * 2 - 1 - (OVERLAP - INTERP_LEN) = 41.
constexpr int kInferLength = 32;
constexpr int kGap = 41;
constexpr int kKeptHead = 2;                 // slots 0 and 1 of the list
constexpr int kKeptTail = kInferLength - 3;  // the last 29 slots

const char* hfRepo(DepthModelSize size) {
  switch (size) {
    case DepthModelSize::kBase:
      return "https://huggingface.co/depth-anything/Video-Depth-Anything-Base";
    case DepthModelSize::kLarge:
      return "https://huggingface.co/depth-anything/Video-Depth-Anything-Large";
    case DepthModelSize::kSmall:
    case DepthModelSize::kAuto:
      break;
  }
  return "https://huggingface.co/depth-anything/Video-Depth-Anything-Small";
}

}  // namespace

std::filesystem::path findVideoDepthCheckpoint(const std::filesystem::path& models_dir,
                                               DepthModelSize size) {
  const std::vector<DepthModelSize> sizes =
      size == DepthModelSize::kAuto
          ? std::vector<DepthModelSize>{DepthModelSize::kSmall, DepthModelSize::kBase,
                                        DepthModelSize::kLarge}
          : std::vector<DepthModelSize>{size};
  for (DepthModelSize candidate : sizes) {
    if (auto found = findModelFile(models_dir, videoDepthCheckpointFileName(candidate)))
      return *found;
  }
  const DepthModelSize shown = size == DepthModelSize::kAuto ? DepthModelSize::kSmall : size;
  throw InputError(std::string("no Video Depth Anything ") +
                   (size == DepthModelSize::kAuto ? "" : std::string(displayName(size)) + " ") +
                   "checkpoint: expected '" +
                   (models_dir / videoDepthCheckpointFileName(shown)).string() +
                   "' (or .safetensors), e.g. from " + hfRepo(shown) + " (get it with: " +
                   modelsDownloadCommand({shown == DepthModelSize::kLarge  ? "video-depth-large"
                                          : shown == DepthModelSize::kBase ? "video-depth-base"
                                                                           : "video-depth-small"},
                                         builtinModelCatalog(), models_dir) +
                   ")");
}

int videoDepthInputSize(cv::Size frame_size, int input_size, bool is_wide_input_reduced) {
  if (!is_wide_input_reduced || frame_size.width <= 0 || frame_size.height <= 0) return input_size;
  const double ratio = static_cast<double>(std::max(frame_size.width, frame_size.height)) /
                       std::min(frame_size.width, frame_size.height);
  if (ratio <= 1.78) return input_size;
  // Python: int(input_size * 1.777 / ratio), then round(x / 14) * 14 (half to even).
  const int reduced = static_cast<int>(input_size * 1.777 / ratio);
  return static_cast<int>(std::nearbyint(reduced / 14.0)) * 14;
}

void checkOptions(const VideoDepthOptions& options) {
  if (options.mode == VideoDepthMode::kWindow &&
      (options.window_frames < 1 || options.window_frames > kInferLength)) {
    throw InputError("video depth: a window of " + std::to_string(options.window_frames) +
                     " frames; the model takes 1 to " + std::to_string(kInferLength));
  }
}

struct VideoDepthEstimator::Impl {
  VideoDepthOptions options;
  DepthModelSize size = DepthModelSize::kAuto;
  VideoDepthAnything model{nullptr};
  // The official frame_cache_list / frame_id_list: per slot, the states of one frame (slots
  // may share the same tensors, as the official list shares the first frame's).
  // kWindow: the encoder token maps of the last window_frames frames (slot_ids their ids).
  std::vector<std::vector<at::Tensor>> slots;
  std::vector<std::int64_t> slot_ids;
  std::int64_t frame_count = 0;
  cv::Size frame_size;
  int input_size = 0;

  at::Tensor preprocess(const cv::Mat& image) {
    cv::Mat input = preprocessForDepth(image, input_size);  // RGB, normalised, HWC float32
    return at::from_blob(input.data, {1, input.rows, input.cols, 3}, at::kFloat)
        .permute({0, 3, 1, 2})
        .contiguous();
  }

  at::Tensor nextStreaming(const at::Tensor& input);
  at::Tensor nextWindow(const at::Tensor& input);

  std::vector<at::Tensor> windowCaches() const {
    std::vector<const std::vector<at::Tensor>*> window;
    for (int i = 0; i < kKeptHead; ++i) window.push_back(&slots[i]);
    for (std::size_t i = slots.size() - kKeptTail; i < slots.size(); ++i)
      window.push_back(&slots[i]);
    std::vector<at::Tensor> caches;
    for (std::size_t k = 0; k < slots[0].size(); ++k) {
      std::vector<at::Tensor> parts;
      parts.reserve(window.size());
      for (const auto* slot : window) parts.push_back((*slot)[k]);
      caches.push_back(at::cat(parts, 1));
    }
    return caches;
  }
};

VideoDepthEstimator::VideoDepthEstimator(const VideoDepthOptions& options)
    : impl_(std::make_unique<Impl>()) {
  checkOptions(options);
  impl_->options = options;
  if (impl_->options.checkpoint.empty()) {
    impl_->options.checkpoint = findVideoDepthCheckpoint(options.models_dir, options.size);
  }
  if (options.num_threads > 0) at::set_num_threads(options.num_threads);
  try {
    impl_->model = loadVideoDepthAnything(impl_->options.checkpoint, options.size);
  } catch (const c10::Error& e) {
    throw CheckpointError("'" + impl_->options.checkpoint.string() +
                          "': cannot build the video depth model: " + e.what_without_backtrace());
  }
  const int width = impl_->model->config().encoder.embed_dim;
  impl_->size = width == 384   ? DepthModelSize::kSmall
                : width == 768 ? DepthModelSize::kBase
                               : DepthModelSize::kLarge;
}

VideoDepthEstimator::VideoDepthEstimator(const VideoDepthOptions& options,
                                         const VideoDepthAnythingConfig& architecture)
    : impl_(std::make_unique<Impl>()) {
  checkOptions(options);
  impl_->options = options;
  if (options.checkpoint.empty())
    throw InputError("video depth estimator: no checkpoint file given for the model");
  if (options.num_threads > 0) at::set_num_threads(options.num_threads);
  impl_->model = loadVideoDepthAnything(options.checkpoint, architecture);
}

VideoDepthEstimator::~VideoDepthEstimator() = default;

cv::Mat VideoDepthEstimator::next(const cv::Mat& image_bgr) {
  if (image_bgr.empty() || (image_bgr.type() != CV_8UC3 && image_bgr.type() != CV_32FC3)) {
    throw InputError(
        "video depth: needs a non-empty 3-channel BGR frame (8-bit, or float in [0, 1])");
  }
  Impl& s = *impl_;
  if (s.frame_count == 0) {
    s.frame_size = image_bgr.size();
    s.input_size =
        videoDepthInputSize(s.frame_size, s.options.input_size, s.options.is_wide_input_reduced);
  } else if (image_bgr.size() != s.frame_size) {
    throw InputError("video depth: frame " + std::to_string(s.frame_count) + " is " +
                     std::to_string(image_bgr.cols) + "x" + std::to_string(image_bgr.rows) +
                     " but the frames since the last reset are " +
                     std::to_string(s.frame_size.width) + "x" +
                     std::to_string(s.frame_size.height) + "; reset() between videos");
  }
  try {
    c10::InferenceMode inference;
    const at::Tensor input = s.preprocess(image_bgr);
    const at::Tensor depth =
        s.options.mode == VideoDepthMode::kWindow ? s.nextWindow(input) : s.nextStreaming(input);
    ++s.frame_count;
    const at::Tensor resized =
        at::upsample_bilinear2d(depth.unsqueeze(1), {image_bgr.rows, image_bgr.cols},
                                /*align_corners=*/true)
            .contiguous();
    cv::Mat out(image_bgr.rows, image_bgr.cols, CV_32FC1, resized.data_ptr<float>());
    return out.clone();
  } catch (const c10::Error& e) {
    throw InputError("video depth failed on frame " + std::to_string(s.frame_count) + " (" +
                     std::to_string(image_bgr.cols) + "x" + std::to_string(image_bgr.rows) +
                     "): " + e.what_without_backtrace());
  }
}

at::Tensor VideoDepthEstimator::Impl::nextWindow(const at::Tensor& input) {
  slots.push_back(model->encode(input));
  slot_ids.push_back(frame_count);
  if (static_cast<int>(slots.size()) > options.window_frames) {
    slots.erase(slots.begin());
    slot_ids.erase(slot_ids.begin());
  }
  std::vector<at::Tensor> tokens;
  for (std::size_t k = 0; k < slots[0].size(); ++k) {
    std::vector<at::Tensor> parts;
    for (const auto& slot : slots) parts.push_back(slot[k]);
    tokens.push_back(at::cat(parts, 0));
  }
  const std::int64_t frames = static_cast<std::int64_t>(slots.size());
  return model->decode(tokens, input.size(2), input.size(3), frames, {}, nullptr,
                       /*is_last_frame_only=*/true);
}

at::Tensor VideoDepthEstimator::Impl::nextStreaming(const at::Tensor& input) {
  std::vector<at::Tensor> states;
  const std::vector<at::Tensor> caches =
      frame_count == 0 ? std::vector<at::Tensor>() : windowCaches();
  const at::Tensor depth = model->forwardFrames(input, 1, caches, &states);  // [1, h, w]
  if (frame_count == 0) {
    // Official: the first frame's states fill all 32 slots ("simulate the windows").
    slots.assign(kInferLength, states);
    slot_ids.assign(kInferLength - 1, 0);
  } else {
    slots.push_back(states);
  }
  slot_ids.push_back(frame_count);
  if (frame_count + kInferLength > kGap + 1) {
    slots.erase(slots.begin() + 1);
    slot_ids.erase(slot_ids.begin() + 1);
  }
  return depth;
}

void VideoDepthEstimator::reset() {
  impl_->slots.clear();
  impl_->slot_ids.clear();
  impl_->frame_count = 0;
}

std::int64_t VideoDepthEstimator::frameCount() const { return impl_->frame_count; }

std::vector<std::int64_t> VideoDepthEstimator::cachedFrameIds() const {
  const auto& ids = impl_->slot_ids;
  if (ids.empty() || impl_->options.mode == VideoDepthMode::kWindow) return ids;
  std::vector<std::int64_t> window(ids.begin(), ids.begin() + kKeptHead);
  window.insert(window.end(), ids.end() - kKeptTail, ids.end());
  return window;
}

std::size_t VideoDepthEstimator::stateBytes() const {
  std::set<const void*> seen;
  std::size_t bytes = 0;
  for (const auto& slot : impl_->slots) {
    for (const at::Tensor& t : slot) {
      if (seen.insert(t.data_ptr()).second) bytes += t.numel() * t.element_size();
    }
  }
  return bytes;
}

const std::filesystem::path& VideoDepthEstimator::checkpointPath() const {
  return impl_->options.checkpoint;
}

DepthModelSize VideoDepthEstimator::size() const { return impl_->size; }

}  // namespace genstereo
