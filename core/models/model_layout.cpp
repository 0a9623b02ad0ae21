#include "models/model_layout.h"

#include <system_error>

namespace genstereo {
namespace fs = std::filesystem;

fs::path existingOrSafetensorsTwin(const fs::path& primary) {
  std::error_code ec;
  if (fs::is_regular_file(primary, ec)) return primary;
  fs::path twin = primary;
  twin.replace_extension(".safetensors");
  return fs::is_regular_file(twin, ec) ? twin : primary;
}

std::vector<ModelFileSlot> genStereoModelSlots(const fs::path& models_dir,
                                               GenStereoVariant variant) {
  const fs::path folder = models_dir / variantFolderName(variant);
  const std::string repo =
      variant == GenStereoVariant::kSd21 ? "FQiao/GenStereo-sd2.1" : "FQiao/GenStereo";
  std::vector<ModelFileSlot> slots = {
      {"reference_unet", existingOrSafetensorsTwin(folder / "reference_unet.pth"), repo, false},
      {"denoising_unet", existingOrSafetensorsTwin(folder / "denoising_unet.pth"), repo, false},
      {"pose_guider", existingOrSafetensorsTwin(folder / "pose_guider.pth"), repo, false},
      {"fusion_layer", existingOrSafetensorsTwin(folder / "fusion_layer.pth"), repo, false},
      {"vae", models_dir / "sd-vae-ft-mse" / "diffusion_pytorch_model.safetensors",
       "stabilityai/sd-vae-ft-mse", false},
      {"image_encoder",
       existingOrSafetensorsTwin(models_dir / "image_encoder" / "pytorch_model.bin"),
       "lambdalabs/sd-image-variations-diffusers (subfolder image_encoder)", false},
  };
  for (ModelFileSlot& slot : slots) {
    std::error_code ec;
    slot.is_present = fs::is_regular_file(slot.path, ec);
  }
  return slots;
}

}  // namespace genstereo
