#include "model_test_catalog.h"

#include <fstream>
#include <sstream>

#include "io/checkpoint_file.h"
#include "models/model_manifest.h"
#include "models/sha256.h"
#include "test_support.h"

namespace genstereo::test {
namespace fs = std::filesystem;

namespace {

ModelManifest manifestOf(const fs::path& path, const std::string& name) {
  ModelManifest manifest;
  manifest.name = name;
  const std::unique_ptr<CheckpointFile> file = CheckpointFile::open(path);
  for (const CheckpointEntry& entry : file->entries()) {
    manifest.tensors.push_back({entry.name, entry.shape});
  }
  return manifest;
}

}  // namespace

std::string readWholeFile(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

TestCatalogFiles writeTestCatalog(const fs::path& dir, unsigned long long pose_size_bytes) {
  const fs::path pose = testDataDir() / "checkpoints" / "pose_guider.pth";
  const fs::path fusion = testDataDir() / "checkpoints" / "fusion_layer.pth";
  TestCatalogFiles files;
  files.pose_bytes = readWholeFile(pose);
  files.fusion_bytes = readWholeFile(fusion);
  files.pose_sha256 = sha256OfFile(pose);
  files.fusion_sha256 = sha256OfFile(fusion);
  fs::create_directories(dir);
  writeRawFile(dir / "manifests.txt",
               formatModelManifests({manifestOf(pose, "test_pose_guider"),
                                     manifestOf(fusion, "test_fusion_layer")}));
  const std::string pose_size =
      std::to_string(pose_size_bytes != 0 ? pose_size_bytes : files.pose_bytes.size());
  const std::string json = R"({
  "format": 1,
  "manifests_file": "manifests.txt",
  "files": [
    {"id": "pose", "title": "tiny pose guider", "repo": "test-org/tiny-genstereo",
     "path": "pose_guider.pth", "revision": "main", "revision_pinned": false,
     "size_bytes": )" + pose_size +
                           R"(, "size_is_approximate": false, "sha256": null,
     "license": "Apache-2.0", "non_commercial": false, "local_name": "tiny/pose_guider.pth",
     "manifest": "test_pose_guider"},
    {"id": "fusion", "title": "tiny fusion layer", "repo": "test-org/tiny-genstereo",
     "path": "sub/fusion_layer.pth", "revision": "main", "size_bytes": )" +
                           std::to_string(files.fusion_bytes.size()) + R"(,
     "size_is_approximate": false, "sha256": ")" +
                           files.fusion_sha256 + R"(",
     "license": "CC-BY-NC-4.0", "non_commercial": true, "local_name": "tiny/fusion_layer.pth",
     "manifest": "test_fusion_layer"}
  ],
  "models": [
    {"id": "tiny-pose", "title": "pose only", "files": ["pose"]},
    {"id": "tiny", "title": "both", "files": ["pose", "fusion"]}
  ]
})";
  files.catalog_json = dir / "catalog.json";
  writeRawFile(files.catalog_json, json);
  return files;
}

}  // namespace genstereo::test
