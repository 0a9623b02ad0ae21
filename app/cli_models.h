// `genstereo-cli models list | download ID... | verify [ID...] | where [ID...]`, with
// `--models DIR` and `--catalog FILE` (default: GENSTEREO_MODEL_CATALOG, else the built-in
// catalogue). The command reports errors itself (one line on stderr) and ends through
// CLI::RuntimeError(exit code): 1 failure, 2 usage (a non-commercial licence not accepted),
// 130 cancelled (Ctrl-C, the partial file removed).
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "models/model_inventory.h"

namespace CLI {
class App;
}

namespace genstereo::cli {

// Registers the `models` subcommand and its four subcommands, each with its own callback.
void addModelsCommand(CLI::App& app);

// Runs `genstereo-cli models ...` on its own: argv[1] must be "models". Returns the exit code.
int runModelsCommand(int argc, char** argv);

// One line for generate/batch/eval when weights are missing or invalid, e.g.
//   "missing: genstereo-v2.1/reference_unet.pth; get them with: genstereo-cli models download
//    sd21 --models /data/models"
// Empty when every status is present.
std::string missingModelsHint(const std::vector<ModelFileStatus>& statuses,
                              const ModelCatalog& catalog, const std::filesystem::path& models_dir);

}  // namespace genstereo::cli
