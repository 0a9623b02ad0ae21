#include "nn/diffusion_engine.h"

#include <sstream>
#include <thread>

#include <ATen/Parallel.h>
#include <ATen/detail/CUDAHooksInterface.h>
#include <torch/cuda.h>

#include "engine/compute_dtype.h"
#include "errors.h"
#include "nn/architecture_file.h"

namespace genstereo {

GenStereoVariant parseVariant(const std::string& text) {
  if (const auto variant = variantFromString(text)) return *variant;
  throw InputError("unknown GenStereo variant '" + text + "' (expected sd21 or sd15)");
}

GenStereoConfig genStereoArchitecture(const std::filesystem::path& models_dir,
                                      GenStereoVariant variant) {
  const GenStereoConfig released = GenStereoConfig::forVariant(variant);
  const std::filesystem::path file =
      models_dir / variantFolderName(variant) / kGenStereoArchitectureFile;
  std::error_code ec;
  if (!std::filesystem::is_regular_file(file, ec)) return released;
  return readGenStereoArchitecture(file, released);
}

namespace {

c10::Device parseDevice(const std::string& text) {
  if (text == "cpu") return c10::Device(c10::kCPU);
  if (text.rfind("cuda", 0) == 0) {
    if (!torch::cuda::is_available()) {
      throw InputError("device '" + text +
                       "': no CUDA device is available to this build (LibTorch "
                       "without CUDA, or no NVIDIA GPU); use the device cpu");
    }
    return c10::Device(text);
  }
  throw InputError("unknown device '" + text + "' (expected cpu, cuda or cuda:N)");
}

}  // namespace

c10::ScalarType parseComputeDtype(const std::string& text, const c10::Device& device) {
  const std::optional<ComputeDtype> requested = computeDtypeFromString(text);
  if (!requested) {
    throw InputError("unknown dtype '" + text + "' (expected auto, float32, float16 or bfloat16)");
  }
  const bool cuda_bf16 =
      device.is_cuda() && at::detail::getCUDAHooks().supportsBFloat16ConvolutionWithCuDNNv8();
  switch (chooseComputeDtype(*requested, device.is_cuda(), cuda_bf16, detectCpuBFloat16())) {
    case ComputeDtype::kFloat16:
      if (!device.is_cuda()) {
        throw InputError(
            "dtype float16 needs a CUDA device (the CPU computes in float32 or bfloat16)");
      }
      return c10::kHalf;
    case ComputeDtype::kBFloat16:
      return c10::kBFloat16;
    default:
      return c10::kFloat;
  }
}

namespace {}  // namespace

DiffusionEngine::DiffusionEngine(const DiffusionEngineOptions& options, const CancelToken& cancel)
    : options_(options) {
  const GenStereoModelFiles files = locateGenStereoModels(options.models_dir, options.variant);
  const c10::Device device = parseDevice(options.device);
  const c10::ScalarType dtype = parseComputeDtype(options.dtype, device);
  resolved_dtype_ = dtype == c10::kBFloat16 ? "bfloat16"
                    : dtype == c10::kHalf   ? "float16"
                                            : "float32";
  const int threads =
      options.threads > 0 ? options.threads : static_cast<int>(std::thread::hardware_concurrency());
  if (threads > 0) at::set_num_threads(threads);
  models_ = std::make_unique<GenStereoModels>(GenStereoModels::load(
      genStereoArchitecture(options.models_dir, options.variant), files, device, dtype, cancel));
  photo_cache_ = std::make_unique<PhotoConditionCache>(options.photo_cache_photos);
}

PhotoConditionCounters DiffusionEngine::photoCounters() const { return photo_cache_->counters(); }

RightViewSynthesizer DiffusionEngine::synthesizer(DiffusionProgressCallback progress,
                                                  const CancelToken& cancel) {
  return makeDiffusionSynthesizer(*models_, options_.params, std::move(progress), cancel,
                                  photo_cache_.get());
}

RightViewSynthesizer DiffusionEngine::synthesizer(const DiffusionParams& params,
                                                  DiffusionProgressCallback progress,
                                                  const CancelToken& cancel) {
  return makeDiffusionSynthesizer(*models_, params, std::move(progress), cancel,
                                  photo_cache_.get());
}

std::string DiffusionEngine::description() const {
  std::ostringstream out;
  out << "diffusion (GenStereo " << toString(options_.variant) << ", " << options_.params.steps
      << " steps, guidance " << options_.params.guidance_scale << ", seed " << options_.params.seed
      << ", " << options_.device << " " << resolved_dtype_ << ")";
  return out.str();
}

}  // namespace genstereo
