// DDIM parity with diffusers 0.31 (fixtures tests/data/scheduler: 1, 5, 20 and 50 steps,
// eta 0 and 1, torch 1.13 CPU float32). Same ATen float32 operations: tolerance 1e-6 max abs
// (observed 0). Known official behaviour kept: 20 steps, t=999, eta=1 gives NaN (the sqrt of
// a slightly negative 1 - abar_prev - std^2), which the test expects too.
#include <gtest/gtest.h>

#include <string>

#include <ATen/ATen.h>

#include "errors.h"
#include "nn/ddim_scheduler.h"
#include "nn_test_support.h"
#include "test_support.h"

namespace genstereo {
namespace {

class DdimParity : public ::testing::TestWithParam<int> {};

TEST_P(DdimParity, MatchesDiffusers) {
  const int steps = GetParam();
  const SafetensorsFile file(test::testDataDir() / "scheduler" /
                             ("ddim_steps" + std::to_string(steps) + ".safetensors"));
  DdimScheduler scheduler;
  EXPECT_LE(test::maxAbsDiff(scheduler.betas(), test::fixtureTensor(file, "betas")), 1e-6);
  EXPECT_LE(
      test::maxAbsDiff(scheduler.alphasCumprod(), test::fixtureTensor(file, "alphas_cumprod")),
      1e-6);
  EXPECT_EQ(scheduler.alphasCumprod()[999].item<float>(), 0.0f);  // zero terminal SNR
  scheduler.setTimesteps(steps);
  const at::Tensor expected_t = test::fixtureTensor(file, "timesteps");
  ASSERT_EQ(static_cast<std::int64_t>(scheduler.timesteps().size()), expected_t.numel());
  for (std::size_t i = 0; i < scheduler.timesteps().size(); ++i) {
    EXPECT_EQ(scheduler.timesteps()[i], expected_t[static_cast<std::int64_t>(i)].item<float>());
  }
  const at::Tensor model_output = test::fixtureTensor(file, "model_output");
  const at::Tensor sample = test::fixtureTensor(file, "sample");
  const at::Tensor noise = test::fixtureTensor(file, "variance_noise");
  int checked = 0;
  for (std::size_t i = 0; i < scheduler.timesteps().size(); ++i) {
    const std::int64_t t = scheduler.timesteps()[i];
    for (int eta : {0, 1}) {
      const std::string stem =
          "step" + std::to_string(i) + "_t" + std::to_string(t) + "_eta" + std::to_string(eta);
      if (!file.contains(stem + "_prev_sample")) continue;
      const DdimStepOutput out = scheduler.step(model_output, t, sample, eta, noise);
      const at::Tensor expected = test::fixtureTensor(file, stem + "_prev_sample");
      if (expected.isnan().all().item<bool>()) {
        EXPECT_TRUE(out.prev_sample.isnan().all().item<bool>()) << stem;
      } else {
        EXPECT_LE(test::maxAbsDiff(out.prev_sample, expected), 1e-6) << stem;
      }
      EXPECT_LE(test::maxAbsDiff(out.pred_original_sample,
                                 test::fixtureTensor(file, stem + "_pred_original_sample")),
                1e-6)
          << stem;
      ++checked;
    }
  }
  EXPECT_GE(checked, 2);
  const at::Tensor noisy = scheduler.addNoise(test::fixtureTensor(file, "add_noise_latents"),
                                              test::fixtureTensor(file, "add_noise_noise"), 999);
  EXPECT_LE(test::maxAbsDiff(noisy, test::fixtureTensor(file, "add_noise_t999")), 1e-6);
}

INSTANTIATE_TEST_SUITE_P(Steps, DdimParity, ::testing::Values(1, 5, 20, 50));

TEST(DdimScheduler, RejectsBadStepCounts) {
  DdimScheduler scheduler;
  EXPECT_THROW(scheduler.setTimesteps(0), InputError);
  EXPECT_THROW(scheduler.setTimesteps(1001), InputError);
  EXPECT_THROW(scheduler.step(at::zeros({1}), 999, at::zeros({1})), InputError);
}

}  // namespace
}  // namespace genstereo
