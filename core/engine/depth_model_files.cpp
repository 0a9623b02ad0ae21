#include "engine/depth_model_files.h"

#include "models/model_file_lookup.h"
#include "nn/depth_model_size.h"

namespace genstereo {

namespace {

const char* depthRepo(DepthModelSize size) {
  switch (size) {
    case DepthModelSize::kSmall:
      return "depth-anything/Depth-Anything-V2-Small";
    case DepthModelSize::kBase:
      return "depth-anything/Depth-Anything-V2-Base";
    default:
      return "depth-anything/Depth-Anything-V2-Large";
  }
}

const char* videoDepthRepo(DepthModelSize size) {
  switch (size) {
    case DepthModelSize::kSmall:
      return "depth-anything/Video-Depth-Anything-Small";
    case DepthModelSize::kBase:
      return "depth-anything/Video-Depth-Anything-Base";
    default:
      return "depth-anything/Video-Depth-Anything-Large";
  }
}

// The checkpoint where a run finds it (model_file_lookup.h: the models folder, then the Hugging
// Face cache), else where it is expected in the models folder.
std::filesystem::path depthCheckpointPath(const std::filesystem::path& models_dir,
                                          const std::string& name) {
  return findModelFile(models_dir, name).value_or(models_dir / name);
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
      EngineModelFile status;
      status.role = "depth_model";
      status.path = depthCheckpointPath(
          options.models_dir, std::string("video_depth_anything_") + toString(size) + ".pth");
      status.hub_repo = videoDepthRepo(size);
      files.push_back(status);
    }
    return files;
  }
  const std::vector<DepthModelSize> sizes =
      options.depth_model == DepthModelSize::kAuto
          ? std::vector<DepthModelSize>{DepthModelSize::kLarge, DepthModelSize::kBase,
                                        DepthModelSize::kSmall}
          : std::vector<DepthModelSize>{options.depth_model};
  for (DepthModelSize size : sizes) {
    EngineModelFile status;
    status.role = "depth_model";
    status.path = depthCheckpointPath(options.models_dir, depthCheckpointFileName(size));
    status.hub_repo = depthRepo(size);
    files.push_back(status);
  }
  return files;
}

}  // namespace genstereo
