#include "models/model_inventory.h"

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <optional>
#include <set>

#include "models/hf_cache.h"
#include "models/model_download_hint.h"

namespace genstereo {
namespace fs = std::filesystem;

namespace {

ModelFileStatus statusFrom(const CatalogFile& file, const ModelFileCheck& check,
                           ModelLocation location) {
  ModelFileStatus status;
  status.file = file;
  status.state = check.state;
  status.location = check.state == ModelFileState::kMissing ? ModelLocation::kNowhere : location;
  status.path = check.path;
  status.reason = check.state == ModelFileState::kInvalid ? check.reason : std::string();
  status.size_bytes = check.size_bytes;
  return status;
}

}  // namespace

const char* toString(ModelLocation location) {
  switch (location) {
    case ModelLocation::kModelsFolder:
      return "models folder";
    case ModelLocation::kHfCache:
      return "Hugging Face cache";
    case ModelLocation::kNowhere:
      return "nowhere";
  }
  return "?";
}

ModelFileStatus inspectModelFile(const fs::path& models_dir, const ModelCatalog& catalog,
                                 const CatalogFile& file, const InspectOptions& options) {
  const ModelManifest* manifest = catalog.manifestFor(file);
  const fs::path expected = models_dir / file.local_name;
  std::vector<std::pair<fs::path, ModelLocation>> candidates = {
      {expected, ModelLocation::kModelsFolder}};
  const std::string extension = expected.extension().string();
  if (extension == ".pth" || extension == ".bin") {
    fs::path twin = expected;
    candidates.emplace_back(twin.replace_extension(".safetensors"), ModelLocation::kModelsFolder);
  }
  std::string commit;
  std::string blob_sha256;
  if (options.use_hf_cache) {
    const fs::path cache = options.hf_cache_dir.empty() ? hfHubCacheDir() : options.hf_cache_dir;
    if (auto hit = findInHfCache(cache, file.repo, file.revision, file.path)) {
      candidates.emplace_back(hit->path, ModelLocation::kHfCache);
      commit = hit->commit;
      blob_sha256 = hit->blob_sha256;
    }
  }
  std::optional<ModelFileStatus> first_invalid;
  for (const auto& [path, location] : candidates) {
    const ModelFileCheck check = checkModelFile(path, manifest, file.check);
    if (check.state == ModelFileState::kMissing) continue;
    ModelFileStatus status = statusFrom(file, check, location);
    if (location == ModelLocation::kHfCache) {
      status.hf_cache_commit = commit;
      status.hf_cache_blob_sha256 = blob_sha256;
    }
    if (check.isPresent()) return status;
    if (!first_invalid) first_invalid = status;
  }
  if (first_invalid) return *first_invalid;
  ModelFileStatus missing;
  missing.file = file;
  missing.path = expected;
  return missing;
}

std::vector<ModelFileStatus> inspectCatalogFiles(const fs::path& models_dir,
                                                 const ModelCatalog& catalog,
                                                 const std::vector<std::string>& model_ids,
                                                 const InspectOptions& options) {
  std::vector<const CatalogFile*> files;
  if (model_ids.empty()) {
    for (const CatalogFile& file : catalog.files) files.push_back(&file);
  } else {
    files = catalog.filesOf(model_ids);
  }
  std::vector<ModelFileStatus> statuses;
  for (const CatalogFile* file : files)
    statuses.push_back(inspectModelFile(models_dir, catalog, *file, options));
  return statuses;
}

std::vector<std::string> modelIdsToDownload(const std::vector<ModelFileStatus>& statuses,
                                            const ModelCatalog& catalog) {
  std::set<std::string> needed;
  std::set<std::string> inspected;
  std::set<std::string> present;
  for (const ModelFileStatus& status : statuses) {
    inspected.insert(status.file.id);
    if (status.state == ModelFileState::kPresent) present.insert(status.file.id);
    if (!status.file.id.empty() && status.state != ModelFileState::kPresent)
      needed.insert(status.file.id);
  }
  // Models made only of inspected files first (the VAE missing for sd21 suggests sd21, not sd15).
  std::vector<const CatalogModel*> candidates;
  for (const CatalogModel& model : catalog.models) {
    if (std::all_of(model.file_ids.begin(), model.file_ids.end(),
                    [&](const std::string& id) { return inspected.count(id) != 0; })) {
      candidates.push_back(&model);
    }
  }
  for (const CatalogModel& model : catalog.models) {
    if (std::find(candidates.begin(), candidates.end(), &model) == candidates.end())
      candidates.push_back(&model);
  }
  std::vector<std::string> chosen;
  while (!needed.empty()) {
    // Most needed files covered; on a tie, fewest other files to fetch, then the smallest
    // model, then the later one of the catalogue (sd21, the default variant, before sd15).
    const CatalogModel* best = nullptr;
    std::size_t best_count = 0;
    std::size_t best_extra = 0;
    for (const CatalogModel* candidate : candidates) {
      const CatalogModel& model = *candidate;
      std::size_t count = 0;
      std::size_t extra = 0;
      for (const std::string& id : model.file_ids) {
        if (needed.count(id) != 0) {
          ++count;
        } else if (present.count(id) == 0) {
          ++extra;
        }
      }
      if (count == 0) continue;
      const bool is_better =
          best == nullptr || count > best_count ||
          (count == best_count &&
           (extra < best_extra ||
            (extra == best_extra && model.file_ids.size() <= best->file_ids.size())));
      if (is_better) {
        best = &model;
        best_count = count;
        best_extra = extra;
      }
    }
    if (best == nullptr) break;  // a file no model contains (cannot happen with a parsed catalogue)
    for (const std::string& id : best->file_ids) needed.erase(id);
    chosen.push_back(best->id);
  }
  std::vector<std::string> ordered;
  for (const CatalogModel& model : catalog.models) {
    if (std::find(chosen.begin(), chosen.end(), model.id) != chosen.end())
      ordered.push_back(model.id);
  }
  return ordered;
}

std::string suggestDownloadCommand(const std::vector<ModelFileStatus>& statuses,
                                   const ModelCatalog& catalog, const fs::path& models_dir) {
  return modelsDownloadCommand(modelIdsToDownload(statuses, catalog), catalog, models_dir);
}

std::string formatByteSize(std::uint64_t bytes) {
  const char* units[] = {"B", "kB", "MB", "GB", "TB"};
  double value = static_cast<double>(bytes);
  int unit = 0;
  while (value >= 1000.0 && unit < 4) {
    value /= 1000.0;
    ++unit;
  }
  char text[32];
  if (unit == 0) {
    std::snprintf(text, sizeof(text), "%llu B", static_cast<unsigned long long>(bytes));
  } else {
    std::snprintf(text, sizeof(text), value < 10.0 ? "%.1f %s" : "%.0f %s", value, units[unit]);
  }
  return text;
}

}  // namespace genstereo
