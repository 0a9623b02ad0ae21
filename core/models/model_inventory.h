// Which catalogue files a user has, where, and whether they are usable: the models folder
// first (the catalogue's local name, or its .safetensors twin), then the Hugging Face cache.
// Every present file passed the structural check (model_file_check.h); this is also the check
// to run before loading.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "models/model_catalog.h"
#include "models/model_file_check.h"

namespace genstereo {

enum class ModelLocation { kNowhere, kModelsFolder, kHfCache };

// "models folder", "Hugging Face cache", "nowhere".
const char* toString(ModelLocation location);

struct ModelFileStatus {
  CatalogFile file;
  ModelFileState state = ModelFileState::kMissing;
  ModelLocation location = ModelLocation::kNowhere;
  std::filesystem::path path;        // the file found (or, when missing, where it is expected)
  std::string reason;                // why invalid; empty otherwise
  std::uint64_t size_bytes = 0;      // on disk; 0 when missing
  std::string hf_cache_commit;       // when found in the Hugging Face cache
  std::string hf_cache_blob_sha256;  // ...and its blob is named by its sha256 (LFS files)
};

struct InspectOptions {
  bool use_hf_cache = true;
  std::filesystem::path hf_cache_dir;  // empty: hfHubCacheDir()
};

// The status of every file of `model_ids` (all catalogue files when empty), in catalogue order.
// A valid candidate wins over an invalid one; when none is valid, the first invalid one is
// reported. Throws InputError for an unknown model id.
std::vector<ModelFileStatus> inspectCatalogFiles(const std::filesystem::path& models_dir,
                                                 const ModelCatalog& catalog,
                                                 const std::vector<std::string>& model_ids = {},
                                                 const InspectOptions& options = {});

// The status of one catalogue file.
ModelFileStatus inspectModelFile(const std::filesystem::path& models_dir,
                                 const ModelCatalog& catalog, const CatalogFile& file,
                                 const InspectOptions& options = {});

// The smallest set of model ids (catalogue order) whose files cover every status that is not
// present; empty when all are present.
std::vector<std::string> modelIdsToDownload(const std::vector<ModelFileStatus>& statuses,
                                            const ModelCatalog& catalog);

// The exact command that fetches what is missing or invalid, e.g.
//   "genstereo-cli models download sd21 --models '/data/models'"
// (the one rule of models/model_download_hint.h: --models left out for an empty `models_dir`
// or the default folder, --catalog added for another catalogue). Empty when nothing is missing.
std::string suggestDownloadCommand(const std::vector<ModelFileStatus>& statuses,
                                   const ModelCatalog& catalog,
                                   const std::filesystem::path& models_dir = {});

// "1.3 GB", "99 MB", "742 kB", "12 B" (decimal units, as the hub shows them).
std::string formatByteSize(std::uint64_t bytes);

}  // namespace genstereo
