#include "engine/depth_model_files.h"

#include "models/model_catalog.h"
#include "models/model_file_lookup.h"
#include "nn/depth_model_size.h"

namespace genstereo {

namespace {

// The checkpoint where a run finds it (model_file_lookup.h: the models folder, then the Hugging
// Face cache), else where it is expected in the models folder.
std::filesystem::path depthCheckpointPath(const std::filesystem::path& models_dir,
                                          const std::string& name) {
  return findModelFile(models_dir, name).value_or(models_dir / name);
}

// The catalogue's entry of a depth checkpoint (its id is the file's stem, e.g.
// "depth_anything_v2_vits"): the hub repository it comes from is the catalogue's.
EngineModelFile expectedFile(const std::filesystem::path& models_dir, const std::string& id) {
  static const ModelCatalog catalog = builtinModelCatalog();
  EngineModelFile status;
  status.role = "depth_model";
  status.catalog_id = id;
  status.path = depthCheckpointPath(models_dir, id + ".pth");
  if (const CatalogFile* file = catalog.findFile(id)) status.hub_repo = file->repo;
  return status;
}

}  // namespace

std::vector<EngineModelFile> expectedDepthModelFiles(const EngineOptions& options) {
  std::vector<EngineModelFile> files;
  if (options.models_dir.empty()) return files;
  if (options.depth_family == DepthModelFamily::kVideo) {
    // The smallest first (the licence-free one), as the video depth estimator looks.
    const std::vector<DepthModelSize> sizes =
        options.depth_model == DepthModelSize::kAuto
            ? std::vector<DepthModelSize>{DepthModelSize::kSmall, DepthModelSize::kBase,
                                          DepthModelSize::kLarge}
            : std::vector<DepthModelSize>{options.depth_model};
    for (DepthModelSize size : sizes) {
      files.push_back(
          expectedFile(options.models_dir, std::string("video_depth_anything_") + toString(size)));
    }
    return files;
  }
  const std::vector<DepthModelSize> sizes =
      options.depth_model == DepthModelSize::kAuto
          ? std::vector<DepthModelSize>{DepthModelSize::kLarge, DepthModelSize::kBase,
                                        DepthModelSize::kSmall}
          : std::vector<DepthModelSize>{options.depth_model};
  for (DepthModelSize size : sizes) {
    files.push_back(expectedFile(
        options.models_dir, std::filesystem::path(depthCheckpointFileName(size)).stem().string()));
  }
  return files;
}

}  // namespace genstereo
