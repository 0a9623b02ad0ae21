#include "nn/genstereo_models.h"

#include <system_error>

#include <torch/torch.h>

#include "errors.h"
#include "io/checkpoint_file.h"
#include "nn/state_dict_loader.h"

namespace genstereo {

namespace fs = std::filesystem;

const char* toString(GenStereoVariant variant) { return variant == GenStereoVariant::kSd21 ? "sd21" : "sd15"; }

GenStereoConfig GenStereoConfig::forVariant(GenStereoVariant variant) {
  GenStereoConfig c;
  if (variant == GenStereoVariant::kSd15) {
    c.working_size = 512;
    c.unet = UNetConfig::sd15();
  }
  return c;
}

namespace {

// `primary` if it exists, else its .safetensors twin if that exists, else `primary` (missing).
fs::path existingOrTwin(const fs::path& primary) {
  std::error_code ec;
  if (fs::is_regular_file(primary, ec)) return primary;
  fs::path twin = primary;
  twin.replace_extension(".safetensors");
  return fs::is_regular_file(twin, ec) ? twin : primary;
}

}  // namespace

GenStereoModelFiles locateGenStereoModels(const fs::path& models_dir, GenStereoVariant variant) {
  const std::string folder = variant == GenStereoVariant::kSd21 ? "genstereo-v2.1" : "genstereo-v1.5";
  const std::string repo = variant == GenStereoVariant::kSd21 ? "FQiao/GenStereo-sd2.1" : "FQiao/GenStereo";
  GenStereoModelFiles files;
  files.reference_unet = existingOrTwin(models_dir / folder / "reference_unet.pth");
  files.denoising_unet = existingOrTwin(models_dir / folder / "denoising_unet.pth");
  files.pose_guider = existingOrTwin(models_dir / folder / "pose_guider.pth");
  files.fusion_layer = existingOrTwin(models_dir / folder / "fusion_layer.pth");
  files.vae = models_dir / "sd-vae-ft-mse" / "diffusion_pytorch_model.safetensors";
  files.image_encoder = existingOrTwin(models_dir / "image_encoder" / "pytorch_model.bin");
  const std::vector<std::pair<fs::path, std::string>> expected = {
      {files.reference_unet, repo}, {files.denoising_unet, repo}, {files.pose_guider, repo},
      {files.fusion_layer, repo}, {files.vae, "stabilityai/sd-vae-ft-mse"},
      {files.image_encoder, "lambdalabs/sd-image-variations-diffusers (subfolder image_encoder)"}};
  std::string missing;
  std::string sources;
  std::error_code ec;
  for (const auto& [path, source] : expected) {
    if (fs::is_regular_file(path, ec)) continue;
    missing += (missing.empty() ? "" : ", ") + fs::relative(path, models_dir, ec).string();
    if (sources.find(source) == std::string::npos) sources += (sources.empty() ? "" : ", ") + source;
  }
  if (!missing.empty()) {
    throw InputError("GenStereo " + std::string(toString(variant)) + " weights are missing in '" +
                     models_dir.string() + "': " + missing + " (from " + sources +
                     "; see README.md, \"Model weights\")");
  }
  return files;
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

GenStereoModels GenStereoModels::load(const GenStereoConfig& config, const GenStereoModelFiles& files,
                                      c10::Device device, c10::ScalarType dtype) {
  GenStereoModels m = build(config);
  m.device = device;
  m.dtype = dtype;
  loadStateDict(*m.pose_guider, *CheckpointFile::open(files.pose_guider));
  loadStateDict(*m.reference_unet, *CheckpointFile::open(files.reference_unet));
  loadStateDict(*m.denoising_unet, *CheckpointFile::open(files.denoising_unet));
  StateDictLoadOptions vae_options;  // the hub file may still use the legacy attention names
  vae_options.renames = legacyVaeAttentionRenames();
  vae_options.accept_pointwise_conv_as_linear = true;
  loadStateDict(*m.vae, *CheckpointFile::open(files.vae), vae_options);
  StateDictLoadOptions clip_options;
  clip_options.ignored_keys = {ClipVisionEncoderImpl::ignoredPositionIdsKey()};
  loadStateDict(*m.image_encoder, *CheckpointFile::open(files.image_encoder), clip_options);
  loadStateDict(*m.fusion, *CheckpointFile::open(files.fusion_layer));
  for (torch::nn::Module* module : std::initializer_list<torch::nn::Module*>{
           m.pose_guider.get(), m.reference_unet.get(), m.denoising_unet.get(), m.vae.get(), m.image_encoder.get()}) {
    module->to(device, dtype);
  }
  m.fusion->to(device, c10::kFloat);
  return m;
}

}  // namespace genstereo
