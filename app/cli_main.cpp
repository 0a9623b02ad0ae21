// genstereo-cli: the command-line client of genstereo_core. Parsing and printing only; the
// work is done by the core (pipeline/generate_job, eval/dataset_evaluation).
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <filesystem>
#include <functional>
#include <iostream>
#include <map>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include <opencv2/core.hpp>

#include "errors.h"
#include "eval/dataset_evaluation.h"
#include "eval/stereo_dataset.h"
#include "io/atomic_write.h"
#include "pipeline/generate_job.h"
#include "process_memory.h"

namespace {

namespace fs = std::filesystem;
using namespace genstereo;

// A usage mistake: printed with a pointer to --help, exit code 2.
class UsageError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

const char* const kMainHelp = R"(genstereo-cli - turn one photo into a stereo pair

Usage: genstereo-cli COMMAND [OPTIONS]

Commands:
  generate   synthesise the other view of a photo from its disparity or depth map
  eval       measure the engine against real stereo pairs with ground truth
  help       show this text, or `genstereo-cli help COMMAND`

Options:
  -h, --help     show help (also after a command: `genstereo-cli generate --help`)
  --version      print the version

The engine here is weight-free: forward warp (official GenStereo semantics) followed by a
disparity-guided background fill and a seam blend. Run `genstereo-cli COMMAND --help`.
)";

const char* const kGenerateHelp = R"(Usage: genstereo-cli generate IMAGE (--disparity FILE | --depth FILE) -o OUTDIR [OPTIONS]

Synthesises the right view of IMAGE (or the left one, or both) and writes it with the
intermediates and the requested stereo composites into OUTDIR (created if its parent exists).

Inputs:
  IMAGE                     photo: PNG (8/16-bit), JPEG (EXIF orientation applied), TIFF, WebP, BMP
  --disparity FILE          disparity of IMAGE in pixels: PFM, 16-bit PNG (KITTI: value/256),
                            8-bit PNG, float32 TIFF or NumPy .npy; (x, y) in the left view
                            matches (x - d, y) in the right view. 0/NaN/inf/negative = unknown.
  --disparity-divisor N     integer PNG value = disparity * N (default 256 for 16-bit, 1 for
                            8-bit; Middlebury 2003: 4)
  --depth FILE              depth map instead (same formats); converted as the official code:
                            d = (x - min) / (max - min) * max-disparity * width
  --depth-kind KIND         inverse (default: larger = nearer, e.g. Depth Anything output) or
                            metric (larger = farther; 1/depth is used)
  --max-disparity F         for --depth: disparity of the nearest point as a fraction of the
                            image width (default 0.15, the official scale_factor)

Geometry:
  --baseline-scale S        multiply every disparity by S (default 1; >1 = stronger 3D)
  --convergence C           put the screen plane at C * the largest disparity (default 0:
                            nothing behind the screen; 0.5: half in front, half behind)
  --eye right|left|both     which view to synthesise: right (default: IMAGE is the left view,
                            as the paper), left (IMAGE is the right view), both (IMAGE is the
                            centre; half the disparity each way, smaller holes per view)

Filling:
  --warp MODE               subpixel (default: exact positions, linear interpolation) or
                            integer (the official GenStereo warp: whole pixels)
  --fill METHOD             background (default: disparity-guided), naive, telea, none
  --feather PX              seam blend width in pixels (default 2; 0 = hard mask)

Outputs:
  -o, --output OUTDIR       output folder (required)
  --format LIST             comma-separated composites (default sbs), or "all":
                            FORMATS
  --image-format EXT        png (default), jpg, tif, webp or bmp for the composites and pair
  --jpeg-quality Q          1..100 (default 95) for JPEG, MPO and JPS
  --no-vr-suffix            name composites "_sbs", "_tb"... instead of the VR player tags
                            (_LRF_Full_SBS, _3dh, _TB, _3dv, _RL)
  --no-intermediates        write only the views and composites
  -q, --quiet               no progress on stderr

Written files (BASE = IMAGE's name without extension, EYE = right or left):
  BASE_EYE.png                    the synthesised view
  BASE_EYE_warped.png             the forward-warped view, holes black
  BASE_EYE_occlusion_mask.png     white where the warp left a hole
  BASE_EYE_fill.png               holes filled, before the seam blend
  BASE_EYE_fusion_weight.png      share of the warped pixel in the final view (white = warped)
  BASE_EYE_disparity.pfm          disparity of the synthesised view
  BASE<suffix>.<ext>              one file per composite (two for "pair")
)";

const char* const kEvalHelp = R"(Usage: genstereo-cli eval DATASET_DIR [--json FILE] [OPTIONS]

For every stereo pair in DATASET_DIR, synthesises the right view from the left view and the
ground-truth disparity and compares it with the real right view (PSNR, SSIM with an 11x11
Gaussian window, sigma 1.5), over all pixels and over the occluded pixels (those the warp
cannot reach), for each fill method. Prints a table; --json writes every number.

Dataset layout: one sub-folder per pair (or DATASET_DIR itself is one pair) with
  left.png, right.png        rectified views
  disp_left.pfm|png|tif|npy  disparity of the left view in pixels (inf/0 = unknown)
  meta.json                  optional: disparity_encoding.scale_divisor for integer PNGs
                             (Middlebury 2003: 4, Tsukuba: 16, KITTI: 256)
Unknown disparities are filled from the background before warping.

Options:
  --json FILE               write the results as JSON (atomically)
  --methods LIST            comma-separated among
                              warp-only      official integer warp, holes black
                              naive          official warp + nearest background pixel of the row
                              telea          official warp + OpenCV Telea inpainting
                              ours-integer   official warp + our background fill + seam blend
                              ours           sub-pixel warp + background fill + seam blend
                              subpixel-naive sub-pixel warp + naive fill
                            (default: warp-only,naive,telea,ours-integer,ours)
  --feather PX              seam blend width for the background method (default 2)
  --save-views DIR          write each synthesised right view (PAIR_METHOD.png) and each
                            occlusion mask into the existing folder DIR
  Fill tuning (defaults are the engine's): --guard-window PX (8), --row-weight W (0.5),
  --row-samples N (4), --vertical-sigma PX (2)
  -q, --quiet               no progress on stderr
)";

std::vector<std::string> splitList(const std::string& text) {
  std::vector<std::string> items;
  std::stringstream stream(text);
  std::string item;
  while (std::getline(stream, item, ',')) {
    if (!item.empty()) items.push_back(item);
  }
  return items;
}

double parseNumber(const std::string& option, const std::string& text) {
  try {
    std::size_t used = 0;
    const double value = std::stod(text, &used);
    if (used != text.size()) throw std::invalid_argument(text);
    return value;
  } catch (const std::exception&) {
    throw UsageError(option + " expects a number, got '" + text + "'");
  }
}

// Minimal option reader: positional arguments plus `--name value` / `--flag`.
class Arguments {
 public:
  Arguments(int argc, char** argv, int first) {
    for (int i = first; i < argc; ++i) items_.emplace_back(argv[i]);
  }
  bool empty() const { return position_ >= items_.size(); }
  std::string next() { return items_[position_++]; }
  std::string value(const std::string& option) {
    if (empty()) throw UsageError(option + " expects a value");
    return next();
  }

 private:
  std::vector<std::string> items_;
  std::size_t position_ = 0;
};

FillMethod parseFillMethod(const std::string& text) {
  for (FillMethod m : {FillMethod::kBackground, FillMethod::kNaive, FillMethod::kTelea, FillMethod::kNone}) {
    if (text == toString(m)) return m;
  }
  if (text == "none") return FillMethod::kNone;
  throw UsageError("unknown fill method '" + text + "' (expected background, naive, telea or none)");
}

ProgressCallback stderrProgress(bool quiet) {
  if (quiet) return nullptr;
  return [](const Progress& p) {
    std::fprintf(stderr, "[%d/%d] %s\n", p.step, p.total, p.stage.c_str());
  };
}

std::string formatsHelp() {
  std::string names;
  for (const std::string& name : allExportFormatNames()) names += (names.empty() ? "" : ", ") + name;
  return names;
}

int runGenerate(Arguments args) {
  GenerateJob job;
  bool quiet = false;
  std::optional<fs::path> image;
  while (!args.empty()) {
    const std::string arg = args.next();
    if (arg == "-h" || arg == "--help") {
      std::string help = kGenerateHelp;
      help.replace(help.find("FORMATS"), 7, formatsHelp());
      std::cout << help;
      return 0;
    } else if (arg == "--disparity") {
      job.disparity = fs::path(args.value(arg));
    } else if (arg == "--depth") {
      job.depth = fs::path(args.value(arg));
    } else if (arg == "--disparity-divisor") {
      const double divisor = parseNumber(arg, args.value(arg));
      if (!(divisor > 0.0)) throw UsageError("--disparity-divisor must be positive");
      job.read_options.png_divisor = divisor;
    } else if (arg == "--depth-kind") {
      const std::string kind = args.value(arg);
      if (kind == "inverse") job.depth_conversion.kind = DepthKind::kInverse;
      else if (kind == "metric") job.depth_conversion.kind = DepthKind::kMetric;
      else throw UsageError("--depth-kind expects inverse or metric, got '" + kind + "'");
    } else if (arg == "--max-disparity") {
      job.depth_conversion.max_disparity_fraction = parseNumber(arg, args.value(arg));
    } else if (arg == "--baseline-scale") {
      job.synthesis.shaping.baseline_scale = parseNumber(arg, args.value(arg));
    } else if (arg == "--convergence") {
      job.synthesis.shaping.convergence = parseNumber(arg, args.value(arg));
    } else if (arg == "--eye") {
      const std::string eye = args.value(arg);
      if (eye == "right") job.synthesis.eye = SynthesisEye::kRight;
      else if (eye == "left") job.synthesis.eye = SynthesisEye::kLeft;
      else if (eye == "both") job.synthesis.eye = SynthesisEye::kBoth;
      else throw UsageError("--eye expects right, left or both, got '" + eye + "'");
    } else if (arg == "--warp") {
      const std::string mode = args.value(arg);
      if (mode == "subpixel") job.synthesis.warp = WarpMode::kSubpixel;
      else if (mode == "integer") job.synthesis.warp = WarpMode::kInteger;
      else throw UsageError("--warp expects subpixel or integer, got '" + mode + "'");
    } else if (arg == "--fill") {
      job.synthesis.fill = parseFillMethod(args.value(arg));
    } else if (arg == "--feather") {
      job.synthesis.feather_px = parseNumber(arg, args.value(arg));
    } else if (arg == "-o" || arg == "--output") {
      job.out_dir = fs::path(args.value(arg));
    } else if (arg == "--format") {
      const std::string list = args.value(arg);
      job.formats.clear();
      const std::vector<std::string> names = list == "all" ? allExportFormatNames() : splitList(list);
      for (const std::string& name : names) {
        const auto format = parseExportFormat(name);
        if (!format) throw UsageError("unknown format '" + name + "' (expected one of " + formatsHelp() + ")");
        job.formats.push_back(*format);
      }
    } else if (arg == "--image-format") {
      job.export_options.image_extension = args.value(arg);
    } else if (arg == "--jpeg-quality") {
      const double quality = parseNumber(arg, args.value(arg));
      if (quality < 1 || quality > 100) throw UsageError("--jpeg-quality must be within 1..100");
      job.export_options.jpeg_quality = static_cast<int>(quality);
    } else if (arg == "--no-vr-suffix") {
      job.export_options.vr_suffix = false;
    } else if (arg == "--no-intermediates") {
      job.write_intermediates = false;
    } else if (arg == "-q" || arg == "--quiet") {
      quiet = true;
    } else if (!arg.empty() && arg[0] == '-') {
      throw UsageError("unknown option '" + arg + "' for generate");
    } else if (!image) {
      image = fs::path(arg);
    } else {
      throw UsageError("unexpected argument '" + arg + "' (one IMAGE per run)");
    }
  }
  if (!image) throw UsageError("generate needs an IMAGE");
  if (!job.disparity && !job.depth) {
    throw UsageError("generate needs --disparity FILE or --depth FILE (monocular depth "
                     "estimation is not available in this build)");
  }
  if (job.out_dir.empty()) throw UsageError("generate needs an output folder: -o OUTDIR");
  job.image = *image;
  const GenerateReport report = runGenerateJob(job, stderrProgress(quiet));
  std::printf("engine: weight-free (%s warp + %s fill)\n", toString(job.synthesis.warp),
              toString(job.synthesis.fill));
  std::printf("image: %dx%d, occluded: %.2f%% of the synthesised view, %.0f ms\n", report.width,
              report.height, report.occluded_fraction * 100.0, report.seconds * 1000.0);
  for (const fs::path& path : report.written) std::printf("wrote %s\n", path.string().c_str());
  return 0;
}

int runEval(Arguments args) {
  std::optional<fs::path> dataset;
  std::optional<fs::path> json_path;
  EvaluationOptions options;
  bool quiet = false;
  while (!args.empty()) {
    const std::string arg = args.next();
    if (arg == "-h" || arg == "--help") {
      std::cout << kEvalHelp;
      return 0;
    } else if (arg == "--json") {
      json_path = fs::path(args.value(arg));
    } else if (arg == "--methods") {
      options.methods.clear();
      for (const std::string& name : splitList(args.value(arg))) {
        options.methods.push_back(evalMethodByName(name));
      }
      if (options.methods.empty()) throw UsageError("--methods needs at least one method");
    } else if (arg == "--feather") {
      options.params.feather_px = parseNumber(arg, args.value(arg));
    } else if (arg == "--row-weight") {
      options.params.fill_params.row_weight = parseNumber(arg, args.value(arg));
    } else if (arg == "--save-views") {
      options.views_dir = fs::path(args.value(arg));
    } else if (arg == "--guard-window") {
      options.params.fill_params.guard_window_px = static_cast<int>(parseNumber(arg, args.value(arg)));
    } else if (arg == "--row-samples") {
      options.params.fill_params.row_samples = static_cast<int>(parseNumber(arg, args.value(arg)));
    } else if (arg == "--vertical-sigma") {
      options.params.fill_params.vertical_sigma_px = parseNumber(arg, args.value(arg));
    } else if (arg == "-q" || arg == "--quiet") {
      quiet = true;
    } else if (!arg.empty() && arg[0] == '-') {
      throw UsageError("unknown option '" + arg + "' for eval");
    } else if (!dataset) {
      dataset = fs::path(arg);
    } else {
      throw UsageError("unexpected argument '" + arg + "' (one DATASET_DIR per run)");
    }
  }
  if (!dataset) throw UsageError("eval needs a DATASET_DIR");
  const std::vector<StereoPairItem> items = discoverStereoDataset(*dataset);
  ProgressCallback progress = nullptr;
  if (!quiet) {
    progress = [](const Progress& p) {
      if (p.step < p.total) std::fprintf(stderr, "[%d/%d] %s\n", p.step + 1, p.total, p.stage.c_str());
    };
  }
  const DatasetEvaluation evaluation = evaluateDataset(items, options, progress);
  std::cout << formatEvaluationTable(evaluation);
  if (json_path) {
    const std::string json = evaluationToJson(evaluation);
    writeBytesAtomically(*json_path, std::vector<std::uint8_t>(json.begin(), json.end()));
    std::printf("wrote %s\n", json_path->string().c_str());
  }
  return 0;
}

int dispatch(int argc, char** argv) {
  if (argc < 2) {
    std::cout << kMainHelp;
    return 2;
  }
  const std::string command = argv[1];
  if (command == "-h" || command == "--help" || command == "help") {
    if (argc >= 3) {
      const std::string topic = argv[2];
      char help_flag[] = "--help";
      char* help_argv[] = {argv[0], argv[2], help_flag};
      if (topic == "generate") return runGenerate(Arguments(3, help_argv, 2));
      if (topic == "eval") return runEval(Arguments(3, help_argv, 2));
    }
    std::cout << kMainHelp;
    return 0;
  }
  if (command == "--version") {
    std::printf("genstereo-cli %s\n", GENSTEREO_VERSION);
    return 0;
  }
  if (command == "generate") return runGenerate(Arguments(argc, argv, 2));
  if (command == "eval") return runEval(Arguments(argc, argv, 2));
  throw UsageError("unknown command '" + command + "' (expected generate or eval)");
}

}  // namespace

int main(int argc, char** argv) {
  genstereo::configureProcessMemory();
  cv::setNumThreads(cv::getNumberOfCPUs());
  try {
    return dispatch(argc, argv);
  } catch (const UsageError& e) {
    std::fprintf(stderr, "genstereo-cli: %s (see genstereo-cli --help)\n", e.what());
    return 2;
  } catch (const CancelledError& e) {
    std::fprintf(stderr, "genstereo-cli: %s\n", e.what());
    return 130;
  } catch (const genstereo::Error& e) {
    std::fprintf(stderr, "genstereo-cli: error: %s\n", e.what());
    return 1;
  } catch (const cv::Exception& e) {
    std::fprintf(stderr, "genstereo-cli: error: OpenCV: %s\n", e.err.c_str());
    return 1;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "genstereo-cli: error: %s\n", e.what());
    return 1;
  }
}
