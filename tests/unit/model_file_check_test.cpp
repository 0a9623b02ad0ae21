// The structural check of model files (container, keys, shapes) and where files are found:
// models folder, .safetensors twin, Hugging Face cache. Empty, truncated and wrong-shape files
// never pass.
#include <cstdlib>
#include <fstream>

#include <gtest/gtest.h>

#include "io/checkpoint_file.h"
#include "model_test_catalog.h"
#include "models/hf_cache.h"
#include "models/model_file_check.h"
#include "models/model_inventory.h"
#include "test_support.h"

namespace genstereo {
namespace {

namespace fs = std::filesystem;
using test::TempDir;

class ModelFileCheckTest : public ::testing::Test {
 protected:
  void SetUp() override {
    files_ = test::writeTestCatalog(dir_ / "catalog");
    catalog_ = loadModelCatalog(files_.catalog_json);
    manifest_ = catalog_.manifestFor(*catalog_.findFile("pose"));
    ASSERT_NE(manifest_, nullptr);
  }
  ModelFileCheck check(const std::string& bytes) {
    test::writeRawFile(dir_ / "file.pth", bytes);
    return checkModelFile(dir_ / "file.pth", manifest_);
  }

  TempDir dir_;
  test::TestCatalogFiles files_;
  ModelCatalog catalog_;
  const ModelManifest* manifest_ = nullptr;
};

TEST_F(ModelFileCheckTest, AcceptsTheFixtureInBothFormats) {
  const ModelFileCheck pth = check(files_.pose_bytes);
  EXPECT_EQ(pth.state, ModelFileState::kPresent) << pth.reason;
  EXPECT_EQ(pth.num_tensors, 16u);
  EXPECT_EQ(pth.size_bytes, files_.pose_bytes.size());
  const ModelFileCheck safetensors =
      checkModelFile(test::testDataDir() / "checkpoints" / "pose_guider.safetensors", manifest_);
  EXPECT_EQ(safetensors.state, ModelFileState::kPresent) << safetensors.reason;
}

TEST_F(ModelFileCheckTest, MissingEmptyAndTruncatedFilesNeverPass) {
  EXPECT_EQ(checkModelFile(dir_ / "absent.pth", manifest_).state, ModelFileState::kMissing);
  const ModelFileCheck empty = check("");
  EXPECT_EQ(empty.state, ModelFileState::kInvalid);
  EXPECT_NE(empty.reason.find("is empty (0 bytes)"), std::string::npos) << empty.reason;
  for (const std::size_t length : {std::size_t{1}, std::size_t{100}, files_.pose_bytes.size() / 2,
                                   files_.pose_bytes.size() - 1}) {
    const ModelFileCheck truncated = check(files_.pose_bytes.substr(0, length));
    EXPECT_EQ(truncated.state, ModelFileState::kInvalid) << "length " << length;
    EXPECT_NE(truncated.reason.find("file.pth"), std::string::npos) << truncated.reason;
  }
  const std::string safetensors =
      test::readWholeFile(test::testDataDir() / "checkpoints" / "pose_guider.safetensors");
  EXPECT_EQ(check(safetensors.substr(0, safetensors.size() - 10)).state, ModelFileState::kInvalid);
  EXPECT_EQ(check(std::string(4096, '\0')).state, ModelFileState::kInvalid);
}

TEST_F(ModelFileCheckTest, WrongKeysAndShapesAreNamed) {
  const ModelManifest* fusion = catalog_.manifestFor(*catalog_.findFile("fusion"));
  test::writeRawFile(dir_ / "fusion.pth", files_.fusion_bytes);
  EXPECT_TRUE(checkModelFile(dir_ / "fusion.pth", fusion).isPresent());

  ModelManifest reshaped = *fusion;
  reshaped.tensors[0].shape = {1, 7, 5, 5};
  const ModelFileCheck shape = checkModelFile(dir_ / "fusion.pth", &reshaped);
  EXPECT_EQ(shape.state, ModelFileState::kInvalid);
  EXPECT_NE(shape.reason.find("tensor '" + fusion->tensors[0].key +
                              "' has shape [1, 7, 3, 3], expected [1, 7, 5, 5]"),
            std::string::npos)
      << shape.reason;

  ModelManifest longer = *fusion;
  longer.tensors.push_back({"extra.weight", {3}});
  const ModelFileCheck missing = checkModelFile(dir_ / "fusion.pth", &longer);
  EXPECT_NE(missing.reason.find("1 of 3 tensors missing ('extra.weight')"), std::string::npos)
      << missing.reason;

  // The pose guider file checked against the fusion manifest: missing keys.
  const ModelFileCheck other =
      checkModelFile(test::testDataDir() / "checkpoints" / "pose_guider.pth", fusion);
  EXPECT_EQ(other.state, ModelFileState::kInvalid);

  // Unexpected keys fail unless ignored, as in the engine's loader.
  ModelManifest shorter = *fusion;
  const std::string dropped = shorter.tensors.back().key;
  shorter.tensors.pop_back();
  const ModelFileCheck unexpected = checkModelFile(dir_ / "fusion.pth", &shorter);
  EXPECT_NE(unexpected.reason.find("1 unexpected tensors ('" + dropped + "')"), std::string::npos)
      << unexpected.reason;
  ManifestCheckRules rules;
  rules.ignored_keys = {dropped};
  EXPECT_TRUE(checkModelFile(dir_ / "fusion.pth", &shorter, rules).isPresent());
}

TEST_F(ModelFileCheckTest, RenamesAndPointwiseConvRulesOfTheLoader) {
  ModelManifest renamed = *catalog_.manifestFor(*catalog_.findFile("fusion"));
  const std::string original = renamed.tensors[0].key;  // "fusion_layer.0.weight"
  renamed.tensors[0].key = "fusion_layer.new.weight";
  renamed.tensors[0].shape = {1, 7, 3, 3};
  test::writeRawFile(dir_ / "fusion.pth", files_.fusion_bytes);
  EXPECT_FALSE(checkModelFile(dir_ / "fusion.pth", &renamed).isPresent());
  ManifestCheckRules rules;
  rules.renames = {{".0.weight", ".new.weight"}};
  EXPECT_TRUE(checkModelFile(dir_ / "fusion.pth", &renamed, rules).isPresent());
}

TEST_F(ModelFileCheckTest, InspectFindsTheModelsFolderTwinAndReportsInvalid) {
  const fs::path models = dir_ / "models";
  InspectOptions no_cache;
  no_cache.use_hf_cache = false;
  std::vector<ModelFileStatus> statuses = inspectCatalogFiles(models, catalog_, {"tiny"}, no_cache);
  ASSERT_EQ(statuses.size(), 2u);
  EXPECT_EQ(statuses[0].state, ModelFileState::kMissing);
  EXPECT_EQ(statuses[0].path, models / "tiny" / "pose_guider.pth");
  EXPECT_EQ(statuses[0].location, ModelLocation::kNowhere);

  fs::create_directories(models / "tiny");
  fs::copy_file(test::testDataDir() / "checkpoints" / "pose_guider.safetensors",
                models / "tiny" / "pose_guider.safetensors");
  test::writeRawFile(models / "tiny" / "fusion_layer.pth", files_.fusion_bytes.substr(0, 300));
  statuses = inspectCatalogFiles(models, catalog_, {"tiny"}, no_cache);
  EXPECT_EQ(statuses[0].state, ModelFileState::kPresent);
  EXPECT_EQ(statuses[0].location, ModelLocation::kModelsFolder);
  EXPECT_EQ(statuses[0].path, models / "tiny" / "pose_guider.safetensors");
  EXPECT_EQ(statuses[1].state, ModelFileState::kInvalid);
  EXPECT_NE(statuses[1].reason.find("fusion_layer.pth"), std::string::npos) << statuses[1].reason;
  EXPECT_EQ(suggestDownloadCommand(statuses, catalog_, models),
            "genstereo-cli models download tiny --models " + models.string() + " --catalog " +
                files_.catalog_json.string());
}

// A Hugging Face cache as huggingface_hub writes it: refs/main, snapshots/COMMIT/PATH -> blobs.
fs::path makeHfCache(const fs::path& cache, const std::string& commit, const std::string& path,
                     const std::string& bytes, const std::string& sha256) {
  const fs::path repo = cache / "models--test-org--tiny-genstereo";
  fs::create_directories(repo / "refs");
  fs::create_directories(repo / "blobs");
  fs::create_directories((repo / "snapshots" / commit / path).parent_path());
  test::writeRawFile(repo / "refs" / "main", commit);
  test::writeRawFile(repo / "blobs" / sha256, bytes);
  const fs::path link = repo / "snapshots" / commit / path;
  fs::create_symlink(fs::relative(repo / "blobs" / sha256, link.parent_path()), link);
  return link;
}

TEST_F(ModelFileCheckTest, HfCacheFilesAreUsedInPlace) {
  const fs::path cache = dir_ / "hf" / "hub";
  const std::string commit(40, 'a');
  const fs::path link =
      makeHfCache(cache, commit, "pose_guider.pth", files_.pose_bytes, files_.pose_sha256);
  const auto hit = findInHfCache(cache, "test-org/tiny-genstereo", "main", "pose_guider.pth");
  ASSERT_TRUE(hit.has_value());
  EXPECT_EQ(hit->path, link);
  EXPECT_EQ(hit->commit, commit);
  EXPECT_EQ(hit->blob_sha256, files_.pose_sha256);
  EXPECT_FALSE(findInHfCache(cache, "test-org/tiny-genstereo", "main", "other.pth").has_value());
  EXPECT_FALSE(
      findInHfCache(cache, "test-org/tiny-genstereo", std::string(40, 'b'), "pose_guider.pth")
          .has_value());

  InspectOptions options;
  options.hf_cache_dir = cache;
  const std::vector<ModelFileStatus> statuses =
      inspectCatalogFiles(dir_ / "models", catalog_, {"tiny-pose"}, options);
  ASSERT_EQ(statuses.size(), 1u);
  EXPECT_EQ(statuses[0].state, ModelFileState::kPresent) << statuses[0].reason;
  EXPECT_EQ(statuses[0].location, ModelLocation::kHfCache);
  EXPECT_EQ(statuses[0].path, link);
  EXPECT_EQ(statuses[0].hf_cache_commit, commit);
  EXPECT_FALSE(fs::exists(dir_ / "models"));  // used in place, nothing copied
}

TEST(HfCacheDir, EnvironmentRules) {
  const char* names[] = {"HF_HUB_CACHE", "HUGGINGFACE_HUB_CACHE", "HF_HOME", "XDG_CACHE_HOME",
                         "HOME"};
  std::vector<std::pair<std::string, std::string>> saved;
  for (const char* name : names) {
    const char* value = std::getenv(name);
    if (value != nullptr) saved.emplace_back(name, value);
    ::unsetenv(name);
  }
  ::setenv("HOME", "/home/u", 1);
  EXPECT_EQ(hfHubCacheDir(), fs::path("/home/u/.cache/huggingface/hub"));
  ::setenv("XDG_CACHE_HOME", "/xdg", 1);
  EXPECT_EQ(hfHubCacheDir(), fs::path("/xdg/huggingface/hub"));
  ::setenv("HF_HOME", "/hf", 1);
  EXPECT_EQ(hfHubCacheDir(), fs::path("/hf/hub"));
  ::setenv("HF_HUB_CACHE", "/cache", 1);
  EXPECT_EQ(hfHubCacheDir(), fs::path("/cache"));
  for (const char* name : names) ::unsetenv(name);
  for (const auto& [name, value] : saved) ::setenv(name.c_str(), value.c_str(), 1);
  EXPECT_EQ(hfCacheRepoFolderName("depth-anything/Depth-Anything-V2-Small"),
            "models--depth-anything--Depth-Anything-V2-Small");
}

}  // namespace
}  // namespace genstereo
