// Device check for the neural modules on CUDA with LibTorch 2.x (run by run_cuda_check.sh on
// a machine with an NVIDIA GPU; not part of the CPU build). It compiles the U-Net, VAE and
// DDIM sources against the machine's LibTorch, runs tiny random models on the CPU and on CUDA
// in float32, float16 and bfloat16 with the same weights and inputs, prints the largest
// differences, and times one full-size v2.1 denoising U-Net forward (768 px, CFG batch 2,
// reference attention) on the GPU. Output: one line per value, `name value`.
#include <chrono>
#include <cstdio>

#include <torch/torch.h>

#include "nn/autoencoder_kl.h"
#include "nn/ddim_scheduler.h"
#include "nn/unet_2d_condition.h"

using namespace genstereo;

namespace {

UNetConfig tinyUNet() {
  UNetConfig c;
  c.block_out_channels = {32, 32, 64, 64};
  c.layers_per_block = 1;
  c.attention_heads = {2, 2, 4, 4};
  c.cross_attention_dim = 272;
  return c;
}

// Reference pass (write) then a CFG denoising pass (read), as the pipeline runs them.
at::Tensor runUNets(UNet2DCondition& reference, UNet2DCondition& denoising,
                    const at::Tensor& latents, const at::Tensor& context, const at::Tensor& pose) {
  ReferenceAttention bank;
  bank.mode = ReferenceAttention::Mode::kWrite;
  UNetInputs ref;
  ref.sample = latents;
  ref.timestep = at::scalar_tensor(0.0, latents.options());
  ref.context = context.slice(0, 1);
  ref.pose_features = pose;
  ref.reference = &bank;
  reference->forward(ref);
  bank.mode = ReferenceAttention::Mode::kRead;
  bank.unconditional_batch = 1;
  UNetInputs in;
  in.sample = at::cat({latents, latents});
  in.timestep = at::scalar_tensor(999, latents.options().dtype(at::kLong));
  in.context = context;
  in.pose_features = pose.repeat({2, 1, 1, 1});
  in.reference = &bank;
  return denoising->forward(in);
}

double maxDiff(const at::Tensor& a, const at::Tensor& b) {
  return (a.to(at::kCPU, at::kFloat) - b.to(at::kCPU, at::kFloat)).abs().max().item<double>();
}

}  // namespace

int main() {
  torch::NoGradGuard no_grad;
  std::printf("libtorch_version %s\n", TORCH_VERSION);
  std::printf("cuda_available %d\n", torch::cuda::is_available() ? 1 : 0);
  if (!torch::cuda::is_available()) return 1;
  torch::manual_seed(0);
  UNetConfig ref_config = tinyUNet();
  ref_config.has_output_head = false;
  UNet2DCondition reference(ref_config), denoising(tinyUNet());
  AutoencoderKLConfig vae_config;
  vae_config.block_out_channels = {32, 32, 64, 64};
  vae_config.layers_per_block = 1;
  AutoencoderKL vae(vae_config);
  const at::Tensor latents = at::randn({1, 4, 8, 8});
  const at::Tensor context = at::cat({at::zeros({1, 1, 272}), at::randn({1, 1, 272})});
  const at::Tensor pose = at::randn({1, 32, 8, 8});
  const at::Tensor cpu_out = runUNets(reference, denoising, latents, context, pose);
  const at::Tensor cpu_image = vae->decode(latents);
  DdimScheduler scheduler;
  scheduler.setTimesteps(50);
  const at::Tensor cpu_step = scheduler.step(cpu_out.slice(0, 1), 999, latents).prev_sample;
  const c10::Device cuda(c10::kCUDA);
  for (const auto& [name, dtype] : {std::pair<const char*, c10::ScalarType>{"float32", c10::kFloat},
                                    {"float16", c10::kHalf},
                                    {"bfloat16", c10::kBFloat16}}) {
    reference->to(cuda, dtype);
    denoising->to(cuda, dtype);
    vae->to(cuda, dtype);
    const auto o = at::TensorOptions().device(cuda).dtype(dtype);
    const at::Tensor out = runUNets(reference, denoising, latents.to(o), context.to(o), pose.to(o));
    std::printf("unet_cuda_%s_vs_cpu_max_abs_diff %.6g\n", name, maxDiff(out, cpu_out));
    std::printf("unet_cpu_output_max_abs %.6g\n", cpu_out.abs().max().item<double>());
    std::printf("vae_decode_cuda_%s_vs_cpu_max_abs_diff %.6g\n", name,
                maxDiff(vae->decode(latents.to(o)), cpu_image));
    const at::Tensor step = scheduler.step(out.slice(0, 1), 999, latents.to(o)).prev_sample;
    std::printf("ddim_step_cuda_%s_vs_cpu_max_abs_diff %.6g\n", name, maxDiff(step, cpu_step));
  }
  // One full-size v2.1 denoising forward at 768 (latent 96), float16, after a warm-up.
  UNet2DCondition full_ref([] {
    UNetConfig c = UNetConfig::sd21();
    c.has_output_head = false;
    return c;
  }());
  UNet2DCondition full(UNetConfig::sd21());
  full_ref->to(cuda, c10::kHalf);
  full->to(cuda, c10::kHalf);
  const auto o = at::TensorOptions().device(cuda).dtype(c10::kHalf);
  const at::Tensor lat = at::randn({1, 4, 96, 96}, o), ctx = at::randn({2, 1, 1024}, o),
                   ps = at::randn({1, 320, 96, 96}, o);
  runUNets(full_ref, full, lat, ctx, ps);
  torch::cuda::synchronize();
  const auto start = std::chrono::steady_clock::now();
  const at::Tensor big = runUNets(full_ref, full, lat, ctx, ps);
  torch::cuda::synchronize();
  std::printf("full_sd21_768_reference_plus_cfg_denoising_fp16_seconds %.3f\n",
              std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
  std::printf("full_sd21_768_output_finite %d\n", big.isfinite().all().item<bool>() ? 1 : 0);
  return 0;
}
