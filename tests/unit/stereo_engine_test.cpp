// The engine front door (include/genstereo/engine.h) without models (genstereo_models_none):
// the weight-free products equal the stage functions', every geometry source, map sizes,
// parameter validation, cancel, progress, and the structural check of model files.
#include <gtest/gtest.h>

#include <cmath>
#include <fstream>
#include <vector>

#include "errors.h"
#include "genstereo/engine.h"
#include "stereo/depth_shaping.h"
#include "stereo/disparity_preparation.h"
#include "stereo/stereo_synthesis.h"
#include "test_support.h"

namespace genstereo {
namespace {

namespace fs = std::filesystem;

// A slanted plane with a nearer box: disparities 2..14 px.
DisparityMap testDisparity(int width, int height) {
  cv::Mat values(height, width, CV_32FC1);
  for (int y = 0; y < height; ++y) {
    for (int x = 0; x < width; ++x) {
      const bool box = x > width / 3 && x < width / 2 && y > height / 4 && y < height / 2;
      values.at<float>(y, x) = box ? 14.0f : 2.0f + 4.0f * static_cast<float>(y) / height;
    }
  }
  return makeDisparityMap(values);
}

double maxAbsDiff(const cv::Mat& a, const cv::Mat& b) { return cv::norm(a, b, cv::NORM_INF); }

TEST(StereoEngine, WeightFreeRunEqualsTheStageFunctions) {
  const cv::Mat image = test::makeTestImage(96, 64);
  const DisparityMap disparity = testDisparity(96, 64);
  StereoEngine engine;
  RunParams params;
  params.geometry = DisparityInput{disparity, "test map"};
  params.synthesis.shaping.baseline_scale = 1.3;
  const RunResult result = engine.run(image, params);
  const StereoResult reference = synthesizeStereo(image, disparity, params.synthesis);
  EXPECT_EQ(result.engine_used, EngineChoice::kWeightFree);
  EXPECT_EQ(maxAbsDiff(result.right, reference.right), 0.0);
  EXPECT_EQ(maxAbsDiff(result.left, reference.left), 0.0);
  EXPECT_EQ(maxAbsDiff(result.synthesized.warped, reference.synthesized.warped), 0.0);
  EXPECT_EQ(maxAbsDiff(result.synthesized.fusion_weight, reference.synthesized.fusion_weight), 0.0);
  EXPECT_EQ(maxAbsDiff(result.disparity_px, reference.disparity_px), 0.0);
  EXPECT_EQ(maxAbsDiff(result.left_disparity_px, reference.disparity_px), 0.0);
  EXPECT_TRUE(result.depth.values.empty());
  EXPECT_TRUE(result.generated.empty());
  EXPECT_NE(result.engine_description.find("weight-free"), std::string::npos)
      << result.engine_description;
}

TEST(StereoEngine, DepthInputIsShapedAndConvertedLikeTheOfficialRule) {
  const cv::Mat image = test::makeTestImage(80, 48);
  DisparityMap depth = testDisparity(80, 48);
  StereoEngine engine;
  RunParams params;
  params.geometry = DepthInput{depth, "test depth"};
  params.depth_shaping.foreground_scale = 0.5;
  params.depth_conversion.max_disparity_fraction = 0.1;
  const RunResult result = engine.run(image, params);
  const DisparityMap shaped = shapeDepth(depth, params.depth_shaping);
  const DisparityMap disparity = depthToDisparity(shaped, params.depth_conversion);
  const StereoResult reference = synthesizeStereo(image, disparity, params.synthesis);
  EXPECT_EQ(maxAbsDiff(result.right, reference.right), 0.0);
  EXPECT_EQ(maxAbsDiff(result.depth.values, shaped.values), 0.0);
  double max_d = 0.0;
  cv::minMaxLoc(result.disparity_px, nullptr, &max_d);
  EXPECT_NEAR(max_d, 0.1 * 80, 1e-4);
}

TEST(StereoEngine, LeftDisparityFollowsTheEye) {
  const cv::Mat image = test::makeTestImage(64, 40);
  StereoEngine engine;
  RunParams params;
  params.geometry = DisparityInput{testDisparity(64, 40), "map"};
  params.synthesis.eye = SynthesisEye::kBoth;
  const RunResult both = engine.run(image, params);
  EXPECT_EQ(maxAbsDiff(both.left_disparity_px, both.second.disparity_px * 2.0), 0.0);
  params.synthesis.eye = SynthesisEye::kLeft;
  const RunResult left = engine.run(image, params);
  EXPECT_EQ(maxAbsDiff(left.left_disparity_px, left.synthesized.disparity_px), 0.0);
}

TEST(StereoEngine, MapOfAnotherSizeIsRefusedOrResizedWithANote) {
  const cv::Mat image = test::makeTestImage(96, 64);
  StereoEngine engine;
  RunParams params;
  params.geometry = DisparityInput{testDisparity(48, 32), "'half.pfm'"};
  try {
    engine.run(image, params);
    FAIL() << "a 48x32 map for a 96x64 photo must be refused";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("'half.pfm' is 48x32 but the photo is 96x64"),
              std::string::npos)
        << e.what();
  }
  params.map_size = MapSizePolicy::kResize;
  const RunResult result = engine.run(image, params);
  ASSERT_EQ(result.notes.size(), 1u);
  EXPECT_EQ(result.notes[0].kind, RunNoteKind::kMapResized);
  EXPECT_EQ(result.notes[0].values, (std::vector<double>{48, 32, 96, 64, 1}));
  EXPECT_EQ(describeRunNote(result.notes[0]),
            "'half.pfm' (48x32) was resized to the photo's 96x64, its disparities scaled by the "
            "width ratio");
  double max_d = 0.0;
  cv::minMaxLoc(result.disparity_px, nullptr, &max_d);
  EXPECT_NEAR(max_d, 28.0, 1e-4);  // 14 px at half the width -> 28 px
}

TEST(StereoEngine, EstimatedDepthWithoutModelsNamesWhatIsMissing) {
  StereoEngine engine;
  RunParams params;  // geometry: estimate depth
  try {
    engine.run(test::makeTestImage(32, 32), params);
    FAIL() << "no depth model: must throw";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("disparity or depth map"), std::string::npos) << e.what();
  }
}

TEST(StereoEngine, DiffusionWithoutModelsIsRefusedBeforeAnyWork) {
  StereoEngine engine;
  RunParams params;
  params.geometry = DisparityInput{testDisparity(32, 32), "map"};
  params.engine = EngineChoice::kDiffusion;
  EXPECT_THROW(engine.resolveEngine(params), InputError);
  params.engine = EngineChoice::kAuto;
  EXPECT_EQ(engine.resolveEngine(params), EngineChoice::kWeightFree);
}

TEST(StereoEngine, ValidateNamesTheParameter) {
  struct Case {
    const char* name;
    std::function<void(RunParams&)> set;
  };
  const std::vector<Case> cases = {
      {"baseline scale", [](RunParams& p) { p.synthesis.shaping.baseline_scale = std::nan(""); }},
      {"baseline scale", [](RunParams& p) { p.synthesis.shaping.baseline_scale = -1.0; }},
      {"convergence", [](RunParams& p) { p.synthesis.shaping.convergence = 1e30; }},
      {"feather", [](RunParams& p) { p.synthesis.feather_px = std::nan(""); }},
      {"vertical sigma", [](RunParams& p) { p.synthesis.fill_params.vertical_sigma_px = 1e9; }},
      {"maximum disparity",
       [](RunParams& p) { p.depth_conversion.max_disparity_fraction = std::nan(""); }},
      {"guidance scale", [](RunParams& p) { p.diffusion.guidance_scale = INFINITY; }},
      {"sampling steps", [](RunParams& p) { p.diffusion.steps = 0; }},
  };
  for (const Case& c : cases) {
    RunParams params;
    params.geometry = DisparityInput{testDisparity(16, 16), "map"};
    c.set(params);
    try {
      StereoEngine::validate(params);
      ADD_FAILURE() << c.name << ": not refused";
    } catch (const InputError& e) {
      EXPECT_NE(std::string(e.what()).find(c.name), std::string::npos) << e.what();
    }
  }
}

TEST(StereoEngine, CancelledTokenStopsTheRun) {
  StereoEngine engine;
  RunParams params;
  params.geometry = DisparityInput{testDisparity(64, 64), "map"};
  params.cancel.cancel();
  EXPECT_THROW(engine.run(test::makeTestImage(64, 64), params), CancelledError);
}

TEST(StereoEngine, ProgressIsOneMonotonicFractionEndingAtOne) {
  StereoEngine engine;
  RunParams params;
  params.geometry = DisparityInput{testDisparity(64, 64), "map"};
  std::vector<RunProgress> seen;
  params.on_progress = [&seen](const RunProgress& p) { seen.push_back(p); };
  engine.run(test::makeTestImage(64, 64), params);
  ASSERT_GE(seen.size(), 3u);
  for (std::size_t i = 1; i < seen.size(); ++i) EXPECT_GE(seen[i].fraction, seen[i - 1].fraction);
  EXPECT_EQ(seen.back().stage, RunStage::kDone);
  EXPECT_DOUBLE_EQ(seen.back().fraction, 1.0);
  EXPECT_LT(seen.front().fraction, 0.5);
}

TEST(StereoEngine, InspectModelsFindsMissingEmptyAndTruncatedFiles) {
  test::TempDir dir;
  EngineOptions options;
  options.models_dir = dir.path();
  fs::create_directories(dir / "genstereo-v2.1");
  test::writeRawFile(dir / "genstereo-v2.1" / "pose_guider.pth", "");  // empty
  // A real checkpoint cut in half: its ZIP directory is gone.
  const fs::path real = test::testDataDir() / "checkpoints" / "pose_guider.pth";
  std::ifstream in(real, std::ios::binary);
  std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  test::writeRawFile(dir / "genstereo-v2.1" / "fusion_layer.pth",
                     bytes.substr(0, bytes.size() / 2));
  fs::copy_file(real, dir / "genstereo-v2.1" / "reference_unet.pth");
  StereoEngine engine(options);
  const ModelReport report = engine.inspectModels();
  ASSERT_EQ(report.diffusion.size(), 6u);
  auto find = [&](const std::string& role) -> const EngineModelFile& {
    for (const EngineModelFile& s : report.diffusion) {
      if (s.role == role) return s;
    }
    throw std::runtime_error(role);
  };
  EXPECT_EQ(find("pose_guider").state, ModelFileState::kInvalid);
  EXPECT_NE(find("pose_guider").problem.find("empty"), std::string::npos)
      << find("pose_guider").problem;
  EXPECT_EQ(find("fusion_layer").state, ModelFileState::kInvalid);
  EXPECT_NE(find("fusion_layer").problem.find("fusion_layer.pth"), std::string::npos)
      << find("fusion_layer").problem;
  // A valid checkpoint of another network: its keys do not match the reference U-Net's manifest.
  EXPECT_EQ(find("reference_unet").state, ModelFileState::kInvalid);
  EXPECT_NE(find("reference_unet").problem.find("reference_unet.pth"), std::string::npos)
      << find("reference_unet").problem;
  EXPECT_EQ(find("vae").state, ModelFileState::kMissing);
  EXPECT_EQ(find("vae").hub_repo, "stabilityai/sd-vae-ft-mse");
  EXPECT_FALSE(report.isDiffusionReady());
  EXPECT_EQ(report.problems().size(), 6u);
}

TEST(StereoEngine, EnumNamesRoundTrip) {
  for (EngineChoice c :
       {EngineChoice::kAuto, EngineChoice::kWeightFree, EngineChoice::kDiffusion}) {
    EXPECT_EQ(engineChoiceFromString(toString(c)), c);
  }
  for (ComputeDtype d : {ComputeDtype::kFloat32, ComputeDtype::kFloat16, ComputeDtype::kBFloat16}) {
    EXPECT_EQ(computeDtypeFromString(toString(d)), d);
  }
  EXPECT_FALSE(engineChoiceFromString("fast").has_value());
}

}  // namespace
}  // namespace genstereo
