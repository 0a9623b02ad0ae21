#include "nn/video_depth_anything.h"

#include <ATen/ops/relu.h>
#include <ATen/ops/upsample_bilinear2d.h>

#include "errors.h"
#include "io/checkpoint_file.h"
#include "nn/depth_anything_v2.h"
#include "nn/state_dict_loader.h"

namespace genstereo {

namespace {

const char* kTemporalKey = "head.motion_modules.0.temporal_transformer.proj_in.weight";

bool hasKey(const CheckpointFile& checkpoint, const std::string& name) {
  for (const CheckpointEntry& entry : checkpoint.entries()) {
    if (entry.name == name) return true;
  }
  return false;
}

}  // namespace

VideoDepthAnythingConfig VideoDepthAnythingConfig::preset(DepthModelSize size) {
  const DepthAnythingV2Config image = DepthAnythingV2Config::preset(size);
  VideoDepthAnythingConfig config;
  config.encoder = image.encoder;
  config.features = image.features;
  config.out_channels = image.out_channels;
  config.intermediate_layers = image.intermediate_layers;
  return config;
}

VideoDepthAnythingImpl::VideoDepthAnythingImpl(const VideoDepthAnythingConfig& config)
    : config_(config) {
  pretrained_ = register_module("pretrained", DinoVisionTransformer(config.encoder));
  DptHeadConfig head;
  head.in_channels = config.encoder.embed_dim;
  head.features = config.features;
  head.out_channels = config.out_channels;
  head.patch_size = config.encoder.patch_size;
  head_ = register_module("head", DptHeadTemporal(head, config.max_frames));
}

at::Tensor VideoDepthAnythingImpl::forward(const at::Tensor& clip) {
  if (clip.dim() == 4) return forward(clip.unsqueeze(0)).squeeze(0);
  if (clip.dim() != 5 || clip.size(2) != 3) {
    throw InputError("Video Depth Anything: expected a clip [B, T, 3, H, W] or [T, 3, H, W]");
  }
  const std::int64_t batch = clip.size(0), frames = clip.size(1);
  const at::Tensor depth = forwardFrames(clip.flatten(0, 1), frames);
  return depth.reshape({batch, frames, depth.size(1), depth.size(2)});
}

at::Tensor VideoDepthAnythingImpl::forwardFrames(const at::Tensor& frames, std::int64_t num_frames,
                                                 const std::vector<at::Tensor>& caches,
                                                 std::vector<at::Tensor>* states) {
  const std::int64_t height = frames.size(2), width = frames.size(3);
  const int patch = config_.encoder.patch_size;
  if (height % patch != 0 || width % patch != 0 || num_frames <= 0 ||
      frames.size(0) % num_frames != 0) {
    throw InputError("Video Depth Anything: frames of " + std::to_string(width) + "x" +
                     std::to_string(height) + " (sides must be multiples of 14) in clips of " +
                     std::to_string(num_frames) + " frames");
  }
  return decode(encode(frames), height, width, num_frames, caches, states);
}

std::vector<at::Tensor> VideoDepthAnythingImpl::encode(const at::Tensor& frames) {
  return pretrained_->intermediatePatchTokens(frames, config_.intermediate_layers);
}

at::Tensor VideoDepthAnythingImpl::decode(const std::vector<at::Tensor>& tokens,
                                          std::int64_t height, std::int64_t width,
                                          std::int64_t num_frames,
                                          const std::vector<at::Tensor>& caches,
                                          std::vector<at::Tensor>* states,
                                          bool is_last_frame_only) {
  const int patch = config_.encoder.patch_size;
  at::Tensor depth = head_->forward(tokens, height / patch, width / patch, num_frames, caches,
                                    states, is_last_frame_only);
  if (depth.size(2) != height || depth.size(3) != width) {
    depth = at::upsample_bilinear2d(depth, {height, width}, /*align_corners=*/true);
  }
  return at::relu(depth).squeeze(1);
}

std::string videoDepthCheckpointFileName(DepthModelSize size) {
  if (size == DepthModelSize::kAuto) {
    throw InputError("Video Depth Anything: a checkpoint name needs an explicit model size");
  }
  return std::string("video_depth_anything_") + toString(size) + ".pth";
}

VideoDepthAnything loadVideoDepthAnything(const std::filesystem::path& checkpoint_path,
                                          DepthModelSize size) {
  const std::unique_ptr<CheckpointFile> checkpoint = CheckpointFile::open(checkpoint_path);
  const std::string file = "'" + checkpoint_path.string() + "'";
  if (!hasKey(*checkpoint, kTemporalKey)) {
    throw CheckpointError(
        file + " is not a Video Depth Anything checkpoint: it has no '" + kTemporalKey + "'" +
        (hasKey(*checkpoint, "depth_head.scratch.output_conv1.weight")
             ? " (it is a Depth Anything V2 image checkpoint; use it as the photo depth model)"
             : ""));
  }
  const DepthModelSize found = detectDepthModelSize(*checkpoint);
  if (size != DepthModelSize::kAuto && size != found) {
    throw CheckpointError(file + " is a Video Depth Anything " + displayName(found) +
                          " checkpoint but " + displayName(size) + " was selected");
  }
  VideoDepthAnything model(VideoDepthAnythingConfig::preset(found));
  loadStateDict(*model, *checkpoint);
  model->eval();
  return model;
}

VideoDepthAnything loadVideoDepthAnything(const std::filesystem::path& checkpoint_path,
                                          const VideoDepthAnythingConfig& config) {
  VideoDepthAnything model(config);
  loadStateDict(*model, *CheckpointFile::open(checkpoint_path));
  model->eval();
  return model;
}

}  // namespace genstereo
