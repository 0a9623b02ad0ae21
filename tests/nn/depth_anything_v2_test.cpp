// Depth Anything V2 in LibTorch against the official code.
// Fixture (tests/data/dav2, from ../shared/fixtures/dav2_tiny): the official DepthAnythingV2 with a
// tiny random DINOv2 (48-dim, 2 heads, 12 blocks) and DPT head (features 16, out [8,16,32,64]),
// torch 1.13 CPU float32, on a 70x98 input (not 518, so the position-embedding interpolation is
// exercised). Tolerances: preprocessing 1e-6 (same double-precision steps as numpy/cv2, then
// float32); network outputs 1e-4 max abs (float32, different kernels and summation order over
// 12 blocks; the measured errors are printed). Manifests: the official key names and shapes of
// the three real checkpoints (../shared/fixtures/manifests, copied to tests/data/manifests).
#include <cstring>
#include <fstream>
#include <map>

#include <gtest/gtest.h>
#include <torch/torch.h>
#include <nlohmann/json.hpp>
#include <opencv2/imgproc.hpp>

#include "errors.h"
#include "io/checkpoint_file.h"
#include "manifest_support.h"
#include "nn/depth_anything_v2.h"
#include "nn/depth_estimator.h"
#include "nn/state_dict_loader.h"
#include "nn_test_support.h"
#include "test_support.h"

namespace genstereo {
namespace {

namespace fs = std::filesystem;

fs::path dav2Dir() { return test::testDataDir() / "dav2"; }

const SafetensorsFile& fwd() {
  static const SafetensorsFile file(dav2Dir() / "dav2_vits_fwd.safetensors");
  return file;
}

fs::path tinyWeights() { return dav2Dir() / "dav2_vits_random.safetensors"; }

// The fixture's tiny model (dav2_params.json).
DepthAnythingV2Config tinyConfig() {
  const nlohmann::json params =
      nlohmann::json::parse(std::ifstream(dav2Dir() / "dav2_params.json"));
  const auto& backbone = params.at("tiny_backbone_DinoVisionTransformer_kwargs");
  DepthAnythingV2Config config;
  config.encoder.embed_dim = backbone.at("embed_dim");
  config.encoder.depth = backbone.at("depth");
  config.encoder.num_heads = backbone.at("num_heads");
  config.encoder.mlp_ratio = backbone.at("mlp_ratio");
  config.encoder.patch_size = backbone.at("patch_size");
  config.encoder.img_size = backbone.at("img_size");
  config.encoder.layer_scale_init = backbone.at("init_values");
  config.encoder.interpolate_offset = backbone.at("interpolate_offset");
  config.features = params.at("dpt_head").at("features");
  const auto out = params.at("dpt_head").at("out_channels").get<std::vector<int>>();
  std::copy(out.begin(), out.end(), config.out_channels.begin());
  config.intermediate_layers = params.at("intermediate_layer_idx").get<std::vector<int>>();
  return config;
}

cv::Mat fixtureBgrUint8() {
  const TensorInfo& info = fwd().info("infer_bgr_uint8");
  cv::Mat bgr(static_cast<int>(info.shape[0]), static_cast<int>(info.shape[1]), CV_8UC3);
  std::memcpy(bgr.data, fwd().data("infer_bgr_uint8"), info.byte_size);
  return bgr;
}

at::Tensor tensorFromMat(const cv::Mat& image) {
  return torch::from_blob(image.data, {image.rows, image.cols}, torch::kFloat).clone();
}

// A safetensors file of float32 zeros with the given shapes (a fake checkpoint).
void writeFakeCheckpoint(const fs::path& path,
                         const std::map<std::string, std::vector<std::int64_t>>& shapes) {
  nlohmann::json header = nlohmann::json::object();
  std::size_t offset = 0;
  for (const auto& [name, shape] : shapes) {
    std::size_t count = 1;
    for (std::int64_t d : shape) count *= static_cast<std::size_t>(d);
    header[name] = {
        {"dtype", "F32"}, {"shape", shape}, {"data_offsets", {offset, offset + 4 * count}}};
    offset += 4 * count;
  }
  const std::string text = header.dump();
  std::ofstream out(path, std::ios::binary);
  const std::uint64_t length = text.size();
  out.write(reinterpret_cast<const char*>(&length), 8);
  out << text << std::string(offset, '\0');
}

TEST(DepthAnythingPreprocess, WorkingSizeFollowsTheOfficialLowerBoundRule) {
  EXPECT_EQ(depthWorkingSize({98, 70}, 70), cv::Size(98, 70));
  EXPECT_EQ(depthWorkingSize({768, 768}, 518), cv::Size(518, 518));
  EXPECT_EQ(depthWorkingSize({1920, 1080}, 518), cv::Size(924, 518));
  EXPECT_EQ(depthWorkingSize({1000, 4000}, 518), cv::Size(518, 2072));
  EXPECT_EQ(depthWorkingSize({100, 50}, 518), cv::Size(1036, 518));
  EXPECT_THROW(depthWorkingSize({0, 10}, 518), InputError);
}

TEST(DepthAnythingPreprocess, MatchesOfficialImage2Tensor) {
  const cv::Mat input = preprocessForDepth(fixtureBgrUint8(), 70);
  ASSERT_EQ(input.size(), cv::Size(98, 70));
  const at::Tensor mine =
      torch::from_blob(input.data, {1, 70, 98, 3}, torch::kFloat).permute({0, 3, 1, 2});
  const double error = test::maxAbsDiff(mine, test::fixtureTensor(fwd(), "infer_preprocessed"));
  RecordProperty("max_abs_error", std::to_string(error));
  std::cout << "preprocess max abs error " << error << "\n";
  EXPECT_LE(error, 1e-6);
  // A resize that is not the identity still runs (cubic in double) and keeps the aspect ratio.
  EXPECT_EQ(preprocessForDepth(fixtureBgrUint8(), 140).size(), cv::Size(196, 140));
}

TEST(DepthAnythingV2Model, TinyForwardMatchesOfficial) {
  torch::NoGradGuard no_grad;
  DepthAnythingV2 model = loadDepthAnythingV2(tinyWeights(), tinyConfig());
  const at::Tensor depth = model->forward(test::fixtureTensor(fwd(), "input_normalized"));
  const at::Tensor expected = test::fixtureTensor(fwd(), "depth");
  ASSERT_EQ(depth.sizes(), expected.sizes());
  const double error = test::maxAbsDiff(depth, expected);
  std::cout << "forward max abs error " << error << " (output range "
            << expected.min().item<float>() << " .. " << expected.max().item<float>() << ")\n";
  EXPECT_LE(error, 1e-4);
}

TEST(DepthAnythingV2Model, InferImageMatchesOfficial) {
  DepthModelOptions options;
  options.checkpoint = tinyWeights();
  options.input_size = 70;
  options.resize = DepthResize::kBilinear;
  const DepthEstimator estimator(options, tinyConfig());
  const cv::Mat depth = estimator.estimateDepth(fixtureBgrUint8());
  ASSERT_EQ(depth.size(), cv::Size(98, 70));
  const double error =
      test::maxAbsDiff(tensorFromMat(depth), test::fixtureTensor(fwd(), "infer_depth_out"));
  std::cout << "infer_image max abs error " << error << "\n";
  EXPECT_LE(error, 1e-4);
}

TEST(DepthAnythingV2Model, PositionEmbeddingIsStoredAt518AndInterpolatedElsewhere) {
  torch::NoGradGuard no_grad;
  DepthAnythingV2 model = loadDepthAnythingV2(tinyWeights(), tinyConfig());
  auto* encoder = model->children()[0]->as<DinoVisionTransformerImpl>();
  ASSERT_NE(encoder, nullptr);
  const at::Tensor stored = encoder->named_parameters(false)["pos_embed"];
  EXPECT_TRUE(encoder->positionEmbedding(518, 518).equal(stored));
  // floor(37 * (n + 0.1) / 37) must give n for every grid the resize rule can produce.
  for (auto [h, w] :
       std::vector<std::pair<int, int>>{{14, 14}, {70, 98}, {518, 1036}, {1036, 518}, {532, 518}}) {
    const at::Tensor pe = encoder->positionEmbedding(h, w);
    EXPECT_EQ(pe.size(1), 1 + (h / 14) * (w / 14)) << h << "x" << w;
  }
}

// Above 2048 tokens (long images) the attention runs over blocks of queries; it must equal the
// plain formula (a naive reference written here from the official Attention/Block code).
TEST(DepthAnythingV2Model, ChunkedAttentionOnLongInputsEqualsThePlainFormula) {
  torch::NoGradGuard no_grad;
  torch::manual_seed(3);
  DinoV2Config config = tinyConfig().encoder;
  DinoV2Block block(config);
  auto params = block->named_parameters();
  for (auto& item : params) item.value().normal_(0.0, 0.2);
  const at::Tensor x = torch::randn({1, 2500, config.embed_dim});
  const auto p = [&](const std::string& name) { return params[name]; };
  const std::int64_t heads = config.num_heads, dim = config.embed_dim, head_dim = dim / heads;
  const at::Tensor n1 = torch::layer_norm(x, {dim}, p("norm1.weight"), p("norm1.bias"), 1e-6);
  const at::Tensor qkv = torch::linear(n1, p("attn.qkv.weight"), p("attn.qkv.bias"))
                             .reshape({1, 2500, 3, heads, head_dim})
                             .permute({2, 0, 3, 1, 4});
  const at::Tensor scores = torch::softmax(
      torch::matmul(qkv[0] * (1.0 / std::sqrt(double(head_dim))), qkv[1].transpose(-2, -1)), -1);
  const at::Tensor context = torch::matmul(scores, qkv[2]).transpose(1, 2).reshape({1, 2500, dim});
  const at::Tensor h =
      x + torch::linear(context, p("attn.proj.weight"), p("attn.proj.bias")) * p("ls1.gamma");
  const at::Tensor n2 = torch::layer_norm(h, {dim}, p("norm2.weight"), p("norm2.bias"), 1e-6);
  const at::Tensor mlp =
      torch::linear(torch::gelu(torch::linear(n2, p("mlp.fc1.weight"), p("mlp.fc1.bias"))),
                    p("mlp.fc2.weight"), p("mlp.fc2.bias"));
  const at::Tensor expected = h + mlp * p("ls2.gamma");
  EXPECT_LE(test::maxAbsDiff(block->forward(x), expected), 1e-5);
}

TEST(DepthAnythingV2Model, EstimateGivesOfficialDisparityScaleAndSharpEdgesByDefault) {
  DepthModelOptions options;
  options.checkpoint = tinyWeights();
  options.input_size = 70;
  const DepthEstimator estimator(options, tinyConfig());
  EXPECT_EQ(estimator.options().resize, DepthResize::kEdgeAware);
  const cv::Mat bgr = fixtureBgrUint8();
  const DepthEstimate result = estimator.estimate(bgr);
  EXPECT_EQ(result.working_size, cv::Size(98, 70));
  double lo = 0.0, hi = 0.0;
  cv::minMaxLoc(result.disparity.values, &lo, &hi);
  EXPECT_NEAR(lo, 0.0, 1e-6);
  EXPECT_NEAR(hi, 0.15 * 98, 1e-4);  // official: normalised depth * 0.15 * width
  // Same working and output size: the edge-aware resize is the identity, like the official one.
  options.resize = DepthResize::kBilinear;
  const DepthEstimator official(options, tinyConfig());
  EXPECT_LE(cv::norm(result.depth.values, official.estimateDepth(bgr), cv::NORM_INF), 1e-6);
  // A float [0, 1] image (the engine's convention) gives the same depth within float rounding.
  cv::Mat image01;
  bgr.convertTo(image01, CV_32F, 1.0 / 255.0);
  EXPECT_LE(cv::norm(estimator.estimateDepth(image01), result.depth.values, cv::NORM_INF), 1e-4);
  // A larger photo: depth at the photo's size, with values taken from the model's output range.
  cv::Mat large;
  cv::resize(image01, large, cv::Size(301, 215), 0, 0, cv::INTER_LINEAR);
  const cv::Mat large_depth = estimator.estimateDepth(large);
  EXPECT_EQ(large_depth.size(), cv::Size(301, 215));
  EXPECT_TRUE(cv::checkRange(large_depth));
}

TEST(DepthAnythingV2Manifest, AllThreeSizesMatchTheOfficialCheckpoints) {
  for (DepthModelSize size :
       {DepthModelSize::kSmall, DepthModelSize::kBase, DepthModelSize::kLarge}) {
    const fs::path manifest_path = test::testDataDir() / "manifests" /
                                   (std::string("depth_anything_v2_") + toString(size) + ".json");
    const nlohmann::json manifest = nlohmann::json::parse(std::ifstream(manifest_path));
    EXPECT_EQ(manifest.at("checkpoint_file").get<std::string>(),
              "checkpoints/" + depthCheckpointFileName(size));
    DepthAnythingV2 model(DepthAnythingV2Config::preset(size));
    EXPECT_EQ(test::compareWithManifest(*model, manifest_path), "") << toString(size);
    std::int64_t parameters = 0;
    for (const auto& p : model->parameters()) parameters += p.numel();
    EXPECT_EQ(parameters, manifest.at("num_parameters").get<std::int64_t>()) << toString(size);
  }
}

TEST(DepthAnythingV2Checkpoint, WrongSizeNamesBothSizes) {
  test::TempDir dir;
  const fs::path file = dir / "depth_anything_v2_vits.safetensors";
  writeFakeCheckpoint(file, {{"pretrained.cls_token", {1, 1, 768}},
                             {"pretrained.patch_embed.proj.weight", {768, 3, 14, 14}}});
  EXPECT_EQ(detectDepthModelSize(*CheckpointFile::open(file)), DepthModelSize::kBase);
  const std::string expected = "is a ViT-B (embed dim 768) checkpoint but ViT-S was selected";
  try {
    loadDepthAnythingV2(file, DepthModelSize::kSmall);
    ADD_FAILURE() << "a ViT-B file loaded as ViT-S";
  } catch (const CheckpointError& e) {
    EXPECT_NE(std::string(e.what()).find(expected), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find(file.string()), std::string::npos) << e.what();
  }
  DepthModelOptions options;
  options.models_dir = dir.path();
  options.size = DepthModelSize::kSmall;  // finds the file by name, then detects ViT-B inside
  try {
    const DepthEstimator estimator(options);
    ADD_FAILURE() << "the estimator accepted a ViT-B file as ViT-S";
  } catch (const CheckpointError& e) {
    EXPECT_NE(std::string(e.what()).find(expected), std::string::npos) << e.what();
  }
}

TEST(DepthAnythingV2Checkpoint, ForeignOrUnsupportedFilesAreRejectedClearly) {
  test::TempDir dir;
  writeFakeCheckpoint(dir / "other.safetensors", {{"conv_in.weight", {16, 14, 3, 3}}});
  EXPECT_THROW(
      {
        try {
          detectDepthModelSize(*CheckpointFile::open(dir / "other.safetensors"));
        } catch (const CheckpointError& e) {
          EXPECT_NE(std::string(e.what()).find("is not a Depth Anything V2 checkpoint"),
                    std::string::npos)
              << e.what();
          throw;
        }
      },
      CheckpointError);
  // The tiny test file (48-dim) is no official size.
  EXPECT_THROW(loadDepthAnythingV2(tinyWeights(), DepthModelSize::kAuto), CheckpointError);
  // A right-size file with a wrong key layout: the strict loader names the keys.
  writeFakeCheckpoint(dir / "partial.safetensors", {{"pretrained.cls_token", {1, 1, 384}}});
  try {
    loadDepthAnythingV2(dir / "partial.safetensors", DepthModelSize::kSmall);
    ADD_FAILURE() << "a partial checkpoint loaded";
  } catch (const CheckpointError& e) {
    EXPECT_NE(std::string(e.what()).find("missing key(s)"), std::string::npos) << e.what();
  }
}

TEST(DepthCheckpointSearch, NamesTheExpectedFileAndTheAlternatives) {
  test::TempDir dir;
  try {
    findDepthCheckpoint(dir.path(), DepthModelSize::kLarge);
    ADD_FAILURE() << "found a checkpoint in an empty folder";
  } catch (const InputError& e) {
    const std::string message = e.what();
    EXPECT_NE(message.find((dir.path() / "depth_anything_v2_vitl.pth").string()), std::string::npos)
        << message;
    EXPECT_NE(message.find("Depth-Anything-V2-Large"), std::string::npos) << message;
    EXPECT_NE(message.find("--disparity"), std::string::npos) << message;
    EXPECT_NE(message.find("--depth"), std::string::npos) << message;
  }
  try {
    findDepthCheckpoint(dir.path(), DepthModelSize::kAuto);
    ADD_FAILURE() << "found a checkpoint in an empty folder";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("depth_anything_v2_vits.pth"), std::string::npos)
        << e.what();
  }
  test::writeRawFile(dir / "depth_anything_v2_vits.safetensors", "x");
  EXPECT_EQ(findDepthCheckpoint(dir.path(), DepthModelSize::kSmall),
            dir / "depth_anything_v2_vits.safetensors");
  EXPECT_EQ(findDepthCheckpoint(dir.path(), DepthModelSize::kAuto),
            dir / "depth_anything_v2_vits.safetensors");
  test::writeRawFile(dir / "depth_anything_v2_vitb.pth", "x");
  EXPECT_EQ(findDepthCheckpoint(dir.path(), DepthModelSize::kAuto),
            dir / "depth_anything_v2_vitb.pth");
  EXPECT_THROW(findDepthCheckpoint(dir.path(), DepthModelSize::kLarge), InputError);
}

TEST(DepthModelSizeNames, ParseAndPrint) {
  EXPECT_EQ(parseDepthModelSize("vitl"), DepthModelSize::kLarge);
  EXPECT_EQ(parseDepthModelSize("Small"), DepthModelSize::kSmall);
  EXPECT_EQ(parseDepthModelSize("b"), DepthModelSize::kBase);
  EXPECT_EQ(parseDepthModelSize("auto"), DepthModelSize::kAuto);
  EXPECT_FALSE(parseDepthModelSize("vitg").has_value());
  EXPECT_STREQ(displayName(DepthModelSize::kBase), "ViT-B");
  EXPECT_EQ(depthCheckpointFileName(DepthModelSize::kSmall), "depth_anything_v2_vits.pth");
}

}  // namespace
}  // namespace genstereo
