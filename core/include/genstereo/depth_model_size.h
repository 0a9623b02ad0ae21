// The Depth Anything V2 model sizes and their names (encoder names, display names, official
// checkpoint file names), and how the model's output is resized to the photo. No LibTorch: the
// engine API, the CLI and the models module loader name sizes and files without loading the
// network library.
#pragma once

#include <optional>
#include <string>

namespace genstereo {

// The official model sizes. kAuto: the size the checkpoint file holds (or, when searching a
// models folder, the largest one present).
enum class DepthModelSize { kAuto, kSmall, kBase, kLarge };

// "auto", "vits", "vitb", "vitl" (the official encoder names).
const char* toString(DepthModelSize size);
// Accepts the encoder names and "small", "base", "large", "s", "b", "l" (any case).
std::optional<DepthModelSize> parseDepthModelSize(const std::string& text);
// "ViT-S", "ViT-B", "ViT-L" ("auto" for kAuto).
const char* displayName(DepthModelSize size);
// The official checkpoint file name: "depth_anything_v2_vits.pth" etc. Throws InputError for kAuto.
std::string depthCheckpointFileName(DepthModelSize size);

// How the model's output (at its working resolution) is brought back to the photo's size.
enum class DepthResize {
  kBilinear,   // official: bilinear with aligned corners; smooth, but invents in-between depths at
               // edges
  kEdgeAware,  // bilinear inside surfaces, colour-guided nearest surface across depth steps (no
               // halo)
};
// "bilinear", "edge" (the command line's --depth-resize names).
inline const char* toString(DepthResize resize) {
  return resize == DepthResize::kBilinear ? "bilinear" : "edge";
}
inline std::optional<DepthResize> depthResizeFromString(const std::string& text) {
  for (DepthResize resize : {DepthResize::kBilinear, DepthResize::kEdgeAware}) {
    if (text == toString(resize)) return resize;
  }
  return std::nullopt;
}

}  // namespace genstereo
