// One name per enum value, shared by the command line, the GUI's settings and presets, batch.json
// and the reports: toString and its parser (xFromString) read each other back, and unknown
// names are refused.
#include <gtest/gtest.h>

#include <string>

#include "eval/dataset_evaluation.h"
#include "genstereo/engine.h"
#include "genstereo/video.h"
#include "nn/depth_estimator.h"
#include "nn/depth_model_size.h"
#include "nn/genstereo_variant.h"
#include "nn/scheduler_kind.h"
#include "stereo/comfort_shaping.h"
#include "stereo/disparity_preparation.h"
#include "stereo/occlusion_fill.h"
#include "stereo/stereo_border.h"
#include "stereo/stereo_synthesis.h"
#include "video/temporal/depth_range_stabilizer.h"

namespace genstereo {
namespace {

// Every value reads back from its name; a name no value has is refused.
template <typename Enum, typename Parse>
void expectRoundTrip(std::initializer_list<Enum> values, Parse parse) {
  for (const Enum value : values) {
    const std::string name = toString(value);
    const auto parsed = parse(name);
    ASSERT_TRUE(parsed.has_value()) << name;
    EXPECT_EQ(*parsed, value) << name;
  }
  EXPECT_FALSE(parse("no-such-name").has_value());
  EXPECT_FALSE(parse("").has_value());
}

TEST(EnumNames, EveryValueReadsBackFromItsName) {
  expectRoundTrip({EngineChoice::kAuto, EngineChoice::kWeightFree, EngineChoice::kDiffusion},
                  engineChoiceFromString);
  expectRoundTrip({ComputeDtype::kAuto, ComputeDtype::kFloat32, ComputeDtype::kFloat16,
                   ComputeDtype::kBFloat16},
                  computeDtypeFromString);
  expectRoundTrip({GenStereoVariant::kSd21, GenStereoVariant::kSd15}, variantFromString);
  expectRoundTrip({DepthModelSize::kAuto, DepthModelSize::kSmall, DepthModelSize::kBase,
                   DepthModelSize::kLarge},
                  parseDepthModelSize);
  expectRoundTrip({DepthResize::kBilinear, DepthResize::kEdgeAware}, depthResizeFromString);
  expectRoundTrip({SchedulerKind::kDdim, SchedulerKind::kDpmSolverMultistep,
                   SchedulerKind::kDpmSolverMultistepKarras, SchedulerKind::kEulerDiscrete},
                  schedulerKindFromString);
  expectRoundTrip({SynthesisEye::kRight, SynthesisEye::kLeft, SynthesisEye::kBoth},
                  synthesisEyeFromString);
  expectRoundTrip({WarpMode::kInteger, WarpMode::kSubpixel}, warpModeFromString);
  expectRoundTrip(
      {FillMethod::kNone, FillMethod::kNaive, FillMethod::kTelea, FillMethod::kBackground},
      fillMethodFromString);
  expectRoundTrip({BorderMode::kFill, BorderMode::kCrop, BorderMode::kScreen},
                  borderModeFromString);
  expectRoundTrip({ConvergenceMode::kManual, ConvergenceMode::kPercentile, ConvergenceMode::kPoint},
                  convergenceModeFromString);
  expectRoundTrip({DepthKind::kInverse, DepthKind::kMetric}, depthKindFromString);
  expectRoundTrip({RangeStabilizer::kPerFrame, RangeStabilizer::kIw3Ema, RangeStabilizer::kRobust},
                  rangeStabilizerFromString);
  expectRoundTrip({HdrHandling::kAuto, HdrHandling::kPassthrough, HdrHandling::kToneMap},
                  hdrHandlingFromString);
  expectRoundTrip({EvalProtocol::kNative, EvalProtocol::kOfficial}, evalProtocolFromString);
}

TEST(EnumNames, TheNamesAreTheCommandLines) {
  EXPECT_STREQ(toString(FillMethod::kNone), "none");  // --fill none
  EXPECT_STREQ(toString(DepthResize::kEdgeAware), "edge");
  EXPECT_STREQ(toString(DepthModelSize::kSmall), "vits");
  EXPECT_STREQ(toString(RangeStabilizer::kPerFrame), "off");  // --temporal off
  EXPECT_STREQ(toString(EngineChoice::kWeightFree), "weight-free");
}

TEST(EnumNames, OlderFillNameStillReads) {
  // Presets and batch.json written before the names were unified hold "warp-only".
  EXPECT_EQ(fillMethodFromString("warp-only"), FillMethod::kNone);
}

}  // namespace
}  // namespace genstereo
