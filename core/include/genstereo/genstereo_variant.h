// The released GenStereo model variants (torch-free, so that engine and CLI headers can name
// them without LibTorch).
#pragma once

#include <optional>
#include <string>

namespace genstereo {

enum class GenStereoVariant { kSd21, kSd15 };

// "sd21" / "sd15".
inline const char* toString(GenStereoVariant variant) {
  return variant == GenStereoVariant::kSd15 ? "sd15" : "sd21";
}

// "sd21"/"sd15" (also "v2.1"/"v1.5"); nullopt otherwise.
inline std::optional<GenStereoVariant> variantFromString(const std::string& text) {
  if (text == "sd21" || text == "v2.1") return GenStereoVariant::kSd21;
  if (text == "sd15" || text == "v1.5") return GenStereoVariant::kSd15;
  return std::nullopt;
}

// The folder of a variant's four GenStereo files under a models folder.
inline const char* variantFolderName(GenStereoVariant variant) {
  return variant == GenStereoVariant::kSd15 ? "genstereo-v1.5" : "genstereo-v2.1";
}

// The square the variant's models run at: 768 (v2.1) or 512 (v1.5).
inline int variantWorkingSize(GenStereoVariant variant) {
  return variant == GenStereoVariant::kSd15 ? 512 : 768;
}

}  // namespace genstereo
