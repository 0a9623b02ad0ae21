#include "nn/genstereo_models.h"

#include <system_error>

#include <torch/torch.h>

#include "errors.h"
#include "io/checkpoint_file.h"
#include "models/model_layout.h"
#include "nn/compute_precision.h"
#include "nn/state_dict_loader.h"

namespace genstereo {

namespace fs = std::filesystem;

GenStereoConfig GenStereoConfig::forVariant(GenStereoVariant variant) {
  GenStereoConfig c;
  if (variant == GenStereoVariant::kSd15) {
    c.working_size = 512;
    c.unet = UNetConfig::sd15();
  }
  return c;
}

GenStereoModelFiles locateGenStereoModels(const fs::path& models_dir, GenStereoVariant variant) {
  const std::vector<ModelFileSlot> slots = genStereoModelSlots(models_dir, variant);
  std::string missing;
  std::string sources;
  std::error_code ec;
  for (const ModelFileSlot& slot : slots) {
    if (slot.is_present) continue;
    missing += (missing.empty() ? "" : ", ") + fs::relative(slot.path, models_dir, ec).string();
    if (sources.find(slot.hub_repo) == std::string::npos)
      sources += (sources.empty() ? "" : ", ") + slot.hub_repo;
  }
  if (!missing.empty()) {
    throw InputError("GenStereo " + std::string(toString(variant)) + " weights are missing in '" +
                     models_dir.string() + "': " + missing + " (from " + sources +
                     "; see README.md, \"Model weights\")");
  }
  return GenStereoModelFiles{slots[0].path, slots[1].path, slots[2].path,
                             slots[3].path, slots[4].path, slots[5].path};
}

GenStereoModels GenStereoModels::build(const GenStereoConfig& config) {
  GenStereoModels m;
  m.config = config;
  UNetConfig reference_config = config.unet;
  reference_config.has_output_head = false;
  PoseGuiderConfig pose = config.pose_guider;
  pose.embedding_channels = config.unet.block_out_channels.front();
  m.pose_guider = PoseGuider(pose);
  m.reference_unet = UNet2DCondition(reference_config);
  m.denoising_unet = UNet2DCondition(config.unet);
  m.vae = AutoencoderKL(config.vae);
  m.image_encoder = ClipVisionEncoder(config.clip);
  m.fusion = AdaptiveFusion();
  for (torch::nn::Module* module : std::initializer_list<torch::nn::Module*>{
           m.pose_guider.get(), m.reference_unet.get(), m.denoising_unet.get(), m.vae.get(),
           m.image_encoder.get(), m.fusion.get()}) {
    module->eval();
  }
  return m;
}

GenStereoModels GenStereoModels::load(const GenStereoConfig& config,
                                      const GenStereoModelFiles& files, c10::Device device,
                                      c10::ScalarType dtype, const CancelToken& cancel) {
  auto checkCancel = [&cancel] {
    if (cancel.isCancelled()) throw CancelledError();
  };
  // Open (and structurally check) every file before building 3-8 GB of networks.
  const auto pose_file = CheckpointFile::open(files.pose_guider);
  const auto reference_file = CheckpointFile::open(files.reference_unet);
  const auto denoising_file = CheckpointFile::open(files.denoising_unet);
  const auto vae_file = CheckpointFile::open(files.vae);
  const auto clip_file = CheckpointFile::open(files.image_encoder);
  const auto fusion_file = CheckpointFile::open(files.fusion_layer);
  checkCancel();
  // One network at a time: built (random init, float32), loaded, then converted to the compute
  // dtype and moved to the device before the next is built, so that at most one network is
  // held in float32 on the CPU (bfloat16 v2.1: about 5.5 GB at the peak instead of 8.5 GB).
  GenStereoModels m;
  m.config = config;
  m.device = device;
  m.dtype = dtype;
  auto ready = [&](torch::nn::Module& module) {
    module.eval();
    toComputeDtype(module, device, dtype);  // GroupNorm / LayerNorm stay float32
    checkCancel();
  };
  PoseGuiderConfig pose = config.pose_guider;
  pose.embedding_channels = config.unet.block_out_channels.front();
  m.pose_guider = PoseGuider(pose);
  loadStateDict(*m.pose_guider, *pose_file);
  ready(*m.pose_guider);
  UNetConfig reference_config = config.unet;
  reference_config.has_output_head = false;
  m.reference_unet = UNet2DCondition(reference_config);
  loadStateDict(*m.reference_unet, *reference_file);
  ready(*m.reference_unet);
  m.denoising_unet = UNet2DCondition(config.unet);
  loadStateDict(*m.denoising_unet, *denoising_file);
  ready(*m.denoising_unet);
  StateDictLoadOptions vae_options;  // the hub file may still use the legacy attention names
  vae_options.renames = legacyVaeAttentionRenames();
  vae_options.accept_pointwise_conv_as_linear = true;
  m.vae = AutoencoderKL(config.vae);
  loadStateDict(*m.vae, *vae_file, vae_options);
  ready(*m.vae);
  StateDictLoadOptions clip_options;
  clip_options.ignored_keys = {ClipVisionEncoderImpl::ignoredPositionIdsKey()};
  m.image_encoder = ClipVisionEncoder(config.clip);
  loadStateDict(*m.image_encoder, *clip_file, clip_options);
  ready(*m.image_encoder);
  m.fusion = AdaptiveFusion();
  loadStateDict(*m.fusion, *fusion_file);
  m.fusion->eval();
  m.fusion->to(device, c10::kFloat);
  return m;
}

}  // namespace genstereo
