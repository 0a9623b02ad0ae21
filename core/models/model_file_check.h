// A cheap structural check of a model file, without building any network: the container
// (PyTorch zip .pth/.bin or safetensors) must parse completely (an empty or truncated file never
// passes: the readers check every storage against the file's size), and its keys and shapes
// must match the manifest under the same rules as the engine's strict loader. Reads only the
// file's header/pickle (milliseconds even for a 3.4 GB file: the file is memory-mapped).
#pragma once

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <string>

#include "genstereo/model_file_state.h"
#include "models/model_manifest.h"

namespace genstereo {

struct ModelFileCheck {
  ModelFileState state = ModelFileState::kMissing;
  std::filesystem::path path;
  std::string reason;            // why it is invalid (or missing); empty when present
  std::uint64_t size_bytes = 0;  // of the file on disk
  std::size_t num_tensors = 0;   // in the file

  bool isPresent() const { return state == ModelFileState::kPresent; }
};

// Checks `path` against `manifest` (nullptr: container check only). Never throws for a bad
// file: the result says missing or invalid, with a reason naming the file, the key and what was
// expected and found.
ModelFileCheck checkModelFile(const std::filesystem::path& path, const ModelManifest* manifest,
                              const ManifestCheckRules& rules = {});

}  // namespace genstereo
