// StereoEngine::plan with the models library (genstereo_models_torch), on a models folder made
// for each test (no network is built: plan only checks files): the diffusion weights missing
// (the files, the download command), kAuto falling back to the weight-free engine, depth
// estimation with and without a depth model, the working size; and end to end, `generate
// --engine diffusion` without weights printing one error with the download command.
#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>
#include <opencv2/imgcodecs.hpp>

#include "errors.h"
#include "eval/dataset_evaluation.h"
#include "eval/stereo_dataset.h"
#include "genstereo/engine.h"
#include "io/disparity_io.h"
#include "io/image_io.h"
#include "models/model_download_hint.h"
#include "nn/architecture_file.h"
#include "test_support.h"
#include "tiny_depth_model.h"

namespace genstereo {
namespace {

namespace fs = std::filesystem;

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

int countOf(const std::string& text, const std::string& part) {
  int count = 0;
  for (auto at = text.find(part); at != std::string::npos; at = text.find(part, at + 1)) ++count;
  return count;
}

std::string tinyDepthArchitecture() {
  return test::tinyDepthArchitectureJson(test::testDataDir() / "dav2");
}

// An empty models folder and an empty Hugging Face cache (HF_HUB_CACHE, restored after).
class PlanWithModels : public ::testing::Test {
 protected:
  void SetUp() override {
    fs::create_directories(models_);
    fs::create_directories(hf_cache_);
    for (const char* name : {"HF_HUB_CACHE", "GENSTEREO_MODEL_CATALOG"}) {
      const char* value = std::getenv(name);
      saved_.emplace_back(name,
                          value != nullptr ? std::optional<std::string>(value) : std::nullopt);
    }
    ::setenv("HF_HUB_CACHE", hf_cache_.c_str(), 1);
    ::unsetenv("GENSTEREO_MODEL_CATALOG");
    options_.models_dir = models_;
    options_.threads = 2;
  }

  void TearDown() override {
    for (const auto& [name, value] : saved_) {
      if (value)
        ::setenv(name.c_str(), value->c_str(), 1);
      else
        ::unsetenv(name.c_str());
    }
  }

  static RunParams withMap(EngineChoice engine) {
    RunParams params;
    params.engine = engine;
    params.geometry =
        DisparityInput{makeDisparityMap(cv::Mat(16, 16, CV_32FC1, cv::Scalar(2.0f))), "map"};
    return params;
  }

  test::TempDir work_;
  fs::path models_ = work_ / "models";
  fs::path hf_cache_ = work_ / "hf-cache";
  EngineOptions options_;
  std::vector<std::pair<std::string, std::optional<std::string>>> saved_;
};

TEST_F(PlanWithModels, DiffusionWithoutWeightsListsTheFilesAndTheDownloadCommand) {
  StereoEngine engine(options_);
  const RunPlan plan = engine.plan(withMap(EngineChoice::kDiffusion));
  EXPECT_FALSE(plan.ready());
  EXPECT_EQ(plan.engine, EngineChoice::kDiffusion);
  EXPECT_EQ(plan.reason, EngineReason::kNotReady);
  ASSERT_EQ(plan.missing.size(), 6u);
  for (const EngineModelFile& file : plan.missing) {
    EXPECT_EQ(file.state, ModelFileState::kMissing) << file.path;
    EXPECT_FALSE(file.catalog_id.empty()) << file.role;
  }
  const std::string command =
      "genstereo-cli models download sd21 --models " + shellQuote(models_.string());
  EXPECT_EQ(plan.download_command, command);
  EXPECT_TRUE(contains(plan.problem, "reference_unet.pth")) << plan.problem;
  EXPECT_TRUE(contains(plan.problem, "; get them with: " + command)) << plan.problem;
  try {
    engine.resolveEngine(withMap(EngineChoice::kDiffusion));
    FAIL() << "not ready";
  } catch (const InputError& e) {
    EXPECT_EQ(std::string(e.what()), plan.problem);
  }

  options_.variant = GenStereoVariant::kSd15;
  EXPECT_EQ(StereoEngine(options_).plan(withMap(EngineChoice::kDiffusion)).download_command,
            "genstereo-cli models download sd15 --models " + shellQuote(models_.string()));
}

TEST_F(PlanWithModels, AutoWithoutWeightsRunsWeightFreeAndSaysWhy) {
  StereoEngine engine(options_);
  const RunPlan plan = engine.plan(withMap(EngineChoice::kAuto), cv::Size(1000, 600));
  EXPECT_TRUE(plan.ready()) << plan.problem;
  EXPECT_EQ(plan.engine, EngineChoice::kWeightFree);
  EXPECT_EQ(plan.reason, EngineReason::kWeightsNotReady);
  EXPECT_TRUE(contains(plan.reason_text, models_.string())) << plan.reason_text;
  EXPECT_EQ(plan.missing.size(), 6u);
  EXPECT_TRUE(contains(plan.download_command, "models download sd21")) << plan.download_command;
  EXPECT_EQ(*plan.working_size, cv::Size(1000, 600));
  EXPECT_EQ(engine.resolveEngine(withMap(EngineChoice::kAuto)), EngineChoice::kWeightFree);
}

TEST_F(PlanWithModels, DepthEstimationWithoutADepthModelSuggestsTheSmallOne) {
  StereoEngine engine(options_);
  RunParams params;  // estimated depth
  params.engine = EngineChoice::kWeightFree;
  RunPlan plan = engine.plan(params);
  EXPECT_TRUE(plan.estimates_depth);
  EXPECT_FALSE(plan.ready());
  EXPECT_FALSE(plan.depth_model.has_value());
  EXPECT_EQ(plan.missing.size(), 3u) << "every size is looked for (kAuto)";
  for (const EngineModelFile& file : plan.missing) {
    EXPECT_EQ(file.hub_repo.rfind("depth-anything/Depth-Anything-V2-", 0), 0u)
        << file.catalog_id << ": the catalogue's repository";
  }
  EXPECT_EQ(plan.download_command,
            "genstereo-cli models download depth-small --models " + shellQuote(models_.string()));
  EXPECT_TRUE(contains(plan.problem, "Hugging Face cache")) << plan.problem;
  EXPECT_TRUE(contains(plan.problem, "get them with: " + plan.download_command)) << plan.problem;

  options_.depth_model = DepthModelSize::kBase;
  plan = StereoEngine(options_).plan(params);
  EXPECT_EQ(plan.missing.size(), 1u);
  EXPECT_TRUE(contains(plan.download_command, "download depth-base")) << plan.download_command;
}

TEST_F(PlanWithModels, DepthEstimationWithADepthModelNamesIt) {
  fs::copy_file(test::testDataDir() / "dav2" / "dav2_vits_random.safetensors",
                models_ / "depth_anything_v2_vits.safetensors");
  test::writeRawFile(models_ / kDepthArchitectureFile, tinyDepthArchitecture());
  StereoEngine engine(options_);
  RunParams params;  // estimated depth
  params.engine = EngineChoice::kWeightFree;
  const RunPlan plan = engine.plan(params, cv::Size(96, 56));
  EXPECT_TRUE(plan.ready()) << plan.problem;
  EXPECT_TRUE(plan.estimates_depth);
  ASSERT_TRUE(plan.depth_model.has_value());
  EXPECT_EQ(plan.depth_model->path.filename(), "depth_anything_v2_vits.safetensors");
  EXPECT_EQ(plan.depth_model->state, ModelFileState::kPresent);
  EXPECT_TRUE(plan.missing.empty());
  EXPECT_EQ(plan.download_command, "");
  EXPECT_EQ(*plan.working_size, cv::Size(96, 56));

  // A map given: no depth model is planned, even when one is present.
  params.geometry = MapFile{work_ / "absent.pfm", MapFileKind::kDepth, {}};
  EXPECT_FALSE(engine.plan(params).estimates_depth);
  EXPECT_FALSE(engine.plan(params).depth_model.has_value());
}

TEST_F(PlanWithModels, DiffusionWorkingSizeIsTheModelsSquareOrThePhotoWithTiles) {
  RunParams params = withMap(EngineChoice::kDiffusion);
  EXPECT_EQ(*StereoEngine(options_).plan(params, cv::Size(1200, 800)).working_size,
            cv::Size(768, 768));
  options_.variant = GenStereoVariant::kSd15;
  EXPECT_EQ(*StereoEngine(options_).plan(params, cv::Size(1200, 800)).working_size,
            cv::Size(512, 512));
  params.diffusion.tiles = true;
  EXPECT_EQ(*StereoEngine(options_).plan(params, cv::Size(1200, 800)).working_size,
            cv::Size(1200, 800));
  EXPECT_EQ(*StereoEngine(options_).plan(params, cv::Size(400, 300)).working_size,
            cv::Size(512, 512))
      << "a photo within the model's square is one run at that size";
  // A model of another size (an architecture file): its working size.
  options_.variant = GenStereoVariant::kSd21;
  fs::create_directories(models_ / "genstereo-v2.1");
  test::writeRawFile(models_ / "genstereo-v2.1" / kGenStereoArchitectureFile,
                     R"({"working_size": 64})");
  params.diffusion.tiles = false;
  EXPECT_EQ(*StereoEngine(options_).plan(params, cv::Size(96, 56)).working_size, cv::Size(64, 64));
}

// End to end: one error line, with the command that fetches the weights (no client appends
// a hint of its own).
TEST_F(PlanWithModels, GenerateWithDiffusionWithoutWeightsPrintsOneErrorWithTheCommand) {
  cv::Mat photo8;
  test::makeTestImage(48, 32).convertTo(photo8, CV_8UC3, 255.0);
  ASSERT_TRUE(cv::imwrite((work_ / "photo.png").string(), photo8));
  writeDisparity(work_ / "photo_disp.pfm",
                 makeDisparityMap(cv::Mat(32, 48, CV_32FC1, cv::Scalar(2.0f))));
  const test::CliRun run =
      test::runCli({"generate", (work_ / "photo.png").string(), "--engine", "diffusion", "--models",
                    models_.string(), "-o", (work_ / "out").string(), "-q"},
                   {"HF_HUB_CACHE=" + hf_cache_.string(), "HF_HOME=", "GENSTEREO_MODEL_CATALOG="});
  EXPECT_EQ(run.exit_code, 1) << run.err;
  EXPECT_EQ(countOf(run.err, "error:"), 1) << run.err;
  EXPECT_EQ(countOf(run.err, "get them with: genstereo-cli models download sd21 --models " +
                                 shellQuote(models_.string())),
            1)
      << run.err;
  EXPECT_FALSE(fs::exists(work_ / "out" / "photo_right.png"));
}

// kAuto with --models lacking weights: the run goes on weight-free and says why, once, with the
// command; `batch --engine diffusion` is refused before any item with the same command.
TEST_F(PlanWithModels, GenerateAutoAndBatchDiffusionSayWhatIsMissing) {
  cv::Mat photo8;
  test::makeTestImage(48, 32).convertTo(photo8, CV_8UC3, 255.0);
  fs::create_directories(work_ / "photos");
  ASSERT_TRUE(cv::imwrite((work_ / "photos" / "photo.png").string(), photo8));
  writeDisparity(work_ / "photos" / "photo_disp.pfm",
                 makeDisparityMap(cv::Mat(32, 48, CV_32FC1, cv::Scalar(2.0f))));
  const std::vector<std::string> environment = {"HF_HUB_CACHE=" + hf_cache_.string(),
                                                "HF_HOME=", "GENSTEREO_MODEL_CATALOG="};
  const std::string command =
      "genstereo-cli models download sd21 --models " + shellQuote(models_.string());
  const test::CliRun generate =
      test::runCli({"generate", (work_ / "photos" / "photo.png").string(), "--models",
                    models_.string(), "-o", (work_ / "out").string()},
                   environment);
  ASSERT_EQ(generate.exit_code, 0) << generate.err;
  EXPECT_EQ(countOf(generate.err,
                    "weight-free engine: the GenStereo sd21 weights are not all "
                    "present and valid in '" +
                        models_.string() + "' (get them with: " + command + ")"),
            1)
      << generate.err;
  EXPECT_TRUE(contains(generate.out, "engine: weight-free")) << generate.out;

  const test::CliRun batch =
      test::runCli({"batch", (work_ / "photos").string(), "-o", (work_ / "set").string(),
                    "--engine", "diffusion", "--models", models_.string(), "-q"},
                   environment);
  EXPECT_EQ(batch.exit_code, 1) << batch.err;
  EXPECT_EQ(countOf(batch.err, "error:"), 1) << batch.err;
  EXPECT_EQ(countOf(batch.err, "get them with: " + command), 1) << batch.err;
}

// eval: a method the engine cannot run is refused before any pair is read, with the command.
TEST_F(PlanWithModels, EvalRefusesTheDiffusionMethodWithoutWeights) {
  const fs::path pair = work_ / "data" / "p";
  fs::create_directories(pair);
  writeImage(pair / "left.png", test::makeTestImage(32, 16, 1));
  writeImage(pair / "right.png", test::makeTestImage(32, 16, 2));
  writeDisparity(pair / "disp_left.pfm",
                 makeDisparityMap(cv::Mat(16, 32, CV_32FC1, cv::Scalar(2.0f))));
  StereoEngine engine(options_);
  EvaluationOptions options;
  options.methods = {evalMethodByName("naive"), evalMethodByName("diffusion")};
  try {
    evaluateDataset(discoverStereoDataset(work_ / "data"), options, engine);
    FAIL() << "the diffusion method cannot run";
  } catch (const InputError& e) {
    EXPECT_TRUE(contains(e.what(), "method diffusion: ")) << e.what();
    EXPECT_TRUE(contains(e.what(), "get them with: genstereo-cli models download sd21"))
        << e.what();
  }
  options.methods = {evalMethodByName("naive")};
  EXPECT_EQ(evaluateDataset(discoverStereoDataset(work_ / "data"), options, engine).pairs.size(),
            1u);
}

}  // namespace
}  // namespace genstereo
