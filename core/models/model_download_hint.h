// The one rule for the command that fetches model files, used by every message that suggests
// one (the CLI's commands, `models verify`, the GUI, StereoEngine::plan):
//   genstereo-cli models download ID... [--models DIR] [--catalog FILE]
// --models is left out when DIR is empty or the default models folder
// (default_models_folder.h); --catalog when the catalogue is the built-in one.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "models/model_catalog.h"

namespace genstereo {

// The command for the catalogue models `model_ids`; "" when `model_ids` is empty.
std::string modelsDownloadCommand(const std::vector<std::string>& model_ids,
                                  const ModelCatalog& catalog,
                                  const std::filesystem::path& models_dir = {});

// A shell word: bare when it is made of safe characters, else single-quoted.
std::string shellQuote(const std::string& text);

}  // namespace genstereo
