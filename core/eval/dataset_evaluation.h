// `genstereo-cli eval`: synthesise the right view of each pair from its left view and the
// ground-truth disparity, and compare it with the real right view.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "eval/stereo_dataset.h"
#include "genstereo/engine.h"
#include "metrics/geometric_consistency.h"
#include "metrics/image_metrics.h"
#include "stereo/stereo_synthesis.h"

namespace genstereo {

struct MethodScores {
  std::string method;        // "warp-only", "naive", "telea", "background"
  ImageComparison all;       // every pixel
  ImageComparison occluded;  // pixels the warp could not reach (holes)
  ImageComparison visible;   // pixels the warp reached
  double seconds = 0.0;      // synthesis time
  // With EvaluationOptions::check_consistency: StereoSGBM on (left, synthesised right)
  // against the ground-truth disparity, on its valid pixels visible in the right view.
  std::optional<ConsistencyScores> consistency;
};

struct PairEvaluation {
  std::string name;
  int width = 0;
  int height = 0;
  double occluded_fraction = 0.0;
  std::vector<MethodScores> methods;
};

// A pair that could not be evaluated (a missing, corrupt or mismatched file): reported, and
// left out of the means, instead of aborting the whole run or being dropped silently.
struct SkippedPair {
  std::string name;
  std::string reason;
};

struct DatasetEvaluation {
  std::vector<PairEvaluation> pairs;
  std::vector<MethodScores> mean;  // per method, mean over the pairs (pixel_count summed)
  std::vector<SkippedPair> skipped;
};

// A way of making the right view: the engine, and for the weight-free engine warp mode + fill.
struct EvalMethod {
  std::string name;
  WarpMode warp = WarpMode::kInteger;
  FillMethod fill = FillMethod::kNone;
  EngineChoice engine = EngineChoice::kWeightFree;
};

// The methods `eval` knows, by name:
//   warp-only      official integer warp, holes left black
//   naive          official warp + copy of the nearest background pixel along the row
//   telea          official warp + OpenCV Telea inpainting
//   ours-integer   official warp + our background fill and seam blend
//   ours           our default engine: sub-pixel warp + background fill + seam blend
//   subpixel-naive sub-pixel warp + naive fill (to separate the two contributions)
//   diffusion      the GenStereo diffusion engine (needs the weights in the engine's models)
std::vector<EvalMethod> knownEvalMethods();
// The method of that name; throws InputError listing the known names.
EvalMethod evalMethodByName(const std::string& name);
// warp-only, naive, telea, ours-integer, ours.
std::vector<EvalMethod> defaultEvalMethods();

// How pairs are prepared and scored.
enum class EvalProtocol {
  kNative,    // each pair at its own resolution; PSNR / SSIM (11x11 Gaussian) over all, occluded
              // and visible pixels
  kOfficial,  // GenStereo's evaluation.py: images resized to S x S (bilinear, aspect not kept),
              // ground truth resized nearest and multiplied by S / W, the right view made at
              // S x S and quantised to 8 bits, both resized bicubic to 512 x 512, then piq's
              // PSNR and SSIM (2x2 average-pool downsampling first)
};
const char* toString(EvalProtocol protocol);  // "native", "official"
std::optional<EvalProtocol> evalProtocolFromString(const std::string& text);

struct EvaluationOptions {
  std::vector<EvalMethod> methods = defaultEvalMethods();
  EvalProtocol protocol = EvalProtocol::kNative;
  int official_size = 768;  // S of the official protocol (768 for v2.1, 512 for v1.5)
  SynthesisParams params;   // feather and fill parameters; eye, warp, fill and shaping are set
                            // per method (ground truth is used as is)
  // When set, each pair's synthesised right view per method (PAIR_METHOD.png) and its
  // occlusion mask (PAIR_occlusion_mask.png) are written there, for inspection.
  std::filesystem::path views_dir;
  // The diffusion method's sampling settings.
  DiffusionSettings diffusion;
  // Cancels the evaluation, also inside a running synthesis (CancelledError).
  CancelToken cancel;
  // Adds the geometric consistency (SGBM EPE and D1) of each method's generated pair.
  bool check_consistency = false;
  ConsistencyParams consistency;
};

// Every method of `options` on every pair, through `engine` (built once; the diffusion models
// stay loaded across pairs). `progress`: before each pair (stage kPreparing, `item` of `items`,
// item_id the pair's name) and once at the end (kDone). options.cancel cancels it. A method the
// engine cannot run (StereoEngine::plan not ready: the diffusion weights missing) is refused
// before any pair is read: InputError naming the method, the files and the download command.
DatasetEvaluation evaluateDataset(const std::vector<StereoPairItem>& items,
                                  const EvaluationOptions& options, StereoEngine& engine,
                                  const RunProgressCallback& progress = nullptr);

// A fixed-width text table: one row per pair and method plus the means.
std::string formatEvaluationTable(const DatasetEvaluation& evaluation);

// JSON document with every number of the evaluation.
std::string evaluationToJson(const DatasetEvaluation& evaluation);

}  // namespace genstereo
