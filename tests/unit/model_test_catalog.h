// A test catalogue of two tiny fixture checkpoints (tests/data/checkpoints/pose_guider.pth,
// fusion_layer.pth) with manifests made from the files themselves, for the model tests.
#pragma once

#include <filesystem>
#include <string>

#include "models/model_catalog.h"

namespace genstereo::test {

struct TestCatalogFiles {
  std::filesystem::path catalog_json;    // the catalogue file (with its manifests file beside it)
  std::string pose_bytes, fusion_bytes;  // the fixture files' bytes
  std::string pose_sha256, fusion_sha256;
};

// Writes catalog.json and manifests.txt into `dir`. The catalogue has files "pose"
// (repo test-org/tiny-genstereo, path pose_guider.pth, local name "tiny/pose_guider.pth") and
// "fusion" (same repo, path sub/fusion_layer.pth, local name "tiny/fusion_layer.pth"), and the
// models "tiny-pose" (pose), "tiny" (pose + fusion). `pose_size_bytes` overrides the pose size.
TestCatalogFiles writeTestCatalog(const std::filesystem::path& dir,
                                  unsigned long long pose_size_bytes = 0);

std::string readWholeFile(const std::filesystem::path& path);

}  // namespace genstereo::test
