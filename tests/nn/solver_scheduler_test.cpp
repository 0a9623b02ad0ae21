// DPM-Solver++ 2M (with and without Karras sigmas) and Euler against diffusers 0.31, from the
// fixtures of tests/data/scheduler/make_solver_fixtures.py: 5, 10, 20 and 25 steps, for
// GenStereo's v-prediction zero-SNR trailing schedule and for SD 1.5's epsilon schedule
// (linspace spacing, as from_config converts it, and leading spacing). Each case checks the
// timesteps (exact), the sigmas, init_noise_sigma, and every scaled model input and step
// output of a full run fed with fixed model outputs.
// Tolerance: relative 1e-6 of the largest expected magnitude (the samples of Euler grow to
// sigma_max = 4096 under zero-SNR); the same float32 ATen arithmetic as the Python code, so
// the observed difference is 0 (bit-identical, torch 1.13 CPU on both sides).
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <memory>
#include <sstream>
#include <string>
#include <tuple>

#include <ATen/ATen.h>

#include "errors.h"
#include "nn/dpm_solver_multistep_scheduler.h"
#include "nn/euler_discrete_scheduler.h"
#include "nn/scheduler.h"
#include "nn_test_support.h"
#include "test_support.h"

namespace genstereo {
namespace {

constexpr double kRelativeTolerance = 1e-6;

NoiseScheduleConfig scheduleNamed(const std::string& name) {
  NoiseScheduleConfig config = NoiseScheduleConfig::genStereo();
  if (name == "v") return config;
  config.rescale_betas_zero_snr = false;
  config.prediction_type = PredictionType::kEpsilon;
  config.timestep_spacing =
      name == "eps_leading" ? TimestepSpacing::kLeading : TimestepSpacing::kLinspace;
  return config;
}

double relativeDiff(const at::Tensor& actual, const at::Tensor& expected) {
  const double scale = std::max(1.0, expected.abs().max().item<double>());
  return test::maxAbsDiff(actual, expected) / scale;
}

// (file stem of the solver, schedule name, steps)
using SolverCase = std::tuple<std::string, std::string, int>;

class SolverParity : public ::testing::TestWithParam<SolverCase> {};

TEST_P(SolverParity, MatchesDiffusers) {
  const auto& [solver, schedule, steps] = GetParam();
  const SafetensorsFile file(test::testDataDir() / "scheduler" /
                             (solver + "_" + schedule + ".safetensors"));
  const std::string prefix = "s" + std::to_string(steps) + "_";
  const SchedulerKind kind = solver == "euler"            ? SchedulerKind::kEulerDiscrete
                             : solver == "dpmpp2m_karras" ? SchedulerKind::kDpmSolverMultistepKarras
                                                          : SchedulerKind::kDpmSolverMultistep;
  const std::unique_ptr<Scheduler> scheduler = makeScheduler(kind, scheduleNamed(schedule));
  EXPECT_EQ(scheduler->kind(), kind);
  scheduler->setTimesteps(steps);

  const at::Tensor expected_t = test::fixtureTensor(file, prefix + "timesteps");
  ASSERT_EQ(static_cast<std::int64_t>(scheduler->timesteps().size()), expected_t.numel());
  for (std::size_t i = 0; i < scheduler->timesteps().size(); ++i) {
    EXPECT_EQ(scheduler->timesteps()[i], expected_t[static_cast<std::int64_t>(i)].item<float>())
        << "timestep " << i;
  }
  const std::vector<float>& sigmas =
      kind == SchedulerKind::kEulerDiscrete
          ? static_cast<EulerDiscreteScheduler&>(*scheduler).sigmas()
          : static_cast<DpmSolverMultistepScheduler&>(*scheduler).sigmas();
  const at::Tensor expected_sigmas = test::fixtureTensor(file, prefix + "sigmas");
  ASSERT_EQ(static_cast<std::int64_t>(sigmas.size()), expected_sigmas.numel());
  for (std::size_t i = 0; i < sigmas.size(); ++i) {
    const float expected = expected_sigmas[static_cast<std::int64_t>(i)].item<float>();
    EXPECT_NEAR(sigmas[i], expected, kRelativeTolerance * std::max(1.0f, expected))
        << "sigma " << i;
  }

  const at::Tensor noise = test::fixtureTensor(file, prefix + "initial_noise");
  const at::Tensor first_input = test::fixtureTensor(file, prefix + "model_input_0");
  at::Tensor sample = noise * scheduler->initNoiseSigma();
  double worst = 0.0;
  for (int k = 0; k < steps; ++k) {
    const std::string step = std::to_string(k);
    const at::Tensor model_input = scheduler->scaleModelInput(sample, k);
    const double input_diff =
        relativeDiff(model_input, test::fixtureTensor(file, prefix + "model_input_" + step));
    EXPECT_LE(input_diff, kRelativeTolerance) << "model input of step " << k;
    sample = scheduler->step(test::fixtureTensor(file, prefix + "model_output_" + step), k, sample);
    const double diff =
        relativeDiff(sample, test::fixtureTensor(file, prefix + "prev_sample_" + step));
    EXPECT_LE(diff, kRelativeTolerance) << "sample after step " << k;
    worst = std::max({worst, diff, input_diff});
  }
  std::ostringstream text;
  text << worst;
  RecordProperty("max_relative_diff", text.str());
}

std::string caseName(const ::testing::TestParamInfo<SolverCase>& info) {
  return std::get<0>(info.param) + "_" + std::get<1>(info.param) + "_" +
         std::to_string(std::get<2>(info.param));
}

INSTANTIATE_TEST_SUITE_P(Diffusers031, SolverParity,
                         ::testing::Combine(::testing::Values("dpmpp2m", "dpmpp2m_karras", "euler"),
                                            ::testing::Values("v", "eps", "eps_leading"),
                                            ::testing::Values(5, 10, 20, 25)),
                         caseName);

TEST(SchedulerKind, NamesRoundTrip) {
  for (const std::string& name : schedulerKindNames())
    EXPECT_EQ(toString(parseSchedulerKind(name)), name);
  EXPECT_EQ(parseSchedulerKind("dpm++2m"), SchedulerKind::kDpmSolverMultistep);
  EXPECT_EQ(parseSchedulerKind("dpm++2m-karras"), SchedulerKind::kDpmSolverMultistepKarras);
  EXPECT_EQ(schedulerKindNames().front(), "ddim");
  try {
    parseSchedulerKind("dpm");
    ADD_FAILURE() << "accepted an unknown scheduler";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("dpm++2m-karras"), std::string::npos) << e.what();
  }
}

TEST(Scheduler, DdimThroughTheCommonInterfaceMatchesDdimScheduler) {
  const std::unique_ptr<Scheduler> scheduler = makeScheduler(SchedulerKind::kDdim);
  scheduler->setTimesteps(20);
  ASSERT_EQ(scheduler->timesteps().size(), 20u);
  EXPECT_EQ(scheduler->timesteps().front(), 999.0);
  EXPECT_EQ(scheduler->timesteps().back(), 49.0);
  EXPECT_EQ(scheduler->initNoiseSigma(), 1.0);
  const SafetensorsFile file(test::testDataDir() / "scheduler" / "ddim_steps20.safetensors");
  const at::Tensor model_output = test::fixtureTensor(file, "model_output");
  const at::Tensor sample = test::fixtureTensor(file, "sample");
  EXPECT_TRUE(scheduler->scaleModelInput(sample, 10).equal(sample));
  EXPECT_LE(test::maxAbsDiff(scheduler->step(model_output, 10, sample),
                             test::fixtureTensor(file, "step10_t499_eta0_prev_sample")),
            1e-6);
  NoiseScheduleConfig epsilon = NoiseScheduleConfig::genStereo();
  epsilon.prediction_type = PredictionType::kEpsilon;
  EXPECT_THROW(makeScheduler(SchedulerKind::kDdim, epsilon), InputError);
}

TEST(Scheduler, RejectsBadStepCountsAndOutOfOrderSteps) {
  for (const SchedulerKind kind :
       {SchedulerKind::kDdim, SchedulerKind::kDpmSolverMultistep,
        SchedulerKind::kDpmSolverMultistepKarras, SchedulerKind::kEulerDiscrete}) {
    const std::unique_ptr<Scheduler> scheduler = makeScheduler(kind);
    EXPECT_THROW(scheduler->step(at::zeros({1}), 0, at::zeros({1})), InputError) << toString(kind);
    EXPECT_THROW(scheduler->setTimesteps(0), InputError) << toString(kind);
    EXPECT_THROW(scheduler->setTimesteps(1001), InputError) << toString(kind);
    scheduler->setTimesteps(5);
    EXPECT_THROW(scheduler->step(at::zeros({1}), 5, at::zeros({1})), InputError) << toString(kind);
  }
  DpmSolverMultistepScheduler dpm;
  dpm.setTimesteps(5);
  EXPECT_THROW(dpm.step(at::zeros({1}), 1, at::zeros({1})), InputError);  // skipped step 0
  dpm.step(at::zeros({1}), 0, at::zeros({1}));
  dpm.setTimesteps(5);  // a new run starts at step 0 again
  EXPECT_NO_THROW(dpm.step(at::zeros({1}), 0, at::zeros({1})));
}

TEST(Scheduler, ZeroSnrStartsAtSigma4096) {
  // diffusers clamps the terminal alphas_cumprod 0 to 2^-24: sigma_max = sqrt((1 - 2^-24) / 2^-24).
  DpmSolverMultistepScheduler dpm;
  dpm.setTimesteps(20);
  EXPECT_NEAR(dpm.sigmas().front(), 4096.0, 1e-3);
  EXPECT_EQ(dpm.sigmas().back(), 0.0f);
  EulerDiscreteScheduler euler;
  euler.setTimesteps(20);
  EXPECT_NEAR(euler.initNoiseSigma(), 4096.0, 1e-3);
}

}  // namespace
}  // namespace genstereo
