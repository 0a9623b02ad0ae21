// The whole GenStereo pipeline against the official one (e2e_tiny: GenStereo.__call__ with
// tiny random models, v2.1 layout, 64x64, 3 DDIM steps, guidance 1.5, the start noise
// injected), from the input image and disparity to the fused right view, checking every
// intermediate. Tolerances: conditions 1e-6 (same float32 arithmetic); networks 1e-4 (many
// float32 layers, other kernels); later steps and the decoded image 2e-4 (errors accumulate
// through three U-Net calls and the decoder; observed values are well below).
#include <gtest/gtest.h>

#include <atomic>

#include <torch/torch.h>
#include <opencv2/imgproc.hpp>

#include "errors.h"
#include "io/disparity_io.h"
#include "io/image_io.h"
#include "nn/diffusion_view_synthesizer.h"
#include "nn/genstereo_pipeline.h"
#include "nn/photo_condition_cache.h"
#include "nn/tiled_diffusion.h"
#include "nn_test_support.h"
#include "pipeline/generate_job.h"
#include "shared_fixtures.h"
#include "test_support.h"

namespace genstereo {
namespace {

namespace fs = std::filesystem;

class GenStereoPipelineTest : public ::testing::Test {
 protected:
  void SetUp() override {
    fs::path shared;
    GENSTEREO_NEED_SHARED_FIXTURES(shared, "tiny U-Net weights live there");
    const fs::path w = shared / "e2e_tiny" / "weights";
    GenStereoModelFiles files{w / "reference_unet.pth", w / "denoising_unet.pth",
                              w / "pose_guider.pth",    w / "fusion_layer.pth",
                              w / "vae.safetensors",    w / "image_encoder.pth"};
    models_ = std::make_unique<GenStereoModels>(
        GenStereoModels::load(test::tinyGenStereoConfig(), files));
    const at::Tensor hwc =
        test::fixtureTensor(e2e_, "input_image_uint8_hwc").to(at::kByte).contiguous();
    image_ = cv::Mat(64, 64, CV_8UC3, hwc.data_ptr<std::uint8_t>()).clone();
    const at::Tensor d =
        test::fixtureTensor(e2e_, "input_disparity").reshape({64, 64}).contiguous();
    disparity_ = cv::Mat(64, 64, CV_32FC1, d.data_ptr<float>()).clone();
    params_.steps = 3;
    params_.guidance_scale = 1.5;
    params_.initial_noise = test::fixtureTensor(e2e_, "initial_noise_randn");
  }

  at::Tensor fixture(const std::string& name) { return test::fixtureTensor(e2e_, name); }

  const SafetensorsFile e2e_{test::testDataDir() / "e2e" / "e2e_tiny.safetensors"};
  std::unique_ptr<GenStereoModels> models_;
  cv::Mat image_;
  cv::Mat disparity_;
  DiffusionParams params_;
};

at::Tensor matToTensor(const cv::Mat& hwc) {
  cv::Mat c = hwc.clone();
  return at::from_blob(c.data, {1, c.rows, c.cols, c.channels()}, at::kFloat)
      .permute({0, 3, 1, 2})
      .clone();
}

TEST_F(GenStereoPipelineTest, MatchesTheOfficialPipelineEndToEnd) {
  DiffusionTrace trace;
  std::vector<int> steps_seen;
  const DiffusionResult result = runGenStereoDiffusion(
      *models_, image_, disparity_, params_,
      [&](const DiffusionProgress& p) { steps_seen.push_back(p.step); }, CancelToken(), &trace);
  EXPECT_EQ(steps_seen, (std::vector<int>{1, 2, 3}));
  EXPECT_LE(test::maxAbsDiff(trace.source_condition, fixture("pose_guider_in_src").squeeze(2)),
            1e-6);
  EXPECT_LE(test::maxAbsDiff(trace.target_condition, fixture("pose_guider_in_trg").squeeze(2)),
            1e-6);
  EXPECT_LE(test::maxAbsDiff(trace.prompt, fixture("image_prompt_embeds")), 1e-5);
  EXPECT_LE(test::maxAbsDiff(trace.reference_latents, fixture("ref_image_latents")), 1e-4);
  EXPECT_LE(test::maxAbsDiff(trace.source_pose, fixture("pose_guider_out_src").squeeze(2)), 1e-5);
  EXPECT_LE(test::maxAbsDiff(trace.target_pose, fixture("pose_guider_out_trg").squeeze(2)), 1e-5);
  ASSERT_EQ(trace.noise_predictions.size(), 3u);
  for (int i = 0; i < 3; ++i) {
    const std::string s = "step" + std::to_string(i);
    const double tolerance = i == 0 ? 1e-4 : 2e-4;
    EXPECT_LE(test::maxAbsDiff(trace.noise_predictions[static_cast<std::size_t>(i)],
                               fixture(s + "_noise_pred_after_cfg").squeeze(2)),
              tolerance)
        << s;
    EXPECT_LE(test::maxAbsDiff(trace.latents[static_cast<std::size_t>(i)],
                               fixture(s + "_latents_out").squeeze(2)),
              tolerance)
        << s;
  }
  EXPECT_LE(test::maxAbsDiff(trace.latents.back(), fixture("latents_clean")), 2e-4);
  EXPECT_LE(test::maxAbsDiff(matToTensor(result.warped), fixture("warped01")), 1e-6);
  EXPECT_LE(test::maxAbsDiff(matToTensor(result.generated), fixture("synthesized")), 2e-4);
  EXPECT_LE(test::maxAbsDiff(matToTensor(result.fusion_weights), fixture("fusion_weights")), 2e-4);
  EXPECT_LE(test::maxAbsDiff(matToTensor(result.fused), fixture("fused")), 2e-4);
}

TEST_F(GenStereoPipelineTest, CancelsBetweenSteps) {
  const CancelToken cancel;
  int last_step = 0;
  EXPECT_THROW(runGenStereoDiffusion(
                   *models_, image_, disparity_, params_,
                   [&](const DiffusionProgress& p) {
                     last_step = p.step;
                     if (p.step == 1) cancel.cancel();
                   },
                   cancel),
               CancelledError);
  EXPECT_EQ(last_step, 1);
}

TEST(GenStereoModelsFiles, NamesEveryMissingFile) {
  test::TempDir dir;
  try {
    locateGenStereoModels(dir.path(), GenStereoVariant::kSd21);
    ADD_FAILURE();
  } catch (const InputError& e) {
    const std::string message = e.what();
    for (const char* part :
         {"genstereo-v2.1/reference_unet.pth", "genstereo-v2.1/denoising_unet.pth",
          "genstereo-v2.1/pose_guider.pth", "genstereo-v2.1/fusion_layer.pth",
          "sd-vae-ft-mse/diffusion_pytorch_model.safetensors", "image_encoder/pytorch_model.bin",
          "FQiao/GenStereo-sd2.1"}) {
      EXPECT_NE(message.find(part), std::string::npos) << part << "\n" << message;
    }
  }
}

}  // namespace
}  // namespace genstereo

namespace genstereo {
namespace {

// Any photo size through the diffusion engine: a non-square photo is padded, run at the
// working size and mapped back to its own resolution (the whole generate job through the
// engine: engine_models_test.cpp).
TEST_F(GenStereoPipelineTest, NonSquarePhotoMapsBackToItsResolution) {
  const int width = 96, height = 56;
  cv::Mat photo = test::makeTestImage(width, height, 3);
  cv::Mat disparity(height, width, CV_32FC1, cv::Scalar(3.0f));
  disparity(cv::Rect(30, 10, 25, 30)).setTo(9.0f);
  DiffusionParams params;
  params.steps = 2;
  params.seed = 7;
  const SynthesizedView view = synthesizeRightViewWithDiffusion(*models_, photo, disparity, params);
  ASSERT_EQ(view.view.size(), photo.size());
  ASSERT_EQ(view.view.type(), CV_32FC3);
  double low = 0, high = 0;
  cv::minMaxLoc(view.view.reshape(1), &low, &high);
  EXPECT_GE(low, -1e-5);
  EXPECT_LE(high, 1.0 + 1e-5);
  // Deep inside the visible background the fusion keeps mostly the full-resolution warp.
  EXPECT_GT(view.fusion_weight.at<float>(45, 10), 0.0f);
  EXPECT_EQ(view.fusion_weight.at<float>(height / 2, width - 1), 0.0f);  // hole strip: generated
  // The same seed gives the same view.
  const SynthesizedView again =
      synthesizeRightViewWithDiffusion(*models_, photo, disparity, params);
  EXPECT_EQ(cv::norm(view.view, again.view, cv::NORM_INF), 0.0);
}

// The per-photo cache changes no number: a run from cached photo conditions equals one that
// computes them, step by step; another disparity (baseline) or guidance reuses the entry.
TEST_F(GenStereoPipelineTest, CachedPhotoConditionsChangeNoOutput) {
  PhotoConditionCache cache(2);
  DiffusionTrace cached, uncached;
  runGenStereoDiffusion(*models_, image_, disparity_, params_, nullptr, CancelToken(), nullptr,
                        &cache);
  const DiffusionResult from_cache = runGenStereoDiffusion(*models_, image_, disparity_, params_,
                                                           nullptr, CancelToken(), &cached, &cache);
  const DiffusionResult plain = runGenStereoDiffusion(*models_, image_, disparity_, params_,
                                                      nullptr, CancelToken(), &uncached);
  const PhotoConditionCounters counters = cache.counters();
  EXPECT_EQ(counters.clip_forwards, 1);
  EXPECT_EQ(counters.vae_encodes, 1);
  EXPECT_EQ(counters.reference_forwards, 1);
  EXPECT_EQ(counters.cache_hits, 1);
  ASSERT_EQ(cached.latents.size(), uncached.latents.size());
  for (std::size_t i = 0; i < cached.latents.size(); ++i) {
    EXPECT_EQ(test::maxAbsDiff(cached.noise_predictions[i], uncached.noise_predictions[i]), 0.0)
        << "step " << i;
    EXPECT_EQ(test::maxAbsDiff(cached.latents[i], uncached.latents[i]), 0.0) << "step " << i;
  }
  EXPECT_EQ(test::maxAbsDiff(cached.source_pose, uncached.source_pose), 0.0);
  EXPECT_EQ(cv::norm(from_cache.fused, plain.fused, cv::NORM_INF), 0.0);

  // Another baseline (disparity) and guidance: the photo's entry serves, the result matches.
  const cv::Mat wider = disparity_ * 1.5;
  DiffusionParams other = params_;
  other.guidance_scale = 3.0;
  other.steps = 1;
  const DiffusionResult a = runGenStereoDiffusion(*models_, image_, wider, other, nullptr,
                                                  CancelToken(), nullptr, &cache);
  const DiffusionResult b = runGenStereoDiffusion(*models_, image_, wider, other);
  EXPECT_EQ(cv::norm(a.fused, b.fused, cv::NORM_INF), 0.0);
  EXPECT_EQ(cache.counters().reference_forwards, 1);
  EXPECT_EQ(cache.counters().cache_hits, 2);

  // Another photo is another entry; a third evicts the least recently used.
  cv::Mat flipped, shifted;
  cv::flip(image_, flipped, 1);
  shifted = image_ + cv::Scalar::all(1);
  runGenStereoDiffusion(*models_, flipped, disparity_, other, nullptr, CancelToken(), nullptr,
                        &cache);
  runGenStereoDiffusion(*models_, shifted, disparity_, other, nullptr, CancelToken(), nullptr,
                        &cache);
  EXPECT_EQ(cache.size(), 2);
  EXPECT_EQ(cache.counters().reference_forwards, 3);
  runGenStereoDiffusion(*models_, image_, disparity_, other, nullptr, CancelToken(), nullptr,
                        &cache);
  EXPECT_EQ(cache.counters().reference_forwards, 4) << "the first photo was evicted";

  PhotoConditionCache off(0);
  runGenStereoDiffusion(*models_, image_, disparity_, other, nullptr, CancelToken(), nullptr, &off);
  runGenStereoDiffusion(*models_, image_, disparity_, other, nullptr, CancelToken(), nullptr, &off);
  EXPECT_EQ(off.counters().reference_forwards, 2);
  EXPECT_EQ(off.counters().cache_hits, 0);
}

// The tiled view is the official mosaic of whole pipeline runs on the patches, patch i with
// its crop of the photo and of the disparity (values unchanged) and the noise of seed + i.
TEST_F(GenStereoPipelineTest, TiledViewIsTheMosaicOfPerPatchRuns) {
  const cv::Mat photo_rgb8 = [&] {
    const cv::Mat turned = image_.t();
    cv::Mat wide;
    cv::hconcat(image_, turned, wide);  // 128 x 64: three patches at overlap 0.5
    return wide;
  }();
  cv::Mat disparity;
  cv::hconcat(disparity_, disparity_ * 0.5, disparity);
  DiffusionParams params;
  params.steps = 1;
  params.seed = 40;
  params.tiles = true;
  params.tile_overlap = 0.5;
  std::vector<int> progress_totals;
  cv::Mat left01;
  cv::cvtColor(photo_rgb8, left01, cv::COLOR_RGB2BGR);
  left01.convertTo(left01, CV_32FC3, 1.0 / 255.0);
  PhotoConditionCache cache(2);
  const SynthesizedView view = synthesizeRightViewWithDiffusion(
      *models_, left01, disparity, params,
      [&](const DiffusionProgress& p) { progress_totals.push_back(p.total); }, CancelToken(),
      &cache);
  EXPECT_EQ(cache.counters().reference_forwards, 3);
  EXPECT_EQ(progress_totals, (std::vector<int>{3, 3, 3}));

  const TiledGeneration expected = generateTiled(
      photo_rgb8, disparity, 64, 0.5,
      [&](const cv::Mat& patch, const cv::Mat& patch_disparity, int i) {
        DiffusionParams one = params;
        one.tiles = false;
        one.seed = params.seed + static_cast<std::uint64_t>(i);
        const DiffusionResult r = runGenStereoDiffusion(*models_, patch, patch_disparity, one);
        return TilePatchOutput{r.fused, r.generated, r.fusion_weights};
      });
  cv::Mat expected_bgr;
  cv::cvtColor(expected.view_rgb8, expected_bgr, cv::COLOR_RGB2BGR);
  expected_bgr.convertTo(expected_bgr, CV_32FC3, 1.0 / 255.0);
  ASSERT_EQ(view.view.size(), photo_rgb8.size());
  EXPECT_EQ(cv::norm(view.view, expected_bgr, cv::NORM_INF), 0.0);
  EXPECT_EQ(view.filled.size(), photo_rgb8.size());
  EXPECT_EQ(view.fusion_weight.size(), photo_rgb8.size());
}

}  // namespace
}  // namespace genstereo
