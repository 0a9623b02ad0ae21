#include "nn/genstereo_pipeline.h"

#include <chrono>
#include <string>

#include <torch/torch.h>
#include <opencv2/imgproc.hpp>

#include "errors.h"
#include "image/clip_preprocess.h"
#include "nn/photo_condition_cache.h"
#include "nn/scheduler.h"
#include "stereo/coordinate_embedding.h"
#include "stereo/forward_warp.h"

namespace genstereo {

namespace {

// HWC float Mat (any channel count) -> [1, C, H, W] tensor.
at::Tensor toTensor(const cv::Mat& hwc) {
  cv::Mat contiguous = hwc.isContinuous() ? hwc : hwc.clone();
  return at::from_blob(contiguous.data,
                       {1, contiguous.rows, contiguous.cols, contiguous.channels()}, at::kFloat)
      .permute({0, 3, 1, 2})
      .clone();
}

// [1, C, H, W] -> HWC float Mat.
cv::Mat toMat(const at::Tensor& nchw) {
  const at::Tensor hwc =
      nchw.detach().to(at::kCPU, at::kFloat).squeeze(0).permute({1, 2, 0}).contiguous();
  cv::Mat mat(static_cast<int>(hwc.size(0)), static_cast<int>(hwc.size(1)),
              CV_32FC(static_cast<int>(hwc.size(2))), hwc.data_ptr<float>());
  return mat.clone();
}

void checkCancel(const CancelToken& cancel) {
  if (cancel.isCancelled()) throw CancelledError();
}

}  // namespace

DiffusionResult runGenStereoDiffusion(GenStereoModels& models, const cv::Mat& image_rgb8,
                                      const cv::Mat& disparity_px, const DiffusionParams& params,
                                      const DiffusionProgressCallback& progress,
                                      const CancelToken& cancel, DiffusionTrace* trace,
                                      PhotoConditionCache* cache) {
  const int size = models.config.working_size;
  if (image_rgb8.type() != CV_8UC3 || image_rgb8.rows != size || image_rgb8.cols != size ||
      disparity_px.type() != CV_32FC1 || disparity_px.size() != image_rgb8.size()) {
    throw InputError("diffusion pipeline: expected an 8-bit RGB image and a float disparity of " +
                     std::to_string(size) + "x" + std::to_string(size) + " pixels");
  }
  torch::NoGradGuard no_grad;
  const auto start = std::chrono::steady_clock::now();
  const at::TensorOptions on_device = at::TensorOptions().device(models.device).dtype(models.dtype);

  // Conditions (official prepare_conditions_stereogen): image in [-1, 1] as ToTensor +
  // Normalize(0.5, 0.5) compute it, the official integer warp, both 14-channel maps.
  cv::Mat image01;
  image_rgb8.convertTo(image01, CV_32FC3);
  image01 /= 255.0f;
  const cv::Mat image_m11 = (image01 - cv::Scalar::all(0.5)) / 0.5;
  const cv::Mat embedding = computeCoordinateEmbedding(size, size);
  const WarpCorrespondence warp = computeForwardWarp(disparity_px, WarpDirection::kLeftToRight);
  const cv::Mat warped_m11 = applyWarp(warp, image_m11, -1.0);
  const cv::Mat warped_embedding = applyWarp(warp, embedding, 0.0);
  const at::Tensor source_condition =
      toTensor(makeConditionMap(embedding, cv::Mat(), image_m11)).to(on_device);
  const at::Tensor target_condition =
      toTensor(makeConditionMap(warped_embedding, warp.holeMask(), warped_m11)).to(on_device);

  // The photo conditions (nn/photo_condition_cache.h): from the cache when this photo was seen.
  const std::string cache_key =
      cache != nullptr
          ? PhotoConditionCache::keyOf(image_rgb8, models.device.str(), c10::toString(models.dtype))
          : std::string();
  std::shared_ptr<const PhotoConditions> photo =
      cache != nullptr ? cache->find(cache_key) : nullptr;
  at::Tensor source_pose;
  if (photo == nullptr) {
    auto computed = std::make_shared<PhotoConditions>();
    // CLIP image embedding, zero-padded to the U-Net's context width; unconditional = zeros.
    const at::Tensor pixels = toTensor(clipPreprocess(image_rgb8)).to(on_device);
    at::Tensor embedding_clip = models.image_encoder->forward(pixels);
    if (cache != nullptr) cache->countClip();
    const int64_t context_dim = models.config.unet.cross_attention_dim;
    if (embedding_clip.size(1) < context_dim) {
      embedding_clip =
          at::constant_pad_nd(embedding_clip, {0, context_dim - embedding_clip.size(1)}, 0);
    }
    computed->cond_context = embedding_clip.unsqueeze(1);
    computed->reference_latents = models.vae->encode(toTensor(image_m11).to(on_device));
    if (cache != nullptr) cache->countVaeEncode();
    source_pose = models.pose_guider->forward(source_condition);
    checkCancel(cancel);

    // The reference U-Net once, at t = 0, conditional sample only (the unconditional half of
    // the official batch never reaches the banks that are read).
    ReferenceAttention written;
    written.mode = ReferenceAttention::Mode::kWrite;
    UNetInputs in;
    in.sample = computed->reference_latents;
    in.timestep = at::scalar_tensor(0.0, on_device);
    in.context = computed->cond_context;
    in.pose_features = source_pose;
    in.reference = &written;
    models.reference_unet->forward(in);
    if (cache != nullptr) cache->countReferenceForward();
    computed->banks_half.reserve(written.banks.size());
    for (const at::Tensor& bank : written.banks) computed->banks_half.push_back(bank.to(at::kHalf));
    photo = computed;
    if (cache != nullptr) cache->insert(cache_key, photo);
  } else if (trace != nullptr) {
    source_pose = models.pose_guider->forward(source_condition);
  }
  const at::Tensor cond_context = photo->cond_context;
  const at::Tensor prompt = at::cat({at::zeros_like(cond_context), cond_context}, 0);
  const at::Tensor reference_latents = photo->reference_latents;
  const at::Tensor target_pose = models.pose_guider->forward(target_condition);
  if (trace != nullptr) {
    trace->source_condition = source_condition;
    trace->target_condition = target_condition;
    trace->prompt = prompt;
    trace->reference_latents = reference_latents;
    trace->source_pose = source_pose;
    trace->target_pose = target_pose;
  }
  checkCancel(cancel);

  // The banks in the models' dtype (float16 values, as the official code stores them).
  ReferenceAttention reference;
  reference.banks.reserve(photo->banks_half.size());
  for (const at::Tensor& bank : photo->banks_half) reference.banks.push_back(bank.to(models.dtype));
  reference.mode = ReferenceAttention::Mode::kRead;

  const std::unique_ptr<Scheduler> scheduler = makeScheduler(params.scheduler);
  scheduler->setTimesteps(params.steps);
  const int64_t latent_size = size / 8;
  at::Tensor latents;
  // The latents and the scheduler's arithmetic stay float32 whatever the networks compute in
  // (converted at the U-Net's and the VAE decoder's boundaries).
  const at::TensorOptions latent_options =
      at::TensorOptions().device(models.device).dtype(at::kFloat);
  if (params.initial_noise) {
    latents = params.initial_noise->to(latent_options);
  } else {
    at::Generator generator = at::detail::createCPUGenerator(params.seed);
    latents = at::randn({1, 4, latent_size, latent_size}, generator,
                        at::TensorOptions().dtype(at::kFloat))
                  .to(latent_options);
  }
  // DDIM's add_noise at t = 999 with abar = 0 (and DPM-Solver's sigma 1 start) is the noise itself.
  if (scheduler->initNoiseSigma() != 1.0) latents = latents * scheduler->initNoiseSigma();
  const bool use_guidance = params.guidance_scale > 1.0;
  const at::Tensor context = use_guidance ? prompt : cond_context;
  const at::Tensor pose = use_guidance ? target_pose.repeat({2, 1, 1, 1}) : target_pose;
  reference.unconditional_batch = use_guidance ? 1 : 0;
  const int total = static_cast<int>(scheduler->timesteps().size());
  for (int i = 0; i < total; ++i) {
    checkCancel(cancel);
    const double t = scheduler->timesteps()[static_cast<std::size_t>(i)];
    reference.next_block = 0;
    const at::Tensor model_input = scheduler->scaleModelInput(latents, i).to(models.dtype);
    UNetInputs in;
    in.sample = use_guidance ? at::cat({model_input, model_input}, 0) : model_input;
    in.timestep = at::scalar_tensor(t, at::TensorOptions().dtype(at::kFloat).device(models.device));
    in.context = context;
    in.pose_features = pose;
    in.reference = &reference;
    at::Tensor prediction = models.denoising_unet->forward(in).to(at::kFloat);
    if (use_guidance) {
      const std::vector<at::Tensor> halves = prediction.chunk(2, 0);
      prediction = halves[0] + params.guidance_scale * (halves[1] - halves[0]);
    }
    latents = scheduler->step(prediction, i, latents);
    if (trace != nullptr) {
      trace->noise_predictions.push_back(prediction);
      trace->latents.push_back(latents);
    }
    if (progress) {
      progress(DiffusionProgress{
          i + 1, total,
          std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count()});
    }
  }
  checkCancel(cancel);

  // Decode and fuse (test.py: warped01 = (warped + 1) / 2, the valid mask opened 7x7).
  const at::Tensor generated = models.vae->decode(latents.to(models.dtype)).to(at::kFloat);
  cv::Mat opened;
  cv::morphologyEx(warp.valid, opened, cv::MORPH_OPEN, cv::Mat::ones(7, 7, CV_8U));
  cv::Mat mask;
  opened.convertTo(mask, CV_32F);
  const cv::Mat warped01 = (warped_m11 + cv::Scalar::all(1.0)) / 2.0;
  const FusionOutput fused =
      models.fusion->forward(generated.to(models.device), toTensor(warped01).to(models.device),
                             toTensor(mask).to(models.device));
  DiffusionResult result;
  result.warped = warped01;
  result.valid = warp.valid.clone();
  result.generated = toMat(generated);
  result.fusion_weights = toMat(fused.weights);
  result.fused = toMat(fused.fused);
  return result;
}

}  // namespace genstereo
