// bfloat16 against float32 (docs/diffusion.md and docs/depth.md "bfloat16"), on the tiny random
// networks of ../shared/fixtures/e2e_tiny and tests/data/dav2: each network's output as the
// relative L2 error ||bf16 - fp32|| / ||fp32|| with the same float32 inputs, the whole pipeline
// (20 DPM-Solver++ steps) as the PSNR of the decoded view, and Depth Anything V2. The bounds
// are the values measured on an AVX512-BF16 EPYC (2 threads), with headroom; every value is
// printed ("[ measure  ]") for docs/diffusion.md. bfloat16 runs on any CPU (emulated where it
// is not native: slower, same numbers), so nothing is skipped for the CPU.
#include <gtest/gtest.h>

#include <cmath>
#include <fstream>
#include <iostream>

#include <torch/torch.h>
#include <nlohmann/json.hpp>

#include "nn/attention.h"
#include "nn/depth_anything_v2.h"
#include "nn/depth_estimator.h"
#include "nn/genstereo_pipeline.h"
#include "nn/photo_condition_cache.h"
#include "nn/tiled_diffusion.h"
#include "nn_test_support.h"
#include "shared_fixtures.h"
#include "test_support.h"

namespace genstereo {
namespace {

namespace fs = std::filesystem;

double relativeL2(const at::Tensor& value, const at::Tensor& reference) {
  const at::Tensor r = reference.to(at::kFloat);
  return (value.to(at::kFloat) - r).norm().item<double>() / r.norm().item<double>();
}

double psnrDb(const cv::Mat& a, const cv::Mat& b) {
  const double mse = cv::norm(a, b, cv::NORM_L2SQR) / static_cast<double>(a.total() * a.channels());
  return mse == 0.0 ? INFINITY : 10.0 * std::log10(1.0 / mse);
}

void report(const std::string& what, double value) {
  std::cout << "[ measure  ] bf16 vs fp32 " << what << ": " << value << "\n";
}

TEST(AttentionPrecision, TheBFloat16SoftmaxKeepsFloat32Statistics) {
  at::manual_seed(3);
  const at::Tensor scores = (at::randn({64, 4096}) * 4).to(at::kBFloat16);
  const at::Tensor exact = at::softmax(scores.to(at::kFloat), -1);
  // Only the output's rounding to bfloat16: statistics kept in bfloat16 would add errors of
  // the order of the row sum's rounding.
  const double rounding = relativeL2(exact.to(at::kBFloat16), exact);
  const double error = relativeL2(softmaxInFloat(scores, -1), exact);
  report("softmax of bfloat16 scores (relative L2; the output rounding alone)", error);
  EXPECT_EQ(softmaxInFloat(scores, -1).scalar_type(), at::kBFloat16);
  EXPECT_LE(error, rounding * 1.01);
}

TEST(AttentionPrecision, BlockedBFloat16AttentionIsCloseToFloat32) {
  at::set_num_threads(2);
  at::manual_seed(4);
  // 2 x 2048 x 4096 scores: more than the batched path takes, so the blocked CPU path runs.
  const at::Tensor q = at::randn({2, 2048, 32});
  const at::Tensor k = at::randn({2, 4096, 32});
  const at::Tensor v = at::randn({2, 4096, 32});
  const at::Tensor exact = scaledDotProductAttention(q, k, v, 0.25);
  const at::Tensor bf16 = scaledDotProductAttention(q.to(at::kBFloat16), k.to(at::kBFloat16),
                                                    v.to(at::kBFloat16), 0.25);
  const double error = relativeL2(bf16, exact);
  report("blocked attention 2x2048x4096 (relative L2)", error);
  EXPECT_EQ(bf16.scalar_type(), at::kBFloat16);
  EXPECT_LT(error, 0.02);  // 0.0095
  // The batched path of small attentions too.
  const at::Tensor small = scaledDotProductAttention(
      q.slice(1, 0, 64).to(at::kBFloat16), k.to(at::kBFloat16), v.to(at::kBFloat16), 0.25);
  const double small_error =
      relativeL2(small, scaledDotProductAttention(q.slice(1, 0, 64), k, v, 0.25));
  report("batched attention 2x64x4096 (relative L2)", small_error);
  EXPECT_LT(small_error, 0.02);  // 0.0084
}

class TinyBFloat16 : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    const fs::path shared = test::sharedFixturesDir();
    if (shared.empty()) return;
    const fs::path w = shared / "e2e_tiny" / "weights";
    const GenStereoModelFiles files{w / "reference_unet.pth", w / "denoising_unet.pth",
                                    w / "pose_guider.pth",    w / "fusion_layer.pth",
                                    w / "vae.safetensors",    w / "image_encoder.pth"};
    fp32_ = new GenStereoModels(GenStereoModels::load(test::tinyGenStereoConfig(), files));
    bf16_ = new GenStereoModels(GenStereoModels::load(test::tinyGenStereoConfig(), files,
                                                      c10::Device(c10::kCPU), c10::kBFloat16));
  }
  static void TearDownTestSuite() {
    delete fp32_;
    delete bf16_;
    fp32_ = bf16_ = nullptr;
  }
  void SetUp() override {
    fs::path shared;
    GENSTEREO_NEED_SHARED_FIXTURES(shared, "tiny U-Net weights live there");
    at::set_num_threads(2);
  }

  static const SafetensorsFile& e2e() {
    static const SafetensorsFile file(test::testDataDir() / "e2e" / "e2e_tiny.safetensors");
    return file;
  }
  static at::Tensor fixture(const std::string& name) { return test::fixtureTensor(e2e(), name); }
  static cv::Mat image() {
    const at::Tensor hwc = fixture("input_image_uint8_hwc").to(at::kByte).contiguous();
    return cv::Mat(64, 64, CV_8UC3, hwc.data_ptr<std::uint8_t>()).clone();
  }
  static cv::Mat disparity() {
    const at::Tensor d = fixture("input_disparity").reshape({64, 64}).contiguous();
    return cv::Mat(64, 64, CV_32FC1, d.data_ptr<float>()).clone();
  }

  static GenStereoModels* fp32_;
  static GenStereoModels* bf16_;
};
GenStereoModels* TinyBFloat16::fp32_ = nullptr;
GenStereoModels* TinyBFloat16::bf16_ = nullptr;

TEST_F(TinyBFloat16, WeightsAreConvertedOnceAndTheNormsStayFloat32) {
  int bf16_params = 0;
  int fp32_params = 0;
  for (const auto& item : bf16_->denoising_unet->named_parameters()) {
    const bool is_norm = item.key().find("norm") != std::string::npos;
    EXPECT_EQ(item.value().scalar_type(), is_norm ? at::kFloat : at::kBFloat16) << item.key();
    (is_norm ? fp32_params : bf16_params) += 1;
  }
  EXPECT_GT(bf16_params, 0);
  EXPECT_GT(fp32_params, 0);
  for (const auto& item : bf16_->fusion->named_parameters()) {
    EXPECT_EQ(item.value().scalar_type(), at::kFloat)
        << "the fusion layer stays float32: " << item.key();
  }
}

TEST_F(TinyBFloat16, EachNetworkIsCloseToFloat32) {
  torch::NoGradGuard no_grad;
  // CLIP image encoder.
  const at::Tensor pixels = fixture("clip_pixel_values");
  const double clip = relativeL2(bf16_->image_encoder->forward(pixels.to(at::kBFloat16)),
                                 fp32_->image_encoder->forward(pixels));
  report("CLIP image embedding (relative L2)", clip);
  EXPECT_LT(clip, 0.02);  // measured 0.0093
  // VAE encoder and decoder.
  const at::Tensor image_m11 = fixture("src_image_m11");
  const double encode =
      relativeL2(bf16_->vae->encode(image_m11.to(at::kBFloat16)), fp32_->vae->encode(image_m11));
  report("VAE encode (relative L2)", encode);
  EXPECT_LT(encode, 0.035);  // 0.017
  const at::Tensor latents = fixture("latents_clean").squeeze(2);
  const double decode =
      relativeL2(bf16_->vae->decode(latents.to(at::kBFloat16)), fp32_->vae->decode(latents));
  report("VAE decode (relative L2)", decode);
  EXPECT_LT(decode, 0.015);  // 0.0068
  // Pose guider.
  const at::Tensor pose_in = fixture("pose_guider_in_trg").squeeze(2);
  const at::Tensor pose_fp32 = fp32_->pose_guider->forward(pose_in);
  const double pose = relativeL2(bf16_->pose_guider->forward(pose_in.to(at::kBFloat16)), pose_fp32);
  report("pose guider (relative L2)", pose);
  EXPECT_LT(pose, 0.01);  // 0.0028

  // Reference U-Net: its banks (every transformer block's norm1 output).
  const at::Tensor context = fixture("image_prompt_embeds").slice(0, 1);  // the conditional half
  const at::Tensor ref_latents = fixture("ref_image_latents").reshape({1, 4, 8, 8});
  const at::Tensor src_pose = fixture("pose_guider_out_src").squeeze(2);
  auto reference = [&](GenStereoModels& m, at::ScalarType dtype) {
    ReferenceAttention written;
    written.mode = ReferenceAttention::Mode::kWrite;
    UNetInputs in;
    in.sample = ref_latents.to(dtype);
    in.timestep = at::scalar_tensor(0.0, at::TensorOptions().dtype(dtype));
    in.context = context.to(dtype);
    in.pose_features = src_pose.to(dtype);
    in.reference = &written;
    m.reference_unet->forward(in);
    return written.banks;
  };
  const std::vector<at::Tensor> banks_fp32 = reference(*fp32_, at::kFloat);
  const std::vector<at::Tensor> banks_bf16 = reference(*bf16_, at::kBFloat16);
  ASSERT_EQ(banks_fp32.size(), banks_bf16.size());
  double bank_worst = 0.0;
  for (std::size_t i = 0; i < banks_fp32.size(); ++i) {
    bank_worst = std::max(bank_worst, relativeL2(banks_bf16[i], banks_fp32[i]));
  }
  report("reference U-Net banks (worst block, relative L2)", bank_worst);
  EXPECT_LT(bank_worst, 0.08);  // 0.046

  // Denoising U-Net, one CFG step with the same (float32) banks for both.
  auto denoise = [&](GenStereoModels& m, at::ScalarType dtype) {
    ReferenceAttention read;
    read.mode = ReferenceAttention::Mode::kRead;
    read.unconditional_batch = 1;
    for (const at::Tensor& bank : banks_fp32) read.banks.push_back(bank.to(dtype));
    UNetInputs in;
    in.sample = fixture("step0_unet_input").squeeze(2).to(dtype);
    in.timestep = at::scalar_tensor(999.0);
    in.context = fixture("image_prompt_embeds").to(dtype);
    in.pose_features = fixture("pose_guider_out_trg").squeeze(2).repeat({2, 1, 1, 1}).to(dtype);
    in.reference = &read;
    return m.denoising_unet->forward(in);
  };
  const double unet = relativeL2(denoise(*bf16_, at::kBFloat16), denoise(*fp32_, at::kFloat));
  report("denoising U-Net step (relative L2)", unet);
  EXPECT_LT(unet, 0.04);  // 0.019
}

TEST_F(TinyBFloat16, TwentyDpmSolverStepsGiveNearlyTheSameView) {
  DiffusionParams params;
  params.steps = 20;
  params.guidance_scale = 1.5;
  params.scheduler = SchedulerKind::kDpmSolverMultistep;
  params.initial_noise = fixture("initial_noise_randn");
  DiffusionTrace trace32, trace16;
  const DiffusionResult fp32 =
      runGenStereoDiffusion(*fp32_, image(), disparity(), params, nullptr, CancelToken(), &trace32);
  const DiffusionResult bf16 =
      runGenStereoDiffusion(*bf16_, image(), disparity(), params, nullptr, CancelToken(), &trace16);
  // The scheduler's state stays float32.
  EXPECT_EQ(trace16.latents.back().scalar_type(), at::kFloat);
  EXPECT_EQ(trace16.noise_predictions.back().scalar_type(), at::kFloat);
  const double generated = psnrDb(bf16.generated, fp32.generated);
  const double fused = psnrDb(bf16.fused, fp32.fused);
  const double latents = relativeL2(trace16.latents.back(), trace32.latents.back());
  report("20-step DPM-Solver++ decoded view (PSNR dB)", generated);
  report("20-step DPM-Solver++ fused view (PSNR dB)", fused);
  report("20-step DPM-Solver++ final latents (relative L2)", latents);
  EXPECT_GT(generated, 33.0);  // 37.7 dB
  EXPECT_GT(fused, 38.0);      // 43.8 dB (the warped pixels are exact)
  EXPECT_LT(latents, 0.06);    // 0.036
}

TEST_F(TinyBFloat16, ThePhotoCacheAndTheTiledPathWorkInBFloat16) {
  PhotoConditionCache cache(2);
  DiffusionParams params;
  params.steps = 3;
  params.initial_noise = fixture("initial_noise_randn");
  const DiffusionResult plain =
      runGenStereoDiffusion(*bf16_, image(), disparity(), params, nullptr, CancelToken());
  const DiffusionResult first = runGenStereoDiffusion(*bf16_, image(), disparity(), params, nullptr,
                                                      CancelToken(), nullptr, &cache);
  const DiffusionResult cached = runGenStereoDiffusion(*bf16_, image(), disparity(), params,
                                                       nullptr, CancelToken(), nullptr, &cache);
  EXPECT_EQ(cache.counters().cache_hits, 1);
  EXPECT_EQ(cv::norm(first.fused, plain.fused, cv::NORM_INF), 0.0);
  EXPECT_EQ(cv::norm(cached.fused, plain.fused, cv::NORM_INF), 0.0);
  // A float32 run of the same photo does not take the bfloat16 entry.
  runGenStereoDiffusion(*fp32_, image(), disparity(), params, nullptr, CancelToken(), nullptr,
                        &cache);
  EXPECT_EQ(cache.counters().cache_hits, 1);

  // Tiled: a 96x64 photo in 64 px patches, each a whole diffusion run.
  const cv::Mat wide = test::makeTestImage(96, 64, 3);
  const cv::Mat wide_disparity(64, 96, CV_32FC1, cv::Scalar(4.0f));
  DiffusionParams tiled = params;
  tiled.initial_noise.reset();
  tiled.tiles = true;
  const SynthesizedView t16 = synthesizeRightViewTiled(*bf16_, wide, wide_disparity, tiled, nullptr,
                                                       CancelToken(), nullptr);
  const SynthesizedView t32 = synthesizeRightViewTiled(*fp32_, wide, wide_disparity, tiled, nullptr,
                                                       CancelToken(), nullptr);
  ASSERT_EQ(t16.view.size(), t32.view.size());
  const double psnr = psnrDb(t16.view, t32.view);
  report("tiled 96x64, 3 DDIM steps, view (PSNR dB)", psnr);
  EXPECT_GT(psnr, 36.0);  // 40.5 dB
}

// Depth Anything V2 (tiny, tests/data/dav2).
fs::path dav2Dir() { return test::testDataDir() / "dav2"; }

DepthAnythingV2Config tinyDepthConfig() {
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

TEST(DepthAnythingBFloat16, TinyModelIsCloseToFloat32) {
  at::set_num_threads(2);
  DepthModelOptions options;
  options.checkpoint = dav2Dir() / "dav2_vits_random.safetensors";
  options.input_size = 70;
  const DepthEstimator fp32(options, tinyDepthConfig());
  options.bfloat16 = true;
  const DepthEstimator bf16(options, tinyDepthConfig());
  const cv::Mat photo = test::makeTestImage(98, 70, 5);
  const cv::Mat d32 = fp32.estimateDepth(photo);
  const cv::Mat d16 = bf16.estimateDepth(photo);
  ASSERT_EQ(d16.type(), CV_32FC1);
  ASSERT_EQ(d16.size(), d32.size());
  const double error = cv::norm(d16, d32, cv::NORM_L2) / cv::norm(d32, cv::NORM_L2);
  report("Depth Anything V2 tiny depth (relative L2)", error);
  EXPECT_LT(error, 0.06);  // 0.036 (12 blocks of LayerScale 1.0 random weights)
}

}  // namespace
}  // namespace genstereo
