// The engine front door with real models (genstereo_models_torch), on the tiny fixture weights
// of ../shared/fixtures laid out as a models folder with architecture files: the diffusion
// engine equals the pipeline called directly, cancel during model loading, depth estimation,
// the structural check before any network is built, and through the CLI: an item written by
// `batch` equals what `generate` writes for the same inputs and seed, and `batch` makes a
// dataset from photos without maps (depth estimated).
#include <dlfcn.h>
#include <gtest/gtest.h>

#include <chrono>
#include <fstream>
#include <functional>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "engine/compute_dtype.h"
#include "engine/models_build_id.h"
#include "engine/models_module_api.h"
#include "errors.h"
#include "genstereo/engine.h"
#include "io/disparity_io.h"
#include "io/image_io.h"
#include "nn/architecture_file.h"
#include "nn/diffusion_engine.h"
#include "nn/diffusion_view_synthesizer.h"
#include "nn_test_support.h"
#include "shared_fixtures.h"
#include "test_support.h"
#include "tiny_depth_model.h"

namespace genstereo {
namespace {

namespace fs = std::filesystem;

// ../shared/fixtures/e2e_tiny and dav2_tiny as a models folder (symlinks; nothing copied).
class TinyModels : public ::testing::Test {
 protected:
  void SetUp() override {
    fs::path shared;
    GENSTEREO_NEED_SHARED_FIXTURES(shared, "the tiny weights live there");
    const fs::path w = shared / "e2e_tiny" / "weights";
    const fs::path variant = models_.path() / "genstereo-v2.1";
    fs::create_directories(variant);
    fs::create_directories(models_ / "sd-vae-ft-mse");
    fs::create_directories(models_ / "image_encoder");
    for (const char* name :
         {"reference_unet.pth", "denoising_unet.pth", "pose_guider.pth", "fusion_layer.pth"}) {
      fs::create_symlink(w / name, variant / name);
    }
    fs::create_symlink(w / "vae.safetensors",
                       models_ / "sd-vae-ft-mse" / "diffusion_pytorch_model.safetensors");
    fs::create_symlink(w / "image_encoder.pth", models_ / "image_encoder" / "pytorch_model.bin");
    writeText(variant / kGenStereoArchitectureFile, R"({
      "working_size": 64,
      "unet": {"block_out_channels": [32, 32, 64, 64], "layers_per_block": 1,
               "attention_heads": [2, 2, 4, 4], "cross_attention_dim": 272},
      "vae": {"block_out_channels": [32, 32, 64, 64], "layers_per_block": 1},
      "clip": {"hidden_size": 32, "intermediate_size": 64, "projection_dim": 16,
               "num_hidden_layers": 2, "num_attention_heads": 4}})");
    const fs::path dav2 = shared / "dav2_tiny";
    test::installTinyDepthModel(dav2, models_.path());
    options_.models_dir = models_.path();
    options_.threads = 2;
  }

  static void writeText(const fs::path& path, const std::string& text) {
    std::ofstream out(path, std::ios::binary);
    out << text;
  }

  // A 96x56 photo with a 3 px background and a 9 px box.
  static cv::Mat testDisparity() {
    cv::Mat disparity(56, 96, CV_32FC1, cv::Scalar(3.0f));
    disparity(cv::Rect(30, 10, 25, 30)).setTo(9.0f);
    return disparity;
  }

  test::TempDir models_;
  EngineOptions options_;
};

TEST_F(TinyModels, DiffusionRunEqualsThePipelineCalledDirectly) {
  const cv::Mat photo = test::makeTestImage(96, 56, 3);
  const cv::Mat disparity = testDisparity();
  StereoEngine engine(options_);
  ASSERT_TRUE(engine.inspectModels().isDiffusionReady());
  RunParams params;
  params.engine = EngineChoice::kAuto;  // valid weights: diffusion
  params.geometry = DisparityInput{makeDisparityMap(disparity.clone()), "test"};
  params.diffusion.steps = 2;
  params.diffusion.seed = 7;
  const RunResult result = engine.run(photo, params);
  EXPECT_EQ(result.engine_used, EngineChoice::kDiffusion);
  EXPECT_FALSE(result.generated.empty());
  EXPECT_NE(result.engine_description.find("diffusion (GenStereo sd21, ddim 2 steps"),
            std::string::npos)
      << result.engine_description;

  DiffusionEngineOptions direct;
  direct.models_dir = models_.path();
  direct.threads = 2;
  DiffusionEngine reference(direct);
  DiffusionParams dp;
  dp.steps = 2;
  dp.seed = 7;
  const SynthesizedView view = reference.synthesizer(dp, nullptr, CancelToken())(photo, disparity);
  EXPECT_EQ(cv::norm(result.right, view.view, cv::NORM_INF), 0.0);
  EXPECT_EQ(cv::norm(result.synthesized.fusion_weight, view.fusion_weight, cv::NORM_INF), 0.0);

  // The models stay loaded: a second run with other settings loads nothing.
  params.diffusion.seed = 8;
  params.diffusion.scheduler = SchedulerKind::kDpmSolverMultistep;
  engine.run(photo, params);
  EXPECT_EQ(engine.counters().model_loads, 1);
  EXPECT_EQ(engine.counters().diffusion_runs, 2);
}

// --dtype: the description says which dtype ran; an explicit bfloat16 on a CPU without native
// bfloat16 runs with a note; auto follows the CPU (compute_dtype_test has the rule itself).
TEST_F(TinyModels, TheDescriptionNamesTheDtypeThatRan) {
  const cv::Mat photo = test::makeTestImage(96, 56, 3);
  RunParams params;
  params.engine = EngineChoice::kDiffusion;
  params.geometry = DisparityInput{makeDisparityMap(testDisparity().clone()), "test"};
  params.diffusion.steps = 1;
  const bool native = hasNativeBFloat16(detectCpuBFloat16());
  for (ComputeDtype dtype :
       {ComputeDtype::kFloat32, ComputeDtype::kBFloat16, ComputeDtype::kAuto}) {
    EngineOptions options = options_;
    options.dtype = dtype;
    StereoEngine engine(options);
    const RunResult result = engine.run(photo, params);
    const ComputeDtype ran = dtype == ComputeDtype::kAuto
                                 ? (native ? ComputeDtype::kBFloat16 : ComputeDtype::kFloat32)
                                 : dtype;
    EXPECT_EQ(engine.computeDtype(), ran);
    EXPECT_NE(result.engine_description.find(std::string("cpu ") + toString(ran)),
              std::string::npos)
        << result.engine_description;
    bool noted_slow = false;
    for (const RunNote& note : result.notes) {
      noted_slow |= note.kind == RunNoteKind::kSlowBFloat16 &&
                    describeRunNote(note).find("will be slow") != std::string::npos;
    }
    EXPECT_EQ(noted_slow, ran == ComputeDtype::kBFloat16 && !native) << toString(dtype);
    EXPECT_FALSE(result.right.empty());
  }
}

TEST_F(TinyModels, CancelWhileLoadingReturnsAtOnceAndTheLoadIsKept) {
  const cv::Mat photo = test::makeTestImage(64, 64, 4);
  StereoEngine engine(options_);
  RunParams params;
  params.engine = EngineChoice::kDiffusion;
  params.geometry =
      DisparityInput{makeDisparityMap(cv::Mat(64, 64, CV_32FC1, cv::Scalar(4.0f))), "test"};
  params.diffusion.steps = 1;
  std::chrono::steady_clock::time_point cancelled_at;
  params.on_progress = [&](const RunProgress& p) {
    if (p.stage == RunStage::kLoadingModels && !params.cancel.isCancelled()) {
      cancelled_at = std::chrono::steady_clock::now();
      params.cancel.cancel();
    }
  };
  EXPECT_THROW(engine.run(photo, params), CancelledError);
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - cancelled_at).count();
  EXPECT_LT(seconds, 1.0) << "cancel during model loading must return within a second";
  EXPECT_EQ(engine.counters().diffusion_runs, 0);

  RunParams again = params;
  again.cancel = CancelToken();
  again.on_progress = nullptr;
  const RunResult result = engine.run(photo, again);
  EXPECT_EQ(result.engine_used, EngineChoice::kDiffusion);
  EXPECT_EQ(engine.counters().model_loads, 1) << "the cancelled wait's load is reused";
}

// Loading is reported in MiB read of the MiB of the files to read (issue 23, point 3): the total
// from the files' sizes (the depth checkpoint and the six GenStereo files), the steps rising to it.
TEST_F(TinyModels, LoadingIsReportedInMiBReadOfTheFilesSizes) {
  const cv::Mat photo = test::makeTestImage(64, 64, 4);
  StereoEngine engine(options_);
  RunParams params;  // geometry: estimated depth
  params.engine = EngineChoice::kDiffusion;
  params.diffusion.steps = 1;
  std::vector<RunProgress> loading;
  params.on_progress = [&](const RunProgress& p) {
    if (p.stage == RunStage::kLoadingModels) loading.push_back(p);
  };
  engine.run(photo, params);
  std::uint64_t bytes = fs::file_size(models_ / "depth_anything_v2_vits.safetensors");
  for (const char* name :
       {"reference_unet.pth", "denoising_unet.pth", "pose_guider.pth", "fusion_layer.pth"}) {
    bytes += fs::file_size(models_ / "genstereo-v2.1" / name);
  }
  bytes += fs::file_size(models_ / "sd-vae-ft-mse" / "diffusion_pytorch_model.safetensors");
  bytes += fs::file_size(models_ / "image_encoder" / "pytorch_model.bin");
  const int total_mib = static_cast<int>((bytes + (1 << 20) - 1) >> 20);
  ASSERT_GE(loading.size(), 3u);
  bool has_partial = false;
  for (std::size_t i = 0; i < loading.size(); ++i) {
    EXPECT_EQ(loading[i].total, total_mib) << i;
    if (i > 0) {
      EXPECT_GE(loading[i].step, loading[i - 1].step) << i;
    }
    has_partial |= loading[i].step > 0 && loading[i].step < total_mib;
  }
  EXPECT_EQ(loading.front().step, 0);
  EXPECT_EQ(loading.back().step, total_mib);
  EXPECT_TRUE(has_partial) << "the depth model's MiB, read before the diffusion models'";

  // Loaded models: nothing to report the next time.
  loading.clear();
  engine.run(photo, params);
  EXPECT_TRUE(loading.empty());
}

TEST_F(TinyModels, PhotoWithoutMapGetsDepthFromTheModel) {
  const cv::Mat photo = test::makeTestImage(80, 60, 5);
  StereoEngine engine(options_);
  ASSERT_TRUE(engine.inspectModels().isDepthReady());
  RunParams params;  // geometry: estimated depth
  params.engine = EngineChoice::kWeightFree;
  params.depth_conversion.max_disparity_fraction = 0.1;
  const RunResult result = engine.run(photo, params);
  ASSERT_EQ(result.depth.values.size(), photo.size());
  double low = 0.0, high = 0.0;
  cv::minMaxLoc(result.disparity_px, &low, &high);
  EXPECT_NEAR(high, 0.1 * 80, 1e-3);
  EXPECT_NEAR(low, 0.0, 1e-3);
  EXPECT_EQ(engine.counters().depth_forwards, 1);
  EXPECT_NE(result.engine_description.find("Depth Anything V2"), std::string::npos)
      << result.engine_description;
}

TEST_F(TinyModels, TruncatedCheckpointIsReportedBeforeAnyNetworkIsBuilt) {
  const fs::path pose = models_ / "genstereo-v2.1" / "pose_guider.pth";
  const std::string bytes = test::readTextFile(pose);
  fs::remove(pose);
  test::writeRawFile(pose, bytes.substr(0, bytes.size() * 2 / 3));
  StereoEngine engine(options_);
  const ModelReport report = engine.inspectModels();
  EXPECT_FALSE(report.isDiffusionReady());
  RunParams params;
  params.engine = EngineChoice::kDiffusion;
  params.geometry =
      DisparityInput{makeDisparityMap(cv::Mat(16, 16, CV_32FC1, cv::Scalar(1.0f))), "test"};
  try {
    engine.run(test::makeTestImage(16, 16), params);
    FAIL() << "a truncated pose_guider.pth must be refused";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("pose_guider.pth"), std::string::npos) << e.what();
  }
  EXPECT_EQ(engine.counters().model_loads, 0);
}

TEST_F(TinyModels, BatchItemEqualsGenerateWithTheItemSeed) {
  test::TempDir work;
  fs::create_directories(work / "photos");
  writeImage(work / "photos" / "scene.png", test::makeTestImage(96, 56, 6));
  writeDisparity(work / "photos" / "scene_disp.pfm", makeDisparityMap(testDisparity()));
  const std::vector<std::string> common = {"--models",  models_.path().string(),
                                           "--engine",  "diffusion",
                                           "--steps",   "2",
                                           "--threads", "2",
                                           "-q"};
  std::vector<std::string> batch = {
      "batch", (work / "photos").string(), "-o", (work / "set").string(), "--seed", "11"};
  batch.insert(batch.end(), common.begin(), common.end());
  const test::CliRun batch_run = test::runCli(batch);
  ASSERT_EQ(batch_run.exit_code, 0) << batch_run.err << batch_run.out;
  const nlohmann::json meta =
      nlohmann::json::parse(test::readTextFile(work / "set" / "meta" / "scene.json"));
  EXPECT_EQ(meta.at("engine").at("name"), "diffusion");
  ASSERT_EQ(meta.at("model_files_used").size(), 6u)
      << "the six GenStereo files; no depth model (a map was given)";
  for (const auto& file : meta.at("model_files_used")) {
    EXPECT_EQ(file.at("sha256").get<std::string>().size(), 64u) << file.dump();
    EXPECT_NE(file.at("role"), "depth_model");
  }
  const std::string item_seed = std::to_string(meta.at("item_seed").get<std::uint64_t>());

  // generate's comfortable defaults differ from batch's official geometry (docs/comfort.md):
  // the batch's geometry is given explicitly.
  std::vector<std::string> generate = {"generate",
                                       (work / "photos" / "scene.png").string(),
                                       "--disparity",
                                       (work / "photos" / "scene_disp.pfm").string(),
                                       "-o",
                                       (work / "single").string(),
                                       "--seed",
                                       item_seed,
                                       "--convergence",
                                       "0",
                                       "--parallax-limit",
                                       "0",
                                       "--border",
                                       "fill"};
  generate.insert(generate.end(), common.begin(), common.end());
  const test::CliRun generate_run = test::runCli(generate);
  ASSERT_EQ(generate_run.exit_code, 0) << generate_run.err;
  const cv::Mat from_batch = readImage(work / "set" / "right" / "scene.png");
  const cv::Mat from_generate = readImage(work / "single" / "scene_right.png");
  ASSERT_EQ(from_batch.size(), from_generate.size());
  EXPECT_EQ(cv::norm(from_batch, from_generate, cv::NORM_INF), 0.0) << "batch and generate differ";
  EXPECT_EQ(test::runCli({"batch-verify", (work / "set").string()}).exit_code, 0);
}

TEST_F(TinyModels, BatchMakesADatasetFromPhotosWithoutMaps) {
  test::TempDir work;
  fs::create_directories(work / "photos" / "sub");
  writeImage(work / "photos" / "a.png", test::makeTestImage(72, 48, 7));
  writeImage(work / "photos" / "sub" / "b.jpg", test::makeTestImage(64, 64, 8));
  const test::CliRun run =
      test::runCli({"batch", (work / "photos").string(), "-o", (work / "set").string(), "--models",
                    models_.path().string(), "--engine", "weight-free", "--threads", "2", "-q"});
  ASSERT_EQ(run.exit_code, 0) << run.err << run.out;
  for (const char* id : {"a", "sub__b"}) {
    const nlohmann::json meta = nlohmann::json::parse(
        test::readTextFile(work / "set" / "meta" / (std::string(id) + ".json")));
    EXPECT_EQ(meta.at("geometry"), "estimated depth") << id;
    bool has_depth_model = false;
    for (const auto& file : meta.at("model_files_used"))
      has_depth_model |= file.at("role") == "depth_model";
    EXPECT_TRUE(has_depth_model) << meta.dump(2);
    EXPECT_TRUE(fs::exists(work / "set" / "disparity" / (std::string(id) + ".pfm")));
  }
  EXPECT_EQ(test::runCli({"batch-verify", (work / "set").string()}).exit_code, 0);
}

// The per-photo cache through the engine: changing steps, seed, guidance, sampler, baseline or
// convergence for the same photo runs no photo-only network again, and every output equals
// that of an engine without the cache.
TEST_F(TinyModels, PhotoCacheSkipsThePhotoNetworksAndChangesNoOutput) {
  const cv::Mat photo = test::makeTestImage(96, 56, 3);
  EngineOptions uncached_options = options_;
  uncached_options.photo_cache_photos = 0;
  StereoEngine engine(options_);
  StereoEngine uncached(uncached_options);
  RunParams params;
  params.engine = EngineChoice::kDiffusion;
  params.geometry = DisparityInput{makeDisparityMap(testDisparity()), "test"};
  params.diffusion.steps = 1;
  std::vector<std::pair<std::string, std::function<void(RunParams&)>>> changes = {
      {"first run", [](RunParams&) {}},
      {"steps", [](RunParams& p) { p.diffusion.steps = 2; }},
      {"seed", [](RunParams& p) { p.diffusion.seed = 9; }},
      {"guidance", [](RunParams& p) { p.diffusion.guidance_scale = 2.5; }},
      {"scheduler", [](RunParams& p) { p.diffusion.scheduler = SchedulerKind::kEulerDiscrete; }},
      {"baseline", [](RunParams& p) { p.synthesis.shaping.baseline_scale = 1.6; }},
      {"convergence", [](RunParams& p) { p.synthesis.shaping.convergence = 0.4; }},
  };
  int runs = 0;
  for (const auto& [what, change] : changes) {
    SCOPED_TRACE(what);
    change(params);
    const RunResult a = engine.run(photo, params);
    const RunResult b = uncached.run(photo, params);
    ++runs;
    EXPECT_EQ(cv::norm(a.right, b.right, cv::NORM_INF), 0.0);
    EXPECT_EQ(cv::norm(a.generated, b.generated, cv::NORM_INF), 0.0);
    const StereoEngine::Counters counters = engine.counters();
    EXPECT_EQ(counters.clip_forwards, 1);
    EXPECT_EQ(counters.vae_encodes, 1);
    EXPECT_EQ(counters.reference_forwards, 1);
    EXPECT_EQ(counters.photo_cache_hits, runs - 1);
    EXPECT_EQ(uncached.counters().reference_forwards, runs);
    EXPECT_EQ(uncached.counters().clip_forwards, runs);
  }
  // Another photo computes its conditions; the first one stays cached (two photos).
  engine.run(test::makeTestImage(96, 56, 4), params);
  EXPECT_EQ(engine.counters().reference_forwards, 2);
  engine.run(photo, params);
  EXPECT_EQ(engine.counters().reference_forwards, 2);

  options_.photo_cache_photos = -1;
  EXPECT_THROW(StereoEngine{options_}, InputError);
}

TEST_F(TinyModels, TiledRunGeneratesEveryPatchAtFullResolution) {
  const cv::Mat photo =
      test::makeTestImage(100, 70, 5);  // tiled at 128 x 128: 3 x 3 patches of 64 px
  cv::Mat disparity(70, 100, CV_32FC1, cv::Scalar(4.0f));
  disparity(cv::Rect(30, 20, 40, 30)).setTo(9.0f);
  StereoEngine engine(options_);
  RunParams params;
  params.engine = EngineChoice::kDiffusion;
  params.geometry = DisparityInput{makeDisparityMap(disparity), "test"};
  params.diffusion.steps = 1;
  params.diffusion.tiles = true;
  int last_total = 0;
  params.on_progress = [&](const RunProgress& p) {
    if (p.stage == RunStage::kDenoising) last_total = p.total;
  };
  const RunResult result = engine.run(photo, params);
  EXPECT_EQ(result.right.size(), photo.size());
  EXPECT_EQ(result.generated.size(), photo.size());
  EXPECT_EQ(last_total, 9);
  EXPECT_EQ(engine.counters().reference_forwards, 9);
  EXPECT_NE(result.engine_description.find("tiled, overlap 0.5"), std::string::npos)
      << result.engine_description;

  // A photo that fits one patch runs untiled.
  params.on_progress = nullptr;
  engine.run(test::makeTestImage(60, 40, 6), [&] {
    RunParams small = params;
    small.geometry =
        DisparityInput{makeDisparityMap(cv::Mat(40, 60, CV_32FC1, cv::Scalar(3.0f))), "test"};
    return small;
  }());
  EXPECT_EQ(engine.counters().reference_forwards, 10);

  params.diffusion.tile_overlap = 0.95;
  EXPECT_THROW(engine.run(photo, params), InputError);
}

TEST_F(TinyModels, GenerateTakesTilesAndRefusesABadOverlap) {
  test::TempDir work;
  writeImage(work / "wide.png", test::makeTestImage(100, 64, 7));
  writeDisparity(work / "wide_disp.pfm",
                 makeDisparityMap(cv::Mat(64, 100, CV_32FC1, cv::Scalar(3.0f))));
  std::vector<std::string> args = {"generate",
                                   (work / "wide.png").string(),
                                   "--disparity",
                                   (work / "wide_disp.pfm").string(),
                                   "-o",
                                   (work / "out").string(),
                                   "--models",
                                   models_.path().string(),
                                   "--engine",
                                   "diffusion",
                                   "--steps",
                                   "1",
                                   "--threads",
                                   "2",
                                   "-q",
                                   "--tiles",
                                   "--tile-overlap",
                                   "0.25"};
  const test::CliRun run = test::runCli(args);
  ASSERT_EQ(run.exit_code, 0) << run.err << run.out;
  EXPECT_EQ(readImage(work / "out" / "wide_right.png").size(), cv::Size(100, 64));
  // Feathered seams: the same patches (same seeds), cross-faded where they meet.
  std::vector<std::string> feathered = args;
  feathered[5] = (work / "feathered").string();
  feathered.insert(feathered.end(), {"--tile-feather", "8"});
  const test::CliRun soft = test::runCli(feathered);
  ASSERT_EQ(soft.exit_code, 0) << soft.err << soft.out;
  const cv::Mat hard_view = readImage(work / "out" / "wide_right.png");
  const cv::Mat soft_view = readImage(work / "feathered" / "wide_right.png");
  ASSERT_EQ(soft_view.size(), hard_view.size());
  EXPECT_GT(cv::norm(soft_view, hard_view, cv::NORM_INF), 0.0)
      << "patches of other seeds disagree at the seams";
  feathered.back() = "600";
  const test::CliRun too_wide = test::runCli(feathered);
  EXPECT_NE(too_wide.exit_code, 0);
  EXPECT_NE(too_wide.err.find("tile-feather"), std::string::npos) << too_wide.err;
  args.back() = "1.5";
  const test::CliRun bad = test::runCli(args);
  EXPECT_NE(bad.exit_code, 0);
  EXPECT_NE(bad.err.find("tile-overlap"), std::string::npos) << bad.err;
}

// genstereo-cli loads LibTorch (the models module, core/engine/models_module_api.h) only for a
// run that needs a model. LD_DEBUG=files makes the dynamic loader name every library it opens.
TEST_F(TinyModels, TheCliLoadsLibTorchOnlyForARunThatNeedsAModel) {
  test::TempDir work;
  const cv::Mat photo = test::makeTestImage(72, 48, 5);
  writeImage(work / "photo.png", photo);
  fs::create_directories(work / "maps");  // not beside the photo: map discovery would find it
  writeDisparity(work / "maps" / "photo_disp.pfm",
                 makeDisparityMap(cv::Mat(48, 72, CV_32FC1, cv::Scalar(3.0f))));
  const std::vector<std::string> loader_trace = {"LD_DEBUG=files"};

  const test::CliRun version = test::runCli({"--version"}, loader_trace);
  ASSERT_EQ(version.exit_code, 0) << version.err;
  EXPECT_EQ(version.err.find("libtorch_cpu"), std::string::npos) << "--version loaded LibTorch";

  const test::CliRun weight_free = test::runCli(
      {"generate", (work / "photo.png").string(), "--disparity",
       (work / "maps" / "photo_disp.pfm").string(), "-o", (work / "weight_free").string(),
       "--models", models_.path().string(), "--engine", "weight-free", "-q"},
      loader_trace);
  ASSERT_EQ(weight_free.exit_code, 0) << weight_free.err;
  EXPECT_TRUE(fs::exists(work / "weight_free" / "photo_right.png"));
  EXPECT_EQ(weight_free.err.find("libtorch_cpu"), std::string::npos)
      << "a weight-free run loaded LibTorch";
  EXPECT_EQ(weight_free.err.find(kModelsModuleFileName), std::string::npos);

  // The control: a run with estimated depth opens the module, and LibTorch with it.
  const test::CliRun with_depth =
      test::runCli({"generate", (work / "photo.png").string(), "-o", (work / "depth").string(),
                    "--models", models_.path().string(), "--threads", "2", "-q"},
                   loader_trace);
  ASSERT_EQ(with_depth.exit_code, 0) << with_depth.err.substr(0, 2000);
  EXPECT_NE(with_depth.err.find(kModelsModuleFileName), std::string::npos);
  EXPECT_NE(with_depth.err.find("libtorch_cpu"), std::string::npos);
  EXPECT_TRUE(fs::exists(work / "depth" / "photo_right.png"));

  // `models library` loads it and says where it is.
  const test::CliRun library = test::runCli({"models", "library"});
  ASSERT_EQ(library.exit_code, 0) << library.out << library.err;
  EXPECT_NE(library.out.find(kModelsModuleFileName), std::string::npos) << library.out;
  EXPECT_NE(library.out.find("Runtime: LibTorch "), std::string::npos) << library.out;
}

// Without the module, weight-free runs still work, and a run that needs a model says which
// library it looked for and where.
TEST_F(TinyModels, WithoutTheModelsModuleARunThatNeedsItNamesIt) {
  test::TempDir work;
  writeImage(work / "photo.png", test::makeTestImage(72, 48, 6));
  fs::create_directories(work / "maps");  // not beside the photo: map discovery would find it
  writeDisparity(work / "maps" / "photo_disp.pfm",
                 makeDisparityMap(cv::Mat(48, 72, CV_32FC1, cv::Scalar(2.0f))));
  const std::string missing = (work / "nowhere" / kModelsModuleFileName).string();
  const std::vector<std::string> no_module = {"GENSTEREO_MODELS_MODULE=" + missing};

  const test::CliRun weight_free = test::runCli(
      {"generate", (work / "photo.png").string(), "--disparity",
       (work / "maps" / "photo_disp.pfm").string(), "-o", (work / "weight_free").string(), "-q"},
      no_module);
  EXPECT_EQ(weight_free.exit_code, 0) << weight_free.err;

  const test::CliRun with_depth =
      test::runCli({"generate", (work / "photo.png").string(), "-o", (work / "depth").string(),
                    "--models", models_.path().string(), "--engine", "weight-free", "-q"},
                   no_module);
  EXPECT_NE(with_depth.exit_code, 0);
  EXPECT_NE(with_depth.err.find("was not found"), std::string::npos) << with_depth.err;
  EXPECT_NE(with_depth.err.find(missing), std::string::npos) << with_depth.err;
  EXPECT_FALSE(fs::exists(work / "depth" / "photo_right.png"));

  const test::CliRun library = test::runCli({"models", "library"}, no_module);
  EXPECT_EQ(library.exit_code, 1);
  EXPECT_NE(library.out.find("not usable"), std::string::npos) << library.out;
  EXPECT_NE(library.out.find(missing), std::string::npos) << library.out;

  // A library that is not the models module is refused by name.
  const fs::path foreign = "/lib/x86_64-linux-gnu/libz.so.1";
  if (!fs::exists(foreign)) GTEST_SKIP() << foreign << " is absent";
  const test::CliRun wrong =
      test::runCli({"generate", (work / "photo.png").string(), "-o", (work / "wrong").string(),
                    "--models", models_.path().string(), "--engine", "weight-free", "-q"},
                   {"GENSTEREO_MODELS_MODULE=" + foreign.string()});
  EXPECT_NE(wrong.exit_code, 0);
  EXPECT_NE(wrong.err.find("is not a GenStereo neural models library"), std::string::npos)
      << wrong.err;
}

// The models module exports one entry, which hands out its runtime only to a caller of the same
// build (the build id stamped at configure time).
TEST(ModelsModule, TheEntryAnswersOnlyItsOwnBuild) {
  const fs::path module = fs::path(GENSTEREO_CLI_PATH).parent_path() / kModelsModuleFileName;
  ASSERT_TRUE(fs::is_regular_file(module)) << module;
  void* handle = dlopen(module.c_str(), RTLD_NOW | RTLD_LOCAL);
  ASSERT_NE(handle, nullptr) << dlerror();
  const auto entry = reinterpret_cast<ModelsModuleEntry>(dlsym(handle, kModelsModuleEntry));
  ASSERT_NE(entry, nullptr);
  const char* module_id = nullptr;
  EXPECT_EQ(entry("0.1.0-another-build", &module_id), nullptr);
  ASSERT_NE(module_id, nullptr);
  EXPECT_STREQ(module_id, GENSTEREO_BUILD_ID);
  ModelsRuntime* runtime = entry(GENSTEREO_BUILD_ID, &module_id);
  ASSERT_NE(runtime, nullptr);
  EXPECT_TRUE(runtime->hasModelSupport());
  EXPECT_NE(runtime->libraryInfo().runtime.find("LibTorch"), std::string::npos);
  // The handle stays open: the runtime lives in the module.
}

// A module of another build (tests/nn/foreign_models_module.cpp) is refused with both build ids
// and the file named; weight-free runs do not open it.
TEST(ModelsModule, AModuleOfAnotherBuildIsRefusedByItsBuildId) {
  test::TempDir work;
  writeImage(work / "photo.png", test::makeTestImage(40, 30, 7));
  fs::create_directories(work / "maps");
  writeDisparity(work / "maps" / "photo_disp.pfm",
                 makeDisparityMap(cv::Mat(30, 40, CV_32FC1, cv::Scalar(2.0f))));
  const std::string foreign = GENSTEREO_FOREIGN_MODELS_MODULE;
  const std::vector<std::string> env = {"GENSTEREO_MODELS_MODULE=" + foreign};

  const test::CliRun weight_free = test::runCli(
      {"generate", (work / "photo.png").string(), "--disparity",
       (work / "maps" / "photo_disp.pfm").string(), "-o", (work / "out").string(), "-q"},
      env);
  EXPECT_EQ(weight_free.exit_code, 0) << weight_free.err;

  const test::CliRun library = test::runCli({"models", "library"}, env);
  EXPECT_EQ(library.exit_code, 1);
  EXPECT_NE(library.out.find("comes from another build"), std::string::npos) << library.out;
  EXPECT_NE(library.out.find(foreign), std::string::npos) << library.out;
  EXPECT_NE(library.out.find("0.0.0-another-build"), std::string::npos) << library.out;
  EXPECT_NE(library.out.find(GENSTEREO_BUILD_ID), std::string::npos) << library.out;
}

}  // namespace
}  // namespace genstereo
