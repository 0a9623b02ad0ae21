#include "engine/depth_model_files.h"

#include "io/model_layout.h"
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
      status.path = existingOrSafetensorsTwin(
          options.models_dir / (std::string("video_depth_anything_") + toString(size) + ".pth"));
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
    status.path = existingOrSafetensorsTwin(options.models_dir / depthCheckpointFileName(size));
    status.hub_repo = depthRepo(size);
    files.push_back(status);
  }
  return files;
}

}  // namespace genstereo
