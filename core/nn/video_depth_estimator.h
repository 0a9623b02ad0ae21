// Temporally consistent depth for video, one frame at a time: Video Depth Anything run the way
// the official streaming mode does it (video_depth_anything/video_depth_stream.py
// infer_video_depth_one). The encoder runs once per frame; the temporal head attends over the
// cached temporal states of up to 31 earlier frames (the first frame since the last reset, one
// older frame and the last 29), so each frame costs about one image-depth pass.
//
// State and its bound: per frame, the inputs of the 8 temporal attention blocks (2 per temporal
// module; module 0 at the patch grid with out_channels[2] channels, module 1 at half the grid
// with out_channels[3], modules 2 and 3 at 1x and 2x the grid with `features`). The official
// schedule keeps at most 42 frames' states (stateBytes() tells the size; about 12 MB per frame
// for ViT-S at 518x924, so about 0.5 GB at most, 0.29 GB at 392x700).
// Dependence: the output of frame t reads the cached states of the first frame since reset(),
// of frame t-41 (frame 0 in the first 41 frames) and of frames t-29 .. t-1. The cached
// states are themselves computed with the cache, so, like the official mode, the result is
// recurrent: it depends on every frame since the last reset, not on a fixed window. Call
// reset() at scene cuts; to reproduce frame t exactly, replay from the last reset.
//
// This header does not include LibTorch; link genstereo_nn.
#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <vector>

#include <opencv2/core.hpp>

#include "nn/depth_model_size.h"

namespace genstereo {

// How frames are related over time.
enum class VideoDepthMode {
  // The official streaming mode (default): cached temporal states, about 1x the cost of an
  // image model per frame; recurrent (see above).
  kStreaming,
  // A sliding window: frame t is the last frame of a clip of the last `window_frames` frames
  // through the temporal head (the encoder output of each frame is kept, so the encoder still
  // runs once per frame; the temporal modules and the low-resolution fusion run over the whole
  // window each time). The output of frame t depends only on frames t - window_frames + 1 .. t
  // (since the last reset). Kept: window_frames x the four encoder token maps (about 15 MB
  // per frame for ViT-S at 518x924). Not an official mode.
  kWindow,
};

struct VideoDepthOptions {
  // The checkpoint: `checkpoint` when set, else found in `models_dir` with
  // findVideoDepthCheckpoint.
  std::filesystem::path checkpoint;
  std::filesystem::path models_dir;
  DepthModelSize size = DepthModelSize::kAuto;
  // Official input_size: the shorter side is resized to at least this and both sides to
  // multiples of 14 (aspect ratio kept, "lower_bound", cubic), as for Depth Anything V2.
  int input_size = 518;
  // Official rule for frames wider than 16:9 (aspect ratio r > 1.78): input_size becomes
  // round(int(input_size * 1.777 / r) / 14) * 14, to bound memory.
  bool is_wide_input_reduced = true;
  VideoDepthMode mode = VideoDepthMode::kStreaming;
  // kWindow: frames per clip, 1 .. 32 (the model's position table).
  int window_frames = 32;
  // LibTorch intra-op threads; 0 leaves the process setting as it is.
  int num_threads = 0;
};

// `models_dir`/video_depth_anything_{vits,vitb,vitl}.pth or .safetensors (the .pth first);
// kAuto takes the smallest size present (ViT-S, then ViT-B, then ViT-L: the licence-free one
// first). Throws InputError naming the expected file and the Hugging Face repository.
std::filesystem::path findVideoDepthCheckpoint(const std::filesystem::path& models_dir,
                                               DepthModelSize size);

// The input size the official code uses for a frame of `frame_size` (the wide-frame rule).
int videoDepthInputSize(cv::Size frame_size, int input_size, bool is_wide_input_reduced);

struct VideoDepthAnythingConfig;

class VideoDepthEstimator {
 public:
  // The official streaming schedule (INFER_LEN 32, OVERLAP 10, INTERP_LEN 8): 31 cached frames.
  static constexpr int kCachedFrames = 31;
  static constexpr int kMaxStoredFrames = 42;

  // Finds (see findVideoDepthCheckpoint) and loads the checkpoint; the size is detected from
  // the file. Throws CheckpointError for a wrong or foreign file.
  explicit VideoDepthEstimator(const VideoDepthOptions& options);
  // A model of an explicit architecture (test models); options.checkpoint must be set.
  VideoDepthEstimator(const VideoDepthOptions& options,
                      const VideoDepthAnythingConfig& architecture);
  ~VideoDepthEstimator();
  VideoDepthEstimator(const VideoDepthEstimator&) = delete;
  VideoDepthEstimator& operator=(const VideoDepthEstimator&) = delete;

  // The relative inverse depth of the next frame (larger = nearer, >= 0) at the frame's size,
  // CV_32FC1 (official: bilinear with aligned corners). `image_bgr` is CV_8UC3 or CV_32FC3 in
  // [0, 1], BGR. All frames between resets must have the same size (InputError otherwise).
  cv::Mat next(const cv::Mat& image_bgr);
  // Forgets all earlier frames (a scene cut, a seek, another video).
  void reset();

  // Frames since the last reset.
  std::int64_t frameCount() const;
  // The frames (0-based since the last reset) whose cached states (kStreaming) or encoder
  // outputs (kWindow) the next frame will read, oldest slot first (empty before the first
  // frame). For tests and diagnostics.
  std::vector<std::int64_t> cachedFrameIds() const;
  // Bytes held by the cached states or encoder outputs now (distinct frames counted once).
  std::size_t stateBytes() const;

  const std::filesystem::path& checkpointPath() const;
  DepthModelSize size() const;  // kAuto for an explicit architecture

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace genstereo
