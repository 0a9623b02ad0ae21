// StereoEngine::plan without models (genstereo_models_none): the engine and why, depth
// estimation refused with no models library, map files planned without being read, the working
// size; MapFile geometry read by the engine (one reader, one resize rule, the scale check); the
// one download command rule (models/model_download_hint.h).
#include <gtest/gtest.h>

#include <cstdlib>
#include <optional>
#include <string>

#include "engine/map_file.h"
#include "errors.h"
#include "genstereo/engine.h"
#include "io/disparity_io.h"
#include "io/image_io.h"
#include "models/model_catalog.h"
#include "models/model_download_hint.h"
#include "test_support.h"

namespace genstereo {
namespace {

namespace fs = std::filesystem;

// A slanted plane: disparities 2..6 px.
DisparityMap planeDisparity(int width, int height) {
  cv::Mat values(height, width, CV_32FC1);
  for (int y = 0; y < height; ++y) {
    for (int x = 0; x < width; ++x) values.at<float>(y, x) = 2.0f + 4.0f * y / height;
  }
  return makeDisparityMap(values);
}

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

TEST(RunPlan, WeightFreeAutoWithAMapIsReadyAtThePhotoSize) {
  StereoEngine engine;
  RunParams params;
  params.geometry = DisparityInput{planeDisparity(32, 24), "map"};
  const RunPlan plan = engine.plan(params, cv::Size(320, 240));
  EXPECT_TRUE(plan.ready()) << plan.problem;
  EXPECT_EQ(plan.engine, EngineChoice::kWeightFree);
  EXPECT_EQ(plan.reason, EngineReason::kNoModelLibrary) << plan.reason_text;
  EXPECT_FALSE(plan.estimates_depth);
  EXPECT_FALSE(plan.depth_model.has_value());
  EXPECT_TRUE(plan.missing.empty());
  EXPECT_EQ(plan.download_command, "") << "downloading cannot help a build without LibTorch";
  ASSERT_TRUE(plan.working_size.has_value());
  EXPECT_EQ(*plan.working_size, cv::Size(320, 240));
  EXPECT_FALSE(engine.plan(params).working_size.has_value()) << "no photo size, no working size";

  params.engine = EngineChoice::kWeightFree;
  EXPECT_EQ(engine.plan(params).reason, EngineReason::kAsked);
  EXPECT_STREQ(toString(EngineReason::kAsked), "asked for");
}

TEST(RunPlan, APreviewWorksAtThePreviewSize) {
  StereoEngine engine;
  RunParams params;
  params.geometry = DisparityInput{planeDisparity(32, 24), "map"};
  params.preview_box_px = cv::Size(160, 160);
  const RunPlan plan = engine.plan(params, cv::Size(320, 240));
  ASSERT_TRUE(plan.working_size.has_value());
  EXPECT_EQ(*plan.working_size, previewSizeOf(cv::Size(320, 240), cv::Size(160, 160)));
}

TEST(RunPlan, EstimatedDepthAndDiffusionWithoutAModelsLibraryAreNotReady) {
  StereoEngine engine;
  RunParams params;  // estimated depth
  RunPlan plan = engine.plan(params);
  EXPECT_TRUE(plan.estimates_depth);
  EXPECT_FALSE(plan.ready());
  EXPECT_TRUE(contains(plan.problem, "disparity or depth map")) << plan.problem;
  EXPECT_THROW(engine.resolveEngine(params), InputError);

  params.geometry = DisparityInput{planeDisparity(16, 16), "map"};
  params.engine = EngineChoice::kDiffusion;
  plan = engine.plan(params);
  EXPECT_FALSE(plan.ready());
  EXPECT_EQ(plan.engine, EngineChoice::kDiffusion);
  EXPECT_EQ(plan.reason, EngineReason::kNotReady);
  try {
    engine.resolveEngine(params);
    FAIL() << "diffusion without a models library must be refused";
  } catch (const InputError& e) {
    EXPECT_EQ(std::string(e.what()), plan.problem);
  }
}

TEST(RunPlan, AMapFileIsPlannedWithoutBeingRead) {
  test::TempDir dir;
  test::writeRawFile(dir / "broken.pfm", "not a PFM at all");
  StereoEngine engine;
  RunParams params;
  params.geometry = MapFile{dir / "broken.pfm", MapFileKind::kDisparity, {}};
  RunPlan plan = engine.plan(params, cv::Size(64, 48));
  EXPECT_TRUE(plan.ready()) << plan.problem;
  EXPECT_FALSE(plan.estimates_depth);
  EXPECT_EQ(*plan.working_size, cv::Size(64, 48));

  params.geometry = MapFile{dir / "absent_depth.png", MapFileKind::kDepth, {}};
  plan = engine.plan(params);
  EXPECT_FALSE(plan.ready());
  EXPECT_TRUE(contains(plan.problem,
                       "depth file '" + (dir / "absent_depth.png").string() + "' does not exist"))
      << plan.problem;
  EXPECT_THROW(engine.run(test::makeTestImage(64, 48), params), InputError);

  params.geometry = MapFile{};
  EXPECT_THROW(StereoEngine::validate(params), InputError);
}

TEST(RunPlan, MapFilesOfBothKindsAreReadByTheEngine) {
  test::TempDir dir;
  const cv::Mat image = test::makeTestImage(48, 32);
  const DisparityMap map = planeDisparity(48, 32);
  writeDisparity(dir / "p_disp.pfm", map);
  StereoEngine engine;

  RunParams from_file;
  from_file.geometry = MapFile{dir / "p_disp.pfm", MapFileKind::kDisparity, {}};
  RunParams in_memory;
  in_memory.geometry = DisparityInput{readDisparity(dir / "p_disp.pfm"), "m"};
  RunResult a = engine.run(image, from_file);
  RunResult b = engine.run(image, in_memory);
  EXPECT_EQ(cv::norm(a.right, b.right, cv::NORM_INF), 0.0);
  EXPECT_TRUE(a.depth.values.empty());

  from_file.geometry = MapFile{dir / "p_disp.pfm", MapFileKind::kDepth, {}};
  in_memory.geometry = DepthInput{readDisparity(dir / "p_disp.pfm"), "m"};
  a = engine.run(image, from_file);
  b = engine.run(image, in_memory);
  EXPECT_EQ(cv::norm(a.right, b.right, cv::NORM_INF), 0.0);
  EXPECT_FALSE(a.depth.values.empty()) << "a depth file is shaped and converted as depth";

  const GeometrySource read =
      StereoEngine::readMapFile(MapFile{dir / "p_disp.pfm", MapFileKind::kDisparity, {}});
  const auto* disparity = std::get_if<DisparityInput>(&read);
  ASSERT_NE(disparity, nullptr);
  EXPECT_EQ(disparity->origin, "'" + (dir / "p_disp.pfm").string() + "'");
}

TEST(RunPlan, AMapFileOfAnotherSizeFollowsTheMapSizePolicy) {
  test::TempDir dir;
  writeDisparity(dir / "half.pfm", planeDisparity(24, 16));
  StereoEngine engine;
  RunParams params;
  params.geometry = MapFile{dir / "half.pfm", MapFileKind::kDisparity, {}};
  try {
    engine.run(test::makeTestImage(48, 32), params);
    FAIL() << "kRefuse: a map of another size must be refused";
  } catch (const InputError& e) {
    EXPECT_TRUE(contains(e.what(), "half.pfm")) << e.what();
  }
  params.map_size = MapSizePolicy::kResize;
  const RunResult result = engine.run(test::makeTestImage(48, 32), params);
  ASSERT_EQ(result.notes.size(), 1u);
  EXPECT_EQ(result.notes[0].kind, RunNoteKind::kMapResized);
  EXPECT_EQ(result.notes[0].subject, "'" + (dir / "half.pfm").string() + "'");
}

TEST(RunPlan, TheScaleOfADisparityFileIsChecked) {
  test::TempDir dir;
  cv::Mat values(32, 48, CV_32FC1, cv::Scalar(3.0f));
  values.rowRange(0, 4).setTo(500.0f);
  writeDisparity(dir / "some.pfm", makeDisparityMap(values));
  writeDisparity(dir / "far.pfm", makeDisparityMap(cv::Mat(32, 48, CV_32FC1, cv::Scalar(1e6f))));
  StereoEngine engine;
  RunParams params;
  params.geometry = MapFile{dir / "some.pfm", MapFileKind::kDisparity, {}};
  const RunResult result = engine.run(test::makeTestImage(48, 32), params);
  ASSERT_FALSE(result.notes.empty());
  EXPECT_EQ(result.notes[0].kind, RunNoteKind::kMapScaleSuspect);
  EXPECT_TRUE(contains(describeRunNote(result.notes[0]), "12.5 %"))
      << describeRunNote(result.notes[0]);
  // generate reads the map while it decodes the photo: the note is its warning, not "within
  // the comfort range".
  writeImage(dir / "some.png", test::makeTestImage(48, 32));
  const test::CliRun generate =
      test::runCli({"generate", (dir / "some.png").string(), "--disparity",
                    (dir / "some.pfm").string(), "-o", (dir / "out").string(), "-q"});
  EXPECT_EQ(generate.exit_code, 0) << generate.err;
  EXPECT_TRUE(contains(generate.out, "warning: uncomfortable: disparities of '" +
                                         (dir / "some.pfm").string() + "' beyond the image width"))
      << generate.out;
  EXPECT_FALSE(contains(generate.out, "within the comfort range")) << generate.out;
  params.geometry = MapFile{dir / "far.pfm", MapFileKind::kDisparity, {}};
  try {
    engine.run(test::makeTestImage(48, 32), params);
    FAIL() << "disparities far beyond the width must be refused";
  } catch (const InputError& e) {
    EXPECT_TRUE(contains(e.what(), "far.pfm")) << e.what();
    EXPECT_TRUE(contains(e.what(), "beyond the image width")) << e.what();
  }
}

// The one rule: --models left out for the default folder, quoted when needed.
TEST(ModelDownloadHint, OneCommandForEveryClient) {
  const char* saved = std::getenv("GENSTEREO_MODELS");
  const std::optional<std::string> previous =
      saved != nullptr ? std::optional<std::string>(saved) : std::nullopt;
  ::setenv("GENSTEREO_MODELS", "/srv/default models", 1);
  const ModelCatalog catalog = builtinModelCatalog();
  EXPECT_EQ(modelsDownloadCommand({}, catalog, "/m"), "");
  EXPECT_EQ(modelsDownloadCommand({"depth-small", "sd21"}, catalog),
            "genstereo-cli models download depth-small sd21");
  EXPECT_EQ(modelsDownloadCommand({"sd21"}, catalog, "/srv/default models"),
            "genstereo-cli models download sd21");
  EXPECT_EQ(modelsDownloadCommand({"sd21"}, catalog, "/data/my models"),
            "genstereo-cli models download sd21 --models '/data/my models'");
  if (previous)
    ::setenv("GENSTEREO_MODELS", previous->c_str(), 1);
  else
    ::unsetenv("GENSTEREO_MODELS");
}

}  // namespace
}  // namespace genstereo
