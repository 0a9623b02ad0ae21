// Timing of the full-size GenStereo networks and the diffusion pipeline, float32 CPU, random
// weights (the time does not depend on the values). One measurement per process, so that each
// peak RSS (VmHWM) is that measurement's own:
//
//   genstereo_diffusion_bench unet sd21|sd15 [runs]    reference U-Net forward (batch 1, write
//       mode, the conditional sample only, as our pipeline runs it), then the reference U-Net is
//       freed and the denoising U-Net forward (CFG batch 2, read mode over the recorded banks,
//       context [2, 1, dim], pose features added) is timed
//   genstereo_diffusion_bench vae 512|768 [runs]       VAE decode of a [1, 4, S/8, S/8] latent
//   genstereo_diffusion_bench load FILE.pth            CheckpointFile::open + loadStateDict into
//       UNet2DCondition(UNetConfig::sd21())
//   genstereo_diffusion_bench pipeline sd15|sd21 [steps] [scheduler]   runGenStereoDiffusion
//       (DDIM unless a scheduler is named: ddim, dpm++2m, dpm++2m-karras, euler), then the
//       stages it contains (CLIP, VAE encode, pose guider, reference U-Net, VAE decode) alone
//   genstereo_diffusion_bench attention [runs]   the first level's reference-shared attention
//   genstereo_diffusion_bench tiled sd15|sd21|ARCH.json WIDTH HEIGHT [steps] [scheduler]
//       a tiled full-resolution run (nn/tiled_diffusion.h, overlap 0.5) of a random photo:
//       patches, time and peak RSS as each patch ends, total, peak RSS; ARCH.json: an architecture
//       file (nn/architecture_file.h) over the sd21 configuration, e.g. the tiny one at 768 px
//   genstereo_diffusion_bench dtype sd21|sd15 [runs]   float32 against bfloat16 side by side:
//       the reference U-Net (batch 1) and the denoising U-Net step (CFG batch 2, read mode), each
//       built twice with the same random weights (the bfloat16 copy converted once, norms
//       float32), timed alternately; the relative L2 error of the bfloat16 outputs; then where
//       the time of one step goes, by LibTorch operator (top-level operators, both dtypes), with
//       GENSTEREO_BENCH_PROFILE=1
//   GENSTEREO_BENCH_DTYPE=bfloat16 with `pipeline`: the networks converted as the engine does
//   genstereo_diffusion_bench seams PHOTO PATCH_PX [tone_spread]   seam visibility of straight
//       and feathered tile seams on a real photo whose patches disagree in tone (no networks)
//
// Each timed item: one warm-up run, then `runs` timed runs (default 2); the median is printed.
// Output: one line per measurement, `name value unit`. Threads: GENSTEREO_BENCH_THREADS
// (default 2; LibTorch's default on the 2-vCPU machine is 1).
// Not built by default (add it to tests/CMakeLists.txt, see docs/benchmarks.md).
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <functional>
#include <iostream>
#include <map>
#include <string>
#include <vector>

#include <ATen/record_function.h>
#include <torch/torch.h>
#include <opencv2/core.hpp>
#include <opencv2/imgproc.hpp>

#include "io/checkpoint_file.h"
#include "io/image_io.h"
#include "nn/architecture_file.h"
#include "nn/attention.h"
#include "nn/compute_precision.h"
#include "nn/diffusion_view_synthesizer.h"
#include "nn/genstereo_models.h"
#include "nn/genstereo_pipeline.h"
#include "nn/photo_condition_cache.h"
#include "nn/scheduler_kind.h"
#include "nn/state_dict_loader.h"
#include "nn/tiled_diffusion.h"
#include "process_memory.h"

namespace genstereo {
namespace {

using Clock = std::chrono::steady_clock;

double seconds(Clock::time_point since) {
  return std::chrono::duration<double>(Clock::now() - since).count();
}

// A field of /proc/self/status in kB (VmHWM: peak RSS, VmRSS: current RSS).
long statusKb(const std::string& field) {
  std::ifstream status("/proc/self/status");
  std::string line;
  while (std::getline(status, line)) {
    if (line.rfind(field + ":", 0) == 0) return std::atol(line.c_str() + field.size() + 1);
  }
  return -1;
}

// Resets VmHWM to the current RSS (Linux >= 4.0), so that the next stage's peak is its own.
void resetPeakRss() {
  std::ofstream clear("/proc/self/clear_refs");
  clear << "5";
}

void report(const std::string& name, double value, const std::string& unit) {
  std::printf("%s %.3f %s\n", name.c_str(), value, unit.c_str());
  std::fflush(stdout);
}

void reportPeak(const std::string& name) {
  report(name + "_peak_rss", statusKb("VmHWM") / 1048576.0, "GiB");
}

// One warm-up run, then `runs` timed runs; prints every run and the median.
void timeIt(const std::string& name, int runs, const std::function<void()>& body) {
  auto start = Clock::now();
  body();
  report(name + "_warmup", seconds(start), "s");
  std::vector<double> times;
  for (int i = 0; i < runs; ++i) {
    start = Clock::now();
    body();
    times.push_back(seconds(start));
    report(name + "_run" + std::to_string(i + 1), times.back(), "s");
  }
  if (times.empty()) return;  // warm-up only (runs 0: e.g. under a profiler)
  std::sort(times.begin(), times.end());
  const std::size_t n = times.size();
  report(name + "_median", n % 2 ? times[n / 2] : 0.5 * (times[n / 2 - 1] + times[n / 2]), "s");
}

UNetConfig unetConfig(const std::string& variant) {
  if (variant == "sd21") return UNetConfig::sd21();
  if (variant == "sd15") return UNetConfig::sd15();
  throw std::runtime_error("variant must be sd21 or sd15");
}

int benchUnet(const std::string& variant, int runs) {
  const UNetConfig config = unetConfig(variant);
  const std::int64_t latent = variant == "sd21" ? 96 : 64;
  const std::string prefix = "unet_" + variant + "_" + std::to_string(latent * 8);
  torch::NoGradGuard no_grad;
  const at::Tensor ref_latent = torch::randn({1, 4, latent, latent});
  const at::Tensor noisy = torch::randn({1, 4, latent, latent});
  const at::Tensor cond = torch::randn({1, 1, config.cross_attention_dim});
  const at::Tensor context = at::cat({at::zeros_like(cond), cond}, 0);
  const at::Tensor source_pose =
      torch::randn({1, config.block_out_channels.front(), latent, latent});
  const at::Tensor target_pose =
      torch::randn({2, config.block_out_channels.front(), latent, latent});

  ReferenceAttention reference;
  {
    UNetConfig reference_config = config;
    reference_config.has_output_head = false;
    auto start = Clock::now();
    UNet2DCondition reference_unet(reference_config);
    reference_unet->eval();
    report(prefix + "_reference_construct", seconds(start), "s");
    timeIt(prefix + "_reference_forward_b1", runs, [&] {
      reference = ReferenceAttention();
      reference.mode = ReferenceAttention::Mode::kWrite;
      UNetInputs in;
      in.sample = ref_latent;
      in.timestep = at::scalar_tensor(0.0);
      in.context = cond;
      in.pose_features = source_pose;
      in.reference = &reference;
      reference_unet->forward(in);
    });
    reportPeak(prefix + "_reference");
  }
  std::size_t bank_bytes = 0;
  for (const auto& bank : reference.banks) bank_bytes += bank.nbytes();
  report(prefix + "_banks", static_cast<double>(bank_bytes) / 1048576.0, "MiB");
  reference.mode = ReferenceAttention::Mode::kRead;
  reference.unconditional_batch = 1;

  resetPeakRss();
  auto start = Clock::now();
  UNet2DCondition denoising_unet(config);
  denoising_unet->eval();
  report(prefix + "_denoising_construct", seconds(start), "s");
  at::Tensor out;
  timeIt(prefix + "_denoising_forward_cfg_b2", runs, [&] {
    reference.next_block = 0;
    UNetInputs in;
    in.sample = at::cat({noisy, noisy}, 0);
    in.timestep = at::scalar_tensor(999, at::kLong);
    in.context = context;
    in.pose_features = target_pose;
    in.reference = &reference;
    out = denoising_unet->forward(in);
  });
  report(prefix + "_denoising_output_finite", out.isfinite().all().item<bool>() ? 1 : 0, "bool");
  reportPeak(prefix + "_denoising");
  return 0;
}

int benchVae(int size, int runs) {
  torch::NoGradGuard no_grad;
  AutoencoderKL vae(AutoencoderKLConfig{});
  vae->eval();
  const at::Tensor latents = torch::randn({1, 4, size / 8, size / 8});
  const std::string prefix = "vae_decode_" + std::to_string(size);
  resetPeakRss();
  timeIt(prefix, runs, [&] { vae->decode(latents); });
  reportPeak(prefix);
  return 0;
}

int benchLoad(const std::string& path) {
  torch::NoGradGuard no_grad;
  auto start = Clock::now();
  UNet2DCondition unet(UNetConfig::sd21());
  report("load_sd21_unet_construct", seconds(start), "s");
  report("load_sd21_unet_rss_after_construct", statusKb("VmRSS") / 1048576.0, "GiB");
  resetPeakRss();
  start = Clock::now();
  auto checkpoint = CheckpointFile::open(path);
  report("load_sd21_unet_open", seconds(start), "s");
  const auto load_start = Clock::now();
  loadStateDict(*unet, *checkpoint);
  report("load_sd21_unet_load_state_dict", seconds(load_start), "s");
  report("load_sd21_unet_open_plus_load", seconds(start), "s");
  // RSS counts the mapped file's pages (RssFile: page cache, clean, shared) besides the
  // process's own memory (RssAnon: the parameters); they are reported apart.
  report("load_sd21_unet_peak_rss_during_load", statusKb("VmHWM") / 1048576.0, "GiB");
  report("load_sd21_unet_rss_anon_after_load", statusKb("RssAnon") / 1048576.0, "GiB");
  report("load_sd21_unet_rss_file_after_load", statusKb("RssFile") / 1048576.0, "GiB");
  checkpoint.reset();
  report("load_sd21_unet_rss_after_checkpoint_closed", statusKb("VmRSS") / 1048576.0, "GiB");
  return 0;
}

int benchPipeline(const std::string& variant, int steps, SchedulerKind scheduler) {
  const GenStereoVariant v = variant == "sd21" ? GenStereoVariant::kSd21 : GenStereoVariant::kSd15;
  const GenStereoConfig config = GenStereoConfig::forVariant(v);
  const int size = config.working_size;
  const std::string prefix = "pipeline_" + variant + "_" + std::to_string(size);
  auto start = Clock::now();
  GenStereoModels m = GenStereoModels::build(config);
  report(prefix + "_construct_all", seconds(start), "s");
  const char* dtype_env = std::getenv("GENSTEREO_BENCH_DTYPE");
  if (dtype_env != nullptr && std::string(dtype_env) == "bfloat16") {
    start = Clock::now();
    for (torch::nn::Module* module : std::initializer_list<torch::nn::Module*>{
             m.pose_guider.get(), m.reference_unet.get(), m.denoising_unet.get(), m.vae.get(),
             m.image_encoder.get()}) {
      toComputeDtype(*module, m.device, at::kBFloat16);
    }
    m.dtype = at::kBFloat16;
    report(prefix + "_convert_bfloat16", seconds(start), "s");
  }
  report(prefix + "_dtype_is_bfloat16", m.dtype == at::kBFloat16 ? 1 : 0, "bool");

  // A random photo and a slanted disparity with a near box (8..32 px, box at 60 px).
  cv::Mat image(size, size, CV_8UC3);
  cv::randu(image, cv::Scalar::all(0), cv::Scalar::all(255));
  cv::Mat disparity(size, size, CV_32FC1);
  for (int y = 0; y < size; ++y) {
    for (int x = 0; x < size; ++x)
      disparity.at<float>(y, x) = 8.0f + 12.0f * x / size + 12.0f * y / size;
  }
  disparity(cv::Rect(size * 35 / 100, size * 30 / 100, size * 30 / 100, size * 40 / 100))
      .setTo(60.0f);

  DiffusionParams params;
  params.steps = steps;
  params.scheduler = scheduler;
  params.guidance_scale = 1.5;
  report(prefix + "_scheduler_" + toString(scheduler), steps, "steps");
  std::vector<double> at_step;
  resetPeakRss();
  start = Clock::now();
  runGenStereoDiffusion(m, image, disparity, params,
                        [&](const DiffusionProgress& p) { at_step.push_back(p.elapsed_s); });
  const double total = seconds(start);
  report(prefix + "_steps", steps, "steps");
  report(prefix + "_total", total, "s");
  report(prefix + "_until_step1_done", at_step.front(), "s");
  for (std::size_t i = 1; i < at_step.size(); ++i) {
    report(prefix + "_step" + std::to_string(i + 1), at_step[i] - at_step[i - 1], "s");
  }
  report(prefix + "_after_last_step", total - at_step.back(), "s");
  reportPeak(prefix);

  // The stages alone on the same models (one run each; the first calls above were the warm-up).
  torch::NoGradGuard no_grad;
  const std::int64_t latent = size / 8;
  auto stage = [&](const std::string& name, const std::function<void()>& body) {
    const auto t = Clock::now();
    body();
    report(prefix + "_stage_" + name, seconds(t), "s");
  };
  const at::ScalarType dt = m.dtype;
  stage("clip_encode_224", [&] {
    m.image_encoder->forward(torch::randn({1, 3, 224, 224}).to(dt));
  });
  stage("vae_encode", [&] { m.vae->encode((torch::rand({1, 3, size, size}) * 2 - 1).to(dt)); });
  stage("pose_guider_x2", [&] {
    m.pose_guider->forward(torch::randn({1, 14, size, size}).to(dt));
    m.pose_guider->forward(torch::randn({1, 14, size, size}).to(dt));
  });
  stage("reference_unet_b1", [&] {
    ReferenceAttention reference;
    reference.mode = ReferenceAttention::Mode::kWrite;
    UNetInputs in;
    in.sample = torch::randn({1, 4, latent, latent}).to(dt);
    in.timestep = at::scalar_tensor(0.0);
    in.context = torch::randn({1, 1, config.unet.cross_attention_dim}).to(dt);
    in.pose_features =
        torch::randn({1, config.unet.block_out_channels.front(), latent, latent}).to(dt);
    in.reference = &reference;
    m.reference_unet->forward(in);
  });
  stage("vae_decode", [&] { m.vae->decode(torch::randn({1, 4, latent, latent}).to(dt)); });
  return 0;
}

// Time by top-level LibTorch operator (aten::conv2d, aten::linear, ...) while profiling is on.
struct OpTimes {
  std::map<std::string, std::pair<double, long>> by_name;  // seconds, calls
};
OpTimes* g_op_times = nullptr;
thread_local int g_op_depth = 0;

struct OpStart : at::ObserverContext {
  Clock::time_point start;
  int depth = 0;
};

std::unique_ptr<at::ObserverContext> onOpStart(const at::RecordFunction&) {
  auto context = std::make_unique<OpStart>();
  context->depth = g_op_depth++;
  context->start = Clock::now();
  return context;
}

void onOpEnd(const at::RecordFunction& fn, at::ObserverContext* context) {
  --g_op_depth;
  const auto* op = static_cast<OpStart*>(context);
  if (op->depth != 0 || g_op_times == nullptr) return;
  auto& entry = g_op_times->by_name[fn.name()];
  entry.first += seconds(op->start);
  entry.second += 1;
}

// Runs `body` once with the operator profile on and prints the operators that took >= 1% of it.
void profileOps(const std::string& name, const std::function<void()>& body) {
  OpTimes times;
  g_op_times = &times;
  const at::CallbackHandle handle = at::addThreadLocalCallback(
      at::RecordFunctionCallback(onOpStart, onOpEnd).scopes({at::RecordScope::FUNCTION}));
  const auto start = Clock::now();
  body();
  const double total = seconds(start);
  at::removeCallback(handle);
  g_op_times = nullptr;
  std::vector<std::pair<double, std::string>> sorted;
  double counted = 0.0;
  for (const auto& [op, entry] : times.by_name) {
    sorted.emplace_back(entry.first, op);
    counted += entry.first;
  }
  std::sort(sorted.rbegin(), sorted.rend());
  report(name + "_profiled_total", total, "s");
  for (const auto& [secs, op] : sorted) {
    if (secs < 0.01 * total) break;
    report(name + "_op_" + op + "_calls" + std::to_string(times.by_name[op].second), secs, "s");
  }
  report(name + "_op_other_or_outside", total - counted, "s");
}

double relativeL2(const at::Tensor& value, const at::Tensor& reference) {
  const at::Tensor r = reference.to(at::kFloat);
  return (value.to(at::kFloat) - r).norm().item<double>() / r.norm().item<double>();
}

int benchDtype(const std::string& variant, int runs) {
  const UNetConfig config = unetConfig(variant);
  const std::int64_t latent = variant == "sd21" ? 96 : 64;
  const std::string prefix = "dtype_" + variant + "_" + std::to_string(latent * 8);
  torch::NoGradGuard no_grad;
  const c10::Device cpu(c10::kCPU);
  const at::Tensor ref_latent = torch::randn({1, 4, latent, latent});
  const at::Tensor noisy = torch::randn({1, 4, latent, latent});
  const at::Tensor cond = torch::randn({1, 1, config.cross_attention_dim});
  const at::Tensor context = at::cat({at::zeros_like(cond), cond}, 0);
  const at::Tensor source_pose =
      torch::randn({1, config.block_out_channels.front(), latent, latent});
  const at::Tensor target_pose =
      torch::randn({2, config.block_out_channels.front(), latent, latent});
  auto build = [&](const UNetConfig& c, at::ScalarType dtype) {
    torch::manual_seed(1);  // the same random weights for both dtypes
    UNet2DCondition unet(c);
    unet->eval();
    toComputeDtype(*unet, cpu, dtype);
    return unet;
  };
  // One warm-up each, then alternating timed runs of the two dtypes; medians and the error.
  auto compare = [&](const std::string& name,
                     const std::function<at::Tensor(at::ScalarType)>& run) {
    const at::Tensor out32 = run(at::kFloat);
    const at::Tensor out16 = run(at::kBFloat16);
    std::vector<double> t32, t16;
    for (int i = 0; i < runs; ++i) {
      auto start = Clock::now();
      run(at::kFloat);
      t32.push_back(seconds(start));
      report(name + "_float32_run" + std::to_string(i + 1), t32.back(), "s");
      start = Clock::now();
      run(at::kBFloat16);
      t16.push_back(seconds(start));
      report(name + "_bfloat16_run" + std::to_string(i + 1), t16.back(), "s");
    }
    report(name + "_bfloat16_relative_l2", relativeL2(out16, out32), "");
    if (runs == 0) return;
    std::sort(t32.begin(), t32.end());
    std::sort(t16.begin(), t16.end());
    const double m32 = t32[t32.size() / 2], m16 = t16[t16.size() / 2];
    report(name + "_float32_median", m32, "s");
    report(name + "_bfloat16_median", m16, "s");
    report(name + "_bfloat16_over_float32", m16 / m32, "x");
  };

  ReferenceAttention bank32, bank16;
  {
    UNetConfig reference_config = config;
    reference_config.has_output_head = false;
    UNet2DCondition ref32 = build(reference_config, at::kFloat);
    UNet2DCondition ref16 = build(reference_config, at::kBFloat16);
    compare(prefix + "_reference_b1", [&](at::ScalarType dtype) {
      ReferenceAttention& bank = dtype == at::kFloat ? bank32 : bank16;
      bank = ReferenceAttention();
      bank.mode = ReferenceAttention::Mode::kWrite;
      UNetInputs in;
      in.sample = ref_latent.to(dtype);
      in.timestep = at::scalar_tensor(0.0);
      in.context = cond.to(dtype);
      in.pose_features = source_pose.to(dtype);
      in.reference = &bank;
      (dtype == at::kFloat ? ref32 : ref16)->forward(in);
      return at::cat({bank.banks.front().flatten(), bank.banks.back().flatten()});
    });
  }
  double bank_worst = 0.0;
  for (std::size_t i = 0; i < bank32.banks.size(); ++i) {
    bank_worst = std::max(bank_worst, relativeL2(bank16.banks[i], bank32.banks[i]));
  }
  report(prefix + "_reference_banks_worst_relative_l2", bank_worst, "");
  // The denoising step reads the float32 banks in both dtypes (its own error alone).
  bank32.mode = bank16.mode = ReferenceAttention::Mode::kRead;
  bank32.unconditional_batch = bank16.unconditional_batch = 1;
  for (std::size_t i = 0; i < bank32.banks.size(); ++i)
    bank16.banks[i] = bank32.banks[i].to(at::kBFloat16);
  resetPeakRss();
  UNet2DCondition den32 = build(config, at::kFloat);
  UNet2DCondition den16 = build(config, at::kBFloat16);
  auto step = [&](at::ScalarType dtype) {
    ReferenceAttention& bank = dtype == at::kFloat ? bank32 : bank16;
    bank.next_block = 0;
    UNetInputs in;
    in.sample = at::cat({noisy, noisy}, 0).to(dtype);
    in.timestep = at::scalar_tensor(999, at::kLong);
    in.context = context.to(dtype);
    in.pose_features = target_pose.to(dtype);
    in.reference = &bank;
    return (dtype == at::kFloat ? den32 : den16)->forward(in).to(at::kFloat);
  };
  compare(prefix + "_denoising_cfg_b2", step);
  reportPeak(prefix + "_both_denoising");
  if (std::getenv("GENSTEREO_BENCH_PROFILE") != nullptr) {
    profileOps(prefix + "_denoising_bfloat16", [&] { step(at::kBFloat16); });
    profileOps(prefix + "_denoising_float32", [&] { step(at::kFloat); });
  }
  return 0;
}

// The attention of the v2.1 768 denoising U-Net's first level: 5 heads of 64, 9216 queries over
// the 18432 reference-shared keys (conditional sample), as Transformer blocks call it.
int benchAttention(int runs) {
  torch::NoGradGuard no_grad;
  const at::Tensor q = torch::randn({5, 9216, 64});
  const at::Tensor k = torch::randn({5, 18432, 64});
  const at::Tensor v = torch::randn({5, 18432, 64});
  timeIt("attention_level0_5x9216x18432", runs, [&] { scaledDotProductAttention(q, k, v, 0.125); });
  // bfloat16 (the same inputs rounded), and its error against the float32 result.
  const at::Tensor q16 = q.to(at::kBFloat16), k16 = k.to(at::kBFloat16), v16 = v.to(at::kBFloat16);
  timeIt("attention_level0_5x9216x18432_bfloat16", runs,
         [&] { scaledDotProductAttention(q16, k16, v16, 0.125); });
  const at::Tensor out32 = scaledDotProductAttention(q, k, v, 0.125);
  const at::Tensor out16 = scaledDotProductAttention(q16, k16, v16, 0.125).to(at::kFloat);
  report("attention_level0_bfloat16_relative_l2",
         ((out16 - out32).norm() / out32.norm()).item<double>(), "");
  return 0;
}

int benchTiled(const std::string& architecture, int width, int height, int steps,
               SchedulerKind scheduler) {
  const GenStereoConfig config =
      architecture == "sd21" ? GenStereoConfig::forVariant(GenStereoVariant::kSd21)
      : architecture == "sd15"
          ? GenStereoConfig::forVariant(GenStereoVariant::kSd15)
          : readGenStereoArchitecture(architecture,
                                      GenStereoConfig::forVariant(GenStereoVariant::kSd21));
  const int patch_px = config.working_size;
  const std::string prefix = "tiled_" + std::to_string(width) + "x" + std::to_string(height) +
                             "_p" + std::to_string(patch_px);
  auto start = Clock::now();
  GenStereoModels m = GenStereoModels::build(config);
  report(prefix + "_construct_all", seconds(start), "s");
  report(prefix + "_rss_after_construct", statusKb("VmRSS") / 1048576.0, "GiB");

  // A random photo over a gradient, and a disparity of up to 0.1 of a patch (the official
  // script's scale) with a near box.
  cv::Mat photo(height, width, CV_32FC3);
  cv::randu(photo, cv::Scalar::all(0.0), cv::Scalar::all(1.0));
  cv::Mat disparity(height, width, CV_32FC1);
  for (int y = 0; y < height; ++y) {
    for (int x = 0; x < width; ++x)
      disparity.at<float>(y, x) = 0.05f * patch_px * (1.0f + static_cast<float>(y) / height);
  }
  disparity(cv::Rect(width * 35 / 100, height * 30 / 100, width * 30 / 100, height * 40 / 100))
      .setTo(0.1f * patch_px);

  DiffusionParams params;
  params.steps = steps;
  params.scheduler = scheduler;
  params.tiles = true;
  params.tile_overlap = 0.5;
  PhotoConditionCache cache(2);
  std::vector<double> patch_done;
  int patches = 0;
  resetPeakRss();
  start = Clock::now();
  synthesizeRightViewWithDiffusion(
      m, photo, disparity, params,
      [&](const DiffusionProgress& p) {
        patches = p.total / steps;
        if (p.step % steps == 0) {
          patch_done.push_back(seconds(start));
          // As it happens: a long run can be judged (or stopped) before its end.
          report(prefix + "_patch" + std::to_string(patch_done.size()) + "_of" +
                     std::to_string(patches) + "_done_at",
                 patch_done.back(), "s");
          report(prefix + "_patch" + std::to_string(patch_done.size()) + "_peak_rss",
                 statusKb("VmHWM") / 1048576.0, "GiB");
        }
      },
      CancelToken(), &cache);
  const double total = seconds(start);
  report(prefix + "_patches", patches, "patches");
  report(prefix + "_total", total, "s");
  std::vector<double> per_patch;
  for (std::size_t i = 0; i < patch_done.size(); ++i) {
    per_patch.push_back(patch_done[i] - (i == 0 ? 0.0 : patch_done[i - 1]));
  }
  std::sort(per_patch.begin(), per_patch.end());
  if (!per_patch.empty()) {
    report(prefix + "_first_patch", patch_done.front(), "s");
    report(prefix + "_patch_median", per_patch[per_patch.size() / 2], "s");
    report(prefix + "_after_last_patch", total - patch_done.back(), "s");
  }
  report(prefix + "_reference_forwards", cache.counters().reference_forwards, "forwards");
  reportPeak(prefix);
  return 0;
}

// Seam visibility of the tile stitching on a real photo, without the networks: the photo is cut
// into the tiled grid (overlap 0.5) and every patch gets its own tone (gain 1 + g, offset o per
// channel, uniform in +-`tone_spread` and +-`tone_spread` / 2; a model of patches that disagree
// as diffusion runs of different noise do), then stitched with straight seams (official) and
// feathered ones. Printed per feather width: the mean absolute step across the seam lines
// beyond the photo's own (mean |I(cut) - I(cut - 1)| of the mosaic minus that of the photo at the
// same places, in 8-bit levels) and the PSNR of the mosaic against the photo.
int benchSeams(const std::string& photo_path, int patch_px, double tone_spread) {
  const cv::Mat photo8 = readImage(photo_path);
  cv::Mat photo;
  photo8.convertTo(photo, CV_32FC3, 1.0 / 255.0);
  const cv::Size size = tiledSize(photo.size(), patch_px);
  cv::resize(photo, photo, size, 0, 0, cv::INTER_CUBIC);
  const TileGrid grid = makeTileGrid(size, patch_px, 0.5);
  cv::RNG rng(7);
  std::vector<cv::Mat> patches;
  for (int i = 0; i < grid.count(); ++i) {
    cv::Mat patch = photo(grid.rect(i)).clone();
    std::vector<cv::Mat> channels;
    cv::split(patch, channels);
    for (cv::Mat& c : channels) {
      c = c * (1.0 + rng.uniform(-tone_spread, tone_spread)) +
          rng.uniform(-tone_spread / 2, tone_spread / 2);
    }
    cv::merge(channels, patch);
    patches.push_back(patch);
  }
  const std::string prefix = "seams_p" + std::to_string(patch_px);
  report(prefix + "_patches", grid.count(), "patches");
  for (int feather : {0, 8, 16, 32, 64, 128}) {
    if (feather > patch_px / 2) break;
    cv::Mat mosaic;
    const TileSeams seams = findTileSeams(patches, grid, &mosaic, feather);
    double step = 0.0;
    double own = 0.0;
    long count = 0;
    auto add = [&](cv::Point a, cv::Point b) {
      const cv::Vec3f ma = mosaic.at<cv::Vec3f>(a), mb = mosaic.at<cv::Vec3f>(b);
      const cv::Vec3f pa = photo.at<cv::Vec3f>(a), pb = photo.at<cv::Vec3f>(b);
      for (int c = 0; c < 3; ++c) {
        step += std::abs(ma[c] - mb[c]);
        own += std::abs(pa[c] - pb[c]);
      }
      ++count;
    };
    // Column seams: over the rows that row r gives the mosaic (between its row seams).
    for (std::size_t r = 0; r < seams.column_cuts.size(); ++r) {
      const int y0 = r == 0 ? 0 : seams.row_cuts[r - 1];
      const int y1 = r < seams.row_cuts.size() ? seams.row_cuts[r] : size.height;
      for (int cut : seams.column_cuts[r]) {
        for (int y = y0; y < y1; ++y) add({cut, y}, {cut - 1, y});
      }
    }
    for (int cut : seams.row_cuts) {
      for (int x = 0; x < size.width; ++x) add({x, cut}, {x, cut - 1});
    }
    const double mse =
        cv::norm(mosaic, photo, cv::NORM_L2SQR) / (static_cast<double>(mosaic.total()) * 3);
    const std::string name = prefix + "_feather" + std::to_string(feather);
    report(name + "_seam_step_beyond_photo",
           (step - own) / (3.0 * static_cast<double>(count)) * 255.0, "levels");
    report(name + "_psnr", 10.0 * std::log10(1.0 / mse), "dB");
  }
  return 0;
}

}  // namespace
}  // namespace genstereo

int main(int argc, char** argv) {
  genstereo::configureProcessMemory();
  const char* threads = std::getenv("GENSTEREO_BENCH_THREADS");
  torch::set_num_threads(threads ? std::atoi(threads) : 2);
  const std::string what = argc > 1 ? argv[1] : "";
  try {
    genstereo::report("threads", torch::get_num_threads(), "threads");
    if (what == "unet" && argc > 2)
      return genstereo::benchUnet(argv[2], argc > 3 ? std::atoi(argv[3]) : 2);
    if (what == "vae" && argc > 2)
      return genstereo::benchVae(std::atoi(argv[2]), argc > 3 ? std::atoi(argv[3]) : 2);
    if (what == "load" && argc > 2) return genstereo::benchLoad(argv[2]);
    if (what == "seams" && argc > 3) {
      return genstereo::benchSeams(argv[2], std::atoi(argv[3]),
                                   argc > 4 ? std::atof(argv[4]) : 0.05);
    }
    if (what == "dtype" && argc > 2)
      return genstereo::benchDtype(argv[2], argc > 3 ? std::atoi(argv[3]) : 2);
    if (what == "attention") return genstereo::benchAttention(argc > 2 ? std::atoi(argv[2]) : 2);
    if (what == "pipeline" && argc > 2) {
      return genstereo::benchPipeline(
          argv[2], argc > 3 ? std::atoi(argv[3]) : 2,
          argc > 4 ? genstereo::parseSchedulerKind(argv[4]) : genstereo::SchedulerKind::kDdim);
    }
    if (what == "tiled" && argc > 4) {
      return genstereo::benchTiled(
          argv[2], std::atoi(argv[3]), std::atoi(argv[4]), argc > 5 ? std::atoi(argv[5]) : 1,
          argc > 6 ? genstereo::parseSchedulerKind(argv[6]) : genstereo::SchedulerKind::kDdim);
    }
  } catch (const std::exception& e) {
    std::cerr << "error: " << e.what() << "\n";
    return 1;
  }
  std::cerr << "usage: genstereo_diffusion_bench unet sd21|sd15 [runs] | vae 512|768 [runs] | load "
               "FILE.pth"
               " | pipeline sd15|sd21 [steps] [ddim|dpm++2m|...] | tiled sd15|sd21|ARCH.json WIDTH "
               "HEIGHT [steps] [scheduler]"
               " | seams PHOTO PATCH_PX [tone_spread] | dtype sd21|sd15 [runs]\n";
  return 2;
}
