// Video Depth Anything (official video_depth_anything/video_depth.py VideoDepthAnything): the
// Depth Anything V2 DINOv2 encoder ("pretrained.*", per frame) and the temporal DPT head
// ("head.*", see dpt_head_temporal.h), which mixes the frames of a clip. forward() maps a
// normalised RGB clip whose sides are multiples of 14 to relative inverse depth per frame
// (official forward: head, bilinear resize to the input size, ReLU).
// Official checkpoints: video_depth_anything_{vits,vitb,vitl}.pth (HF depth-anything/
// Video-Depth-Anything-{Small,Base,Large}; S is Apache-2.0, B and L CC-BY-NC-4.0).
#pragma once

#include <array>
#include <filesystem>
#include <string>
#include <vector>

#include <torch/nn/module.h>

#include "nn/depth_model_size.h"
#include "nn/dinov2.h"
#include "nn/dpt_head_temporal.h"

namespace genstereo {

struct VideoDepthAnythingConfig {
  DinoV2Config encoder;
  int features = 64;
  std::array<int, 4> out_channels = {48, 96, 192, 384};
  std::vector<int> intermediate_layers = {2, 5, 8, 11};
  int max_frames = 32;  // num_frames: the temporal position table (INFER_LEN)

  // The official model_configs (run.py): the Depth Anything V2 encoders and head widths
  // (vits: features 64, out [48, 96, 192, 384]; vitb: 128, [96, 192, 384, 768];
  // vitl: 256, [256, 512, 1024, 1024]).
  static VideoDepthAnythingConfig preset(DepthModelSize size);
};

class VideoDepthAnythingImpl : public torch::nn::Module {
 public:
  explicit VideoDepthAnythingImpl(const VideoDepthAnythingConfig& config);

  // [B, T, 3, H, W] (or [T, 3, H, W], one clip) normalised RGB (ImageNet mean/std), H and W
  // multiples of 14, T <= max_frames -> [B, T, H, W] (or [T, H, W]) relative inverse depth.
  at::Tensor forward(const at::Tensor& clip);

  // The streaming step (official video_depth_stream.py forward_depth with a cache): `frames`
  // [B * T, 3, H, W] clip-major; `caches` empty or statesPerFrame() tensors of earlier frames
  // (see DptHeadTemporalImpl::forward); the new states go to `states`. Returns [B * T, H, W].
  at::Tensor forwardFrames(const at::Tensor& frames, std::int64_t num_frames,
                           const std::vector<at::Tensor>& caches = {},
                           std::vector<at::Tensor>* states = nullptr);

  // forwardFrames in two steps, for callers that keep the encoder output of earlier frames
  // (a sliding window): encode: the four intermediate token maps [N, h * w, D] of N frames;
  // decode: the head and the output activation for `tokens` of frames of height x width.
  // `is_last_frame_only`: only the last frame of each clip is returned ([B, H, W]).
  std::vector<at::Tensor> encode(const at::Tensor& frames);
  at::Tensor decode(const std::vector<at::Tensor>& tokens, std::int64_t height, std::int64_t width,
                    std::int64_t num_frames, const std::vector<at::Tensor>& caches = {},
                    std::vector<at::Tensor>* states = nullptr, bool is_last_frame_only = false);

  int statesPerFrame() const { return head_->statesPerFrame(); }
  const VideoDepthAnythingConfig& config() const { return config_; }

 private:
  VideoDepthAnythingConfig config_;
  DinoVisionTransformer pretrained_{nullptr};
  DptHeadTemporal head_{nullptr};
};
TORCH_MODULE(VideoDepthAnything);

// The official checkpoint file name: "video_depth_anything_vits.pth" etc. Throws InputError
// for kAuto.
std::string videoDepthCheckpointFileName(DepthModelSize size);

// Loads an official checkpoint (.pth or .safetensors) strictly into a model of `size` (kAuto:
// the size the file holds, from the width of "pretrained.cls_token"). Throws CheckpointError
// naming the file when it is a Depth Anything V2 (image) checkpoint, another size than the one
// selected, or has missing, unexpected or misshapen keys.
VideoDepthAnything loadVideoDepthAnything(const std::filesystem::path& checkpoint_path,
                                          DepthModelSize size);

// Loads a checkpoint into a model built from an explicit configuration (test models).
VideoDepthAnything loadVideoDepthAnything(const std::filesystem::path& checkpoint_path,
                                          const VideoDepthAnythingConfig& config);

}  // namespace genstereo
