// The Depth Anything V2 model sizes and their names (encoder names, display names, official
// checkpoint file names). No LibTorch: the engine API, the CLI and the models module loader
// name sizes and files without loading the network library.
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

}  // namespace genstereo
