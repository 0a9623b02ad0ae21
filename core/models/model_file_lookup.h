// Where a run finds a catalogue file (resources/models/catalog.json): in the models folder under
// its local name (or the .safetensors twin of a .pth/.bin name), else in the Hugging Face cache
// (hf_cache.h) at the catalogue's repository, revision and path. The same places, in the same
// order, as `models where` (model_inventory.h); no structural check here: the engine checks a
// file before loading it.
#pragma once

#include <filesystem>
#include <optional>
#include <string>

namespace genstereo {

// The file for `local_name` (e.g. "depth_anything_v2_vits.pth"), or std::nullopt when neither
// place has it. A name the catalogue (loadModelCatalog()) does not list is looked for in the
// models folder only.
std::optional<std::filesystem::path> findModelFile(const std::filesystem::path& models_dir,
                                                   const std::string& local_name);

}  // namespace genstereo
