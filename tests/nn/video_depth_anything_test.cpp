// Video Depth Anything in LibTorch against the official code.
// Fixture (tests/data/vda_tiny, written by tests/nn/make_vda_fixture.py from the official
// checkout): the official VideoDepthAnything with a tiny random DINOv2 (24-dim, 2 heads, 12
// blocks) and DPTHeadTemporal (features 32, out [8,16,32,32], 8 temporal heads), torch 1.13 CPU
// float32. Cases: the offline forward on a 4-frame 70x98 clip, the same frames one at a time,
// and the official streaming mode (infer_video_depth_one) over 44 frames of 60x45 (resized to
// 56x42 and back), which runs through the whole cache schedule. Tolerance 1e-4 max abs (the
// measured errors are printed). Manifests: the official keys and shapes of the three real
// checkpoints (tests/data/manifests/video_depth_anything_*.json, same generator).
#include <cstring>
#include <fstream>

#include <gtest/gtest.h>
#include <torch/torch.h>
#include <nlohmann/json.hpp>

#include "errors.h"
#include "manifest_support.h"
#include "nn/depth_estimator.h"
#include "nn/video_depth_anything.h"
#include "nn/video_depth_estimator.h"
#include "nn_test_support.h"
#include "test_support.h"

namespace genstereo {
namespace {

namespace fs = std::filesystem;

fs::path vdaDir() { return test::testDataDir() / "vda_tiny"; }
fs::path tinyWeights() { return vdaDir() / "vda_tiny_random.pth"; }

const SafetensorsFile& fwd() {
  static const SafetensorsFile file(vdaDir() / "vda_tiny_fwd.safetensors");
  return file;
}

const nlohmann::json& params() {
  static const nlohmann::json json =
      nlohmann::json::parse(std::ifstream(vdaDir() / "vda_params.json"));
  return json;
}

VideoDepthAnythingConfig tinyConfig() {
  const auto& backbone = params().at("tiny_backbone_DinoVisionTransformer_kwargs");
  VideoDepthAnythingConfig config;
  config.encoder.embed_dim = backbone.at("embed_dim");
  config.encoder.depth = backbone.at("depth");
  config.encoder.num_heads = backbone.at("num_heads");
  config.encoder.mlp_ratio = backbone.at("mlp_ratio");
  config.encoder.patch_size = backbone.at("patch_size");
  config.encoder.img_size = backbone.at("img_size");
  config.encoder.layer_scale_init = backbone.at("init_values");
  config.encoder.interpolate_offset = backbone.at("interpolate_offset");
  const auto& head = params().at("dpt_head_temporal");
  config.features = head.at("features");
  const auto out = head.at("out_channels").get<std::vector<int>>();
  std::copy(out.begin(), out.end(), config.out_channels.begin());
  config.max_frames = head.at("num_frames");
  config.intermediate_layers = params().at("intermediate_layer_idx").get<std::vector<int>>();
  return config;
}

// Frame `index` of the streaming fixture, BGR uint8.
cv::Mat streamFrame(int index) {
  const TensorInfo& info = fwd().info("stream_frames_bgr_uint8");
  const int height = static_cast<int>(info.shape[1]), width = static_cast<int>(info.shape[2]);
  cv::Mat bgr(height, width, CV_8UC3);
  const std::size_t bytes = static_cast<std::size_t>(height) * width * 3;
  std::memcpy(bgr.data, fwd().data("stream_frames_bgr_uint8") + bytes * index, bytes);
  return bgr;
}

at::Tensor tensorFromMat(const cv::Mat& image) {
  return torch::from_blob(image.data, {image.rows, image.cols}, torch::kFloat).clone();
}

VideoDepthOptions tinyStreamOptions() {
  VideoDepthOptions options;
  options.checkpoint = tinyWeights();
  options.input_size = params().at("stream").at("input_size");
  return options;
}

TEST(VideoDepthAnythingModel, TinyClipForwardMatchesOfficial) {
  torch::NoGradGuard no_grad;
  VideoDepthAnything model = loadVideoDepthAnything(tinyWeights(), tinyConfig());
  const at::Tensor clip = test::fixtureTensor(fwd(), "clip_normalized");
  const at::Tensor depth = model->forward(clip);
  const at::Tensor expected = test::fixtureTensor(fwd(), "clip_depth");
  ASSERT_EQ(depth.sizes(), expected.sizes());
  const double error = test::maxAbsDiff(depth, expected);
  std::cout << "clip forward max abs error " << error << " (output range "
            << expected.min().item<float>() << " .. " << expected.max().item<float>() << ")\n";
  EXPECT_LE(error, 1e-4);
  // [T, 3, H, W] is one clip.
  EXPECT_LE(test::maxAbsDiff(model->forward(clip[0]), depth[0]), 1e-6);
  // The frames influence each other: one frame alone gives another result.
  const at::Tensor alone = test::fixtureTensor(fwd(), "clip_depth_per_frame");
  EXPECT_GT(test::maxAbsDiff(alone, expected), 1e-2);
}

TEST(VideoDepthAnythingModel, SingleFrameClipsMatchOfficial) {
  torch::NoGradGuard no_grad;
  VideoDepthAnything model = loadVideoDepthAnything(tinyWeights(), tinyConfig());
  const at::Tensor clip = test::fixtureTensor(fwd(), "clip_normalized");
  const at::Tensor expected = test::fixtureTensor(fwd(), "clip_depth_per_frame");
  double error = 0.0;
  for (std::int64_t t = 0; t < clip.size(1); ++t) {
    const at::Tensor depth = model->forward(clip.slice(1, t, t + 1));
    error = std::max(error, test::maxAbsDiff(depth, expected.slice(1, t, t + 1)));
  }
  std::cout << "single-frame forward max abs error " << error << "\n";
  EXPECT_LE(error, 1e-4);
}

TEST(VideoDepthEstimator, StreamingMatchesOfficialInferVideoDepthOne) {
  VideoDepthEstimator estimator(tinyStreamOptions(), tinyConfig());
  const at::Tensor expected = test::fixtureTensor(fwd(), "stream_depth");
  const auto& schedule = params().at("stream").at("cache_frame_ids_after_each_frame");
  double error = 0.0;
  for (int t = 0; t < static_cast<int>(expected.size(0)); ++t) {
    const cv::Mat depth = estimator.next(streamFrame(t));
    ASSERT_EQ(depth.size(),
              cv::Size(static_cast<int>(expected.size(2)), static_cast<int>(expected.size(1))));
    const double frame_error = test::maxAbsDiff(tensorFromMat(depth), expected[t]);
    error = std::max(error, frame_error);
    EXPECT_LE(frame_error, 1e-4) << "frame " << t;
    EXPECT_EQ(estimator.cachedFrameIds(), schedule.at(t).get<std::vector<std::int64_t>>())
        << "after frame " << t;
  }
  std::cout << "streaming max abs error over " << expected.size(0) << " frames " << error
            << " (output range " << expected.min().item<float>() << " .. "
            << expected.max().item<float>() << ")\n";
  EXPECT_EQ(estimator.frameCount(), expected.size(0));
}

TEST(VideoDepthEstimator, StateIsBoundedAndResetStartsOver) {
  VideoDepthEstimator estimator(tinyStreamOptions(), tinyConfig());
  const cv::Mat first = estimator.next(streamFrame(0));
  const std::size_t one_frame = estimator.stateBytes();
  EXPECT_GT(one_frame, 0u);
  std::size_t most = 0;
  for (int t = 1; t < 50; ++t) {
    estimator.next(streamFrame(t % 44));
    most = std::max(most, estimator.stateBytes());
  }
  EXPECT_EQ(most, one_frame * VideoDepthEstimator::kMaxStoredFrames);
  estimator.reset();
  EXPECT_EQ(estimator.frameCount(), 0);
  EXPECT_EQ(estimator.stateBytes(), 0u);
  EXPECT_LE(cv::norm(estimator.next(streamFrame(0)), first, cv::NORM_INF), 0.0);
  // A float [0, 1] frame gives the same depth within float rounding.
  estimator.reset();
  cv::Mat frame01;
  streamFrame(0).convertTo(frame01, CV_32F, 1.0 / 255.0);
  EXPECT_LE(cv::norm(estimator.next(frame01), first, cv::NORM_INF), 1e-4);
  // Another frame size without a reset is an error that says what to do.
  try {
    estimator.next(cv::Mat(30, 40, CV_8UC3, cv::Scalar::all(9)));
    ADD_FAILURE() << "a frame of another size was accepted";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("reset()"), std::string::npos) << e.what();
  }
}

// The window mode is the official offline forward on the last N frames (parity-tested above),
// and frames older than the window have no influence.
TEST(VideoDepthEstimator, WindowModeIsTheClipForwardOfTheLastFrames) {
  VideoDepthOptions options = tinyStreamOptions();
  options.mode = VideoDepthMode::kWindow;
  options.window_frames = 3;
  VideoDepthEstimator estimator(options, tinyConfig());
  VideoDepthEstimator other(options, tinyConfig());
  VideoDepthAnything model = loadVideoDepthAnything(tinyWeights(), tinyConfig());
  for (int t = 0; t < 6; ++t) {
    const cv::Mat depth = estimator.next(streamFrame(t));
    // `other` sees another first frame: equal results once it has left the window.
    const cv::Mat other_depth = other.next(streamFrame(t == 0 ? 20 : t));
    const double difference = cv::norm(depth, other_depth, cv::NORM_INF);
    if (t >= 3) {
      EXPECT_LE(difference, 0.0) << t;
    } else if (t == 0) {
      EXPECT_GT(difference, 1e-3);
    }
  }
  EXPECT_EQ(estimator.cachedFrameIds(), (std::vector<std::int64_t>{3, 4, 5}));
  // Frame 5 = the last frame of the clip 3, 4, 5 through the official forward.
  torch::NoGradGuard no_grad;
  std::vector<at::Tensor> frames;
  for (int t = 3; t < 6; ++t) {
    const cv::Mat input = preprocessForDepth(streamFrame(t), options.input_size);
    frames.push_back(torch::from_blob(input.data, {input.rows, input.cols, 3}, torch::kFloat)
                         .permute({2, 0, 1})
                         .clone());
  }
  const at::Tensor clip_depth = model->forward(torch::stack(frames));  // [3, h, w]
  const at::Tensor expected = torch::upsample_bilinear2d(clip_depth.slice(0, 2, 3).unsqueeze(1),
                                                         {45, 60}, /*align_corners=*/true)[0][0];
  estimator.reset();
  cv::Mat last;
  for (int t = 3; t < 6; ++t) last = estimator.next(streamFrame(t));
  EXPECT_LE(test::maxAbsDiff(tensorFromMat(last), expected), 1e-5);
  options.window_frames = 33;
  EXPECT_THROW(VideoDepthEstimator(options, tinyConfig()), InputError);
}

TEST(VideoDepthEstimator, WideFramesUseTheOfficialReducedInputSize) {
  EXPECT_EQ(videoDepthInputSize({1920, 1080}, 518, true), 518);  // 1.777 <= 1.78
  EXPECT_EQ(videoDepthInputSize({2560, 1080}, 518, true), 392);  // int(388.4)=388 -> 27.7 -> 28*14
  EXPECT_EQ(videoDepthInputSize({2560, 1080}, 518, false), 518);
  EXPECT_EQ(videoDepthInputSize({1080, 2560}, 518, true), 392);
}

TEST(VideoDepthAnythingManifest, AllThreeSizesMatchTheOfficialCheckpoints) {
  for (DepthModelSize size :
       {DepthModelSize::kSmall, DepthModelSize::kBase, DepthModelSize::kLarge}) {
    const fs::path manifest_path =
        test::testDataDir() / "manifests" /
        (std::string("video_depth_anything_") + toString(size) + ".json");
    const nlohmann::json manifest = nlohmann::json::parse(std::ifstream(manifest_path));
    EXPECT_EQ(manifest.at("checkpoint_file").get<std::string>(),
              "checkpoints/" + videoDepthCheckpointFileName(size));
    VideoDepthAnything model(VideoDepthAnythingConfig::preset(size));
    EXPECT_EQ(test::compareWithManifest(*model, manifest_path), "") << toString(size);
    std::int64_t parameters = 0;
    for (const auto& p : model->parameters()) parameters += p.numel();
    EXPECT_EQ(parameters, manifest.at("num_parameters").get<std::int64_t>()) << toString(size);
  }
}

TEST(VideoDepthAnythingCheckpoint, ImageModelsAndMissingFilesAreRejectedClearly) {
  try {
    loadVideoDepthAnything(test::testDataDir() / "dav2" / "dav2_vits_random.safetensors",
                           DepthModelSize::kAuto);
    ADD_FAILURE() << "a Depth Anything V2 file loaded as a video model";
  } catch (const CheckpointError& e) {
    EXPECT_NE(std::string(e.what()).find("is a Depth Anything V2 image checkpoint"),
              std::string::npos)
        << e.what();
  }
  // The tiny test file (24-dim) is no official size.
  EXPECT_THROW(loadVideoDepthAnything(tinyWeights(), DepthModelSize::kAuto), CheckpointError);
  test::TempDir dir;
  try {
    findVideoDepthCheckpoint(dir.path(), DepthModelSize::kAuto);
    ADD_FAILURE() << "found a checkpoint in an empty folder";
  } catch (const InputError& e) {
    const std::string message = e.what();
    EXPECT_NE(message.find("video_depth_anything_vits.pth"), std::string::npos) << message;
    EXPECT_NE(message.find("Video-Depth-Anything-Small"), std::string::npos) << message;
  }
  test::writeRawFile(dir / "video_depth_anything_vitl.pth", "x");
  EXPECT_EQ(findVideoDepthCheckpoint(dir.path(), DepthModelSize::kAuto),
            dir / "video_depth_anything_vitl.pth");
  test::writeRawFile(dir / "video_depth_anything_vits.safetensors", "x");
  EXPECT_EQ(findVideoDepthCheckpoint(dir.path(), DepthModelSize::kAuto),
            dir / "video_depth_anything_vits.safetensors");
  EXPECT_THROW(findVideoDepthCheckpoint(dir.path(), DepthModelSize::kBase), InputError);
}

}  // namespace
}  // namespace genstereo
