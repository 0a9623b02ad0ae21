#include "models/model_file_lookup.h"

#include <system_error>

#include "models/hf_cache.h"
#include "models/model_catalog.h"

namespace genstereo {
namespace fs = std::filesystem;

std::optional<fs::path> findModelFile(const fs::path& models_dir, const std::string& local_name) {
  std::error_code ec;
  if (!models_dir.empty()) {
    const fs::path primary = models_dir / local_name;
    if (fs::is_regular_file(primary, ec)) return primary;
    const std::string extension = primary.extension().string();
    if (extension == ".pth" || extension == ".bin") {
      fs::path twin = primary;
      twin.replace_extension(".safetensors");
      if (fs::is_regular_file(twin, ec)) return twin;
    }
  }
  const ModelCatalog catalog = loadModelCatalog();
  for (const CatalogFile& file : catalog.files) {
    if (file.local_name != local_name) continue;
    if (auto hit = findInHfCache(hfHubCacheDir(), file.repo, file.revision, file.path))
      return hit->path;
  }
  return std::nullopt;
}

}  // namespace genstereo
