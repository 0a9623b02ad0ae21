// The samplers end to end through the GenStereo pipeline with the tiny random models of
// ../shared/fixtures/e2e_tiny (v2.1 layout, 64x64, guidance 1.5, the fixture's start noise):
// DPM-Solver++ 2M at 20 steps must reproduce the 50-step DDIM result (the paper's setting)
// closely, i.e. both solve the same probability-flow ODE. Measures, on the decoded diffusion
// output in [0, 1] (before fusion) and on the final latents:
//   PSNR(dpm++2m 20, ddim 50) >= 40 dB (observed 44.1 dB; DDIM at 20 steps: 41.2 dB), and
//   DPM++ 2M at 20 steps is closer to DDIM 50 than DDIM itself at 20 steps (max abs latent
//   difference, observed 0.080 vs 0.180).
// The numbers of every sampler are printed and recorded in docs/diffusion.md.
#include <gtest/gtest.h>

#include <cmath>
#include <iostream>
#include <map>

#include <torch/torch.h>

#include "nn/genstereo_pipeline.h"
#include "nn_test_support.h"
#include "shared_fixtures.h"
#include "test_support.h"

namespace genstereo {
namespace {

namespace fs = std::filesystem;

struct SamplerRun {
  cv::Mat generated;  // decoded, [0, 1]
  at::Tensor latents;
  double seconds = 0.0;
};

double psnrDb(const cv::Mat& a, const cv::Mat& b) {
  const double mse = cv::norm(a, b, cv::NORM_L2SQR) / static_cast<double>(a.total() * a.channels());
  return mse == 0.0 ? INFINITY : 10.0 * std::log10(1.0 / mse);
}

TEST(SolverPipeline, DpmSolver20StepsAgreesWithDdim50Steps) {
  fs::path shared;
  GENSTEREO_NEED_SHARED_FIXTURES(shared, "tiny U-Net weights live there");
  const fs::path w = shared / "e2e_tiny" / "weights";
  const GenStereoModelFiles files{w / "reference_unet.pth", w / "denoising_unet.pth",
                                  w / "pose_guider.pth",    w / "fusion_layer.pth",
                                  w / "vae.safetensors",    w / "image_encoder.pth"};
  GenStereoModels models = GenStereoModels::load(test::tinyGenStereoConfig(), files);
  const SafetensorsFile e2e(test::testDataDir() / "e2e" / "e2e_tiny.safetensors");
  const at::Tensor hwc =
      test::fixtureTensor(e2e, "input_image_uint8_hwc").to(at::kByte).contiguous();
  const cv::Mat image = cv::Mat(64, 64, CV_8UC3, hwc.data_ptr<std::uint8_t>()).clone();
  const at::Tensor d = test::fixtureTensor(e2e, "input_disparity").reshape({64, 64}).contiguous();
  const cv::Mat disparity = cv::Mat(64, 64, CV_32FC1, d.data_ptr<float>()).clone();

  const auto run = [&](SchedulerKind kind, int steps) {
    DiffusionParams params;
    params.steps = steps;
    params.guidance_scale = 1.5;
    params.scheduler = kind;
    params.initial_noise = test::fixtureTensor(e2e, "initial_noise_randn");
    DiffusionTrace trace;
    SamplerRun out;
    const DiffusionResult result = runGenStereoDiffusion(
        models, image, disparity, params,
        [&](const DiffusionProgress& p) { out.seconds = p.elapsed_s; }, CancelToken(), &trace);
    EXPECT_EQ(static_cast<int>(trace.latents.size()), steps) << toString(kind);
    out.generated = result.generated;
    out.latents = trace.latents.back();
    return out;
  };

  const SamplerRun reference = run(SchedulerKind::kDdim, 50);
  std::map<std::string, SamplerRun> runs;
  for (const SchedulerKind kind :
       {SchedulerKind::kDdim, SchedulerKind::kDpmSolverMultistep,
        SchedulerKind::kDpmSolverMultistepKarras, SchedulerKind::kEulerDiscrete}) {
    for (const int steps : {10, 20, 25}) {
      const std::string name = std::string(toString(kind)) + " " + std::to_string(steps);
      runs[name] = run(kind, steps);
      const SamplerRun& r = runs[name];
      const double psnr = psnrDb(r.generated, reference.generated);
      const double latent_max = test::maxAbsDiff(r.latents, reference.latents);
      const double latent_mean = (r.latents - reference.latents).abs().mean().item<double>();
      std::cout << "[ measure  ] " << name << " vs ddim 50: image PSNR " << psnr
                << " dB, latents max " << latent_max << " mean " << latent_mean << " (" << r.seconds
                << " s)\n";
      RecordProperty(name, std::to_string(psnr));
    }
  }
  EXPECT_GE(psnrDb(runs["dpm++2m 20"].generated, reference.generated), 40.0);
  EXPECT_LT(test::maxAbsDiff(runs["dpm++2m 20"].latents, reference.latents),
            test::maxAbsDiff(runs["ddim 20"].latents, reference.latents));
}

}  // namespace
}  // namespace genstereo
