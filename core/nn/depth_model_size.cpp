#include "nn/depth_model_size.h"

#include <algorithm>
#include <cctype>

#include "errors.h"

namespace genstereo {

const char* toString(DepthModelSize size) {
  switch (size) {
    case DepthModelSize::kSmall:
      return "vits";
    case DepthModelSize::kBase:
      return "vitb";
    case DepthModelSize::kLarge:
      return "vitl";
    case DepthModelSize::kAuto:
      break;
  }
  return "auto";
}

std::optional<DepthModelSize> parseDepthModelSize(const std::string& text) {
  std::string lower = text;
  std::transform(lower.begin(), lower.end(), lower.begin(),
                 [](unsigned char c) { return std::tolower(c); });
  if (lower == "auto") return DepthModelSize::kAuto;
  if (lower == "vits" || lower == "small" || lower == "s") return DepthModelSize::kSmall;
  if (lower == "vitb" || lower == "base" || lower == "b") return DepthModelSize::kBase;
  if (lower == "vitl" || lower == "large" || lower == "l") return DepthModelSize::kLarge;
  return std::nullopt;
}

const char* displayName(DepthModelSize size) {
  switch (size) {
    case DepthModelSize::kSmall:
      return "ViT-S";
    case DepthModelSize::kBase:
      return "ViT-B";
    case DepthModelSize::kLarge:
      return "ViT-L";
    case DepthModelSize::kAuto:
      break;
  }
  return "auto";
}

std::string depthCheckpointFileName(DepthModelSize size) {
  if (size == DepthModelSize::kAuto)
    throw InputError("depth checkpoint name: the model size must be explicit");
  return std::string("depth_anything_v2_") + toString(size) + ".pth";
}

}  // namespace genstereo
