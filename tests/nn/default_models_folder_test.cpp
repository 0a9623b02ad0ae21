// Runs find their weights without --models (issue 25): in the default models folder
// ($GENSTEREO_MODELS here, models/default_models_folder.h) after `models download`, and in the
// Hugging Face cache (models/model_file_lookup.h). End to end through genstereo-cli with the tiny
// random Depth Anything V2 of tests/data/dav2 (its architecture file beside it in the models
// folder, as for any model of another size than the released ones).
#include <fstream>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <opencv2/imgcodecs.hpp>

#include "hub_test_server.h"
#include "nn/architecture_file.h"
#include "test_support.h"
#include "tiny_depth_model.h"

namespace genstereo {
namespace {

namespace fs = std::filesystem;

constexpr const char* kDepthRepo = "depth-anything/Depth-Anything-V2-Small";

fs::path tinyDepthWeights() {
  return test::testDataDir() / "dav2" / "dav2_vits_random.safetensors";
}

std::string tinyDepthArchitecture() {
  return test::tinyDepthArchitectureJson(test::testDataDir() / "dav2");
}

class DefaultModelsFolder : public ::testing::Test {
 protected:
  void SetUp() override {
    fs::create_directories(models_);
    test::writeRawFile(models_ / kDepthArchitectureFile, tinyDepthArchitecture());
    cv::Mat photo8;
    test::makeTestImage(96, 56, 4).convertTo(photo8, CV_8UC3, 255.0);
    ASSERT_TRUE(cv::imwrite((work_ / "photo.png").string(), photo8));
  }

  // No --models: the folder comes from GENSTEREO_MODELS, the cache from HF_HUB_CACHE.
  std::vector<std::string> environment(const std::vector<std::string>& more = {}) const {
    std::vector<std::string> variables = {"GENSTEREO_MODELS=" + models_.string(),
                                          "HF_HUB_CACHE=" + hf_cache_.string(),
                                          "HF_HOME=",
                                          "HF_HUB_OFFLINE=",
                                          "HF_TOKEN=",
                                          "GENSTEREO_MODEL_CATALOG="};
    variables.insert(variables.end(), more.begin(), more.end());
    return variables;
  }

  test::CliRun generate() const {
    return test::runCli({"generate", (work_ / "photo.png").string(), "-o", (work_ / "out").string(),
                         "--threads", "2", "-q"},
                        environment());
  }

  bool hasRightView() const {
    std::error_code ec;
    for (const auto& entry : fs::directory_iterator(work_ / "out", ec)) {
      if (entry.path().filename().string().find("_right") != std::string::npos) return true;
    }
    return false;
  }

  test::TempDir work_;
  fs::path models_ = work_ / "models";
  fs::path hf_cache_ = work_ / "hf-cache";
};

TEST_F(DefaultModelsFolder, PhotoWithoutAMapFailsWhenNoDepthModelIsAnywhere) {
  const test::CliRun run = generate();
  EXPECT_NE(run.exit_code, 0);
  EXPECT_NE(run.err.find(models_.string()), std::string::npos)
      << "the error names the default folder it looked in: " << run.err;
}

// `models download depth-small` then `generate photo.png -o out/`, neither with --models. The
// catalogue is the built-in one's depth-small entry without its manifest (the tiny weights are
// not the released ones), served by the loopback hub.
TEST_F(DefaultModelsFolder, DownloadThenGenerateNeedNoModelsFlag) {
  const std::string weights = test::readTextFile(tinyDepthWeights());
  ASSERT_FALSE(weights.empty());
  test::HubTestServer hub;
  test::HubRoute route;
  route.body = weights;
  hub.setRoute(std::string("/") + kDepthRepo + "/resolve/main/depth_anything_v2_vits.pth", route);
  const fs::path catalog = work_ / "catalog.json";
  test::writeRawFile(catalog, R"({"format": 1, "files": [
    {"id": "depth_anything_v2_vits", "repo": ")" +
                                  std::string(kDepthRepo) + R"(",
     "path": "depth_anything_v2_vits.pth", "revision": "main", "size_bytes": )" +
                                  std::to_string(weights.size()) + R"(,
     "size_is_approximate": false, "sha256": null, "license": "Apache-2.0",
     "local_name": "depth_anything_v2_vits.pth"}],
    "models": [{"id": "depth-small", "title": "tiny", "files": ["depth_anything_v2_vits"]}]})");
  const std::vector<std::string> download_environment =
      environment({"HF_ENDPOINT=" + hub.baseUrl(), "GENSTEREO_MODEL_CATALOG=" + catalog.string()});

  const test::CliRun download =
      test::runCli({"models", "download", "depth-small", "-q"}, download_environment);
  ASSERT_EQ(download.exit_code, 0) << download.err << download.out;
  EXPECT_EQ(test::readTextFile(models_ / "depth_anything_v2_vits.pth"), weights);
  const test::CliRun where = test::runCli({"models", "where", "depth-small"}, download_environment);
  EXPECT_EQ(where.exit_code, 0) << where.err;
  EXPECT_NE(where.out.find("Models folder: " + models_.string()), std::string::npos) << where.out;
  EXPECT_NE(where.out.find("present  depth_anything_v2_vits.pth"), std::string::npos) << where.out;

  const test::CliRun run = generate();
  ASSERT_EQ(run.exit_code, 0) << run.err << run.out;
  EXPECT_TRUE(hasRightView());
}

// Only in the Hugging Face cache (snapshots/COMMIT/ and refs/main), nothing in the models folder
// but the architecture file: the run finds it, as `models where` does.
TEST_F(DefaultModelsFolder, RunFindsTheDepthModelInTheHuggingFaceCache) {
  const std::string commit = "0123456789abcdef0123456789abcdef01234567";
  const fs::path repo = hf_cache_ / "models--depth-anything--Depth-Anything-V2-Small";
  fs::create_directories(repo / "snapshots" / commit);
  fs::create_directories(repo / "refs");
  test::writeRawFile(repo / "refs" / "main", commit);
  fs::create_symlink(tinyDepthWeights(),
                     repo / "snapshots" / commit / "depth_anything_v2_vits.pth");

  const test::CliRun run = generate();
  ASSERT_EQ(run.exit_code, 0) << run.err << run.out;
  EXPECT_TRUE(hasRightView());
  EXPECT_FALSE(fs::exists(models_ / "depth_anything_v2_vits.pth")) << "used in place, not copied";
}

}  // namespace
}  // namespace genstereo
