// genstereo-cli: the command-line client of genstereo_core. Parsing and printing only; the
// work is done by the core (pipeline/generate_job, eval/dataset_evaluation, batch/).
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
#include <thread>
#include <vector>

#include <opencv2/core.hpp>

#include "cli_models.h"
#include "batch/batch_inputs.h"
#include "batch/batch_job.h"
#include "batch/batch_verify.h"
#include "batch/sharding.h"
#include "errors.h"
#include "eval/dataset_evaluation.h"
#include "eval/stereo_dataset.h"
#include "io/atomic_write.h"
#include "pipeline/generate_job.h"
#include "process_memory.h"
#if defined(GENSTEREO_WITH_TORCH)
#include "nn/depth_estimator.h"
#include "nn/diffusion_engine.h"
#endif

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
  batch      make a stereo training set from a folder tree or a manifest (resumable, sharded)
  batch-verify  check that a (sharded) batch output is complete and consistent
  models     list, download, verify and locate the model weights (`models --help`)
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
  (neither)                 estimate depth with Depth Anything V2 from --models DIR
                            (depth_anything_v2_vits/vitb/vitl.pth; docs/depth.md)
  --depth-model SIZE        auto (default: the largest present), vits, vitb or vitl
  --depth-resize edge|bilinear   back to the photo's size: edge-aware (default, no halos) or
                            the official bilinear
  --foreground-scale S      depth shaping, -3..3: more (S > 0) or less pop-out of near objects
  --edge-dilation PX        grow near surfaces by PX pixels against halos at depth edges
  --depth-clip LOW,HIGH     clip depth to these percentiles and renormalise (e.g. 1,99)
  --export-depth            also write the depth and disparity used (16-bit PNG, PFM, preview)

Geometry:
  --baseline-scale S        multiply every disparity by S (default 1; >1 = stronger 3D)
  --convergence C           put the screen plane at C * the largest disparity (default 0:
                            nothing behind the screen; 0.5: half in front, half behind)
  --eye right|left|both     which view to synthesise: right (default: IMAGE is the left view,
                            as the paper), left (IMAGE is the right view), both (IMAGE is the
                            centre; half the disparity each way, smaller holes per view)

Diffusion engine (needs the GenStereo weights; without them the weight-free engine runs):
  --engine auto|diffusion|weight-free   auto (default): diffusion when --models holds the
                            GenStereo weights, else weight-free, saying why
  --models DIR              folder with genstereo-v2.1/ (or -v1.5/), sd-vae-ft-mse/ and
                            image_encoder/ (README.md, "Model weights"); every file is checked
                            before work starts
  --variant sd21|sd15       GenStereo v2.1 (768 px, default) or v1.5 (512 px)
  --steps N                 DDIM sampling steps (default 50)
  --guidance G              classifier-free guidance scale (default 1.5)
  --seed S                  start noise seed (default 0; same result on every device)
  --device cpu|cuda[:N]     default cpu
  --dtype float32|float16|bfloat16   16-bit types on CUDA only (default float32)
  --threads N               CPU threads (default: all cores)
  Photos of any aspect ratio: padded to a square for the model, the result mapped back to the
  photo's resolution and fused with the full-resolution warp (docs/design.md).

Filling (weight-free engine):
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
  --consistency             also run OpenCV StereoSGBM on (left, synthesised right) and compare
                            with the ground truth on its valid pixels visible in both views:
                            EPE (mean abs error, px) and D1 (KITTI: error > 3 px and > 5 %)
  Fill tuning (defaults are the engine's): --guard-window PX (8), --row-weight W (0.5),
  --row-samples N (4), --vertical-sigma PX (2)
  -q, --quiet               no progress on stderr
)";

const char* const kBatchHelp = R"(Usage: genstereo-cli batch (INPUT_DIR | MANIFEST) -o OUTDIR [OPTIONS]

Makes a stereo training set with the weight-free engine: for every item, the left and right
views, the disparity used, the occlusion mask and a JSON of the parameters. Resumable (items
already complete are skipped), one failing item does not stop the batch, and --shard splits
the work deterministically between machines. Details: docs/batch.md.

Inputs:
  INPUT_DIR                 images found recursively (.png .jpg .jpeg .tif .tiff .webp .bmp;
                            hidden files skipped). The map of DIR/NAME.ext is, in this order:
                            DISPARITY_DIR/REL/NAME.EXT, DIR/NAME.disp.EXT, DIR/NAME_disp.EXT
                            (disparity in pixels), then DEPTH_DIR/REL/NAME.EXT,
                            DIR/NAME.depth.EXT, DIR/NAME_depth.EXT (depth); EXT is pfm, png,
                            tif, tiff or npy. An image without a map fails (the message lists
                            what was looked for).
  MANIFEST                  a .csv file with a header naming columns among image, disparity,
                            depth, id; or a JSON Lines file (.jsonl/.ndjson/.json) with those
                            keys. Paths relative to the manifest's folder. A bad row stops the
                            batch with 'FILE line N: ...'.
  --disparity-dir DIR       disparity maps in DIR, mirroring INPUT_DIR's tree
  --depth-dir DIR           depth maps in DIR, mirroring INPUT_DIR's tree
  Item id: the path relative to INPUT_DIR (or as written in the manifest) without extension,
  '/' -> '__', other characters outside [A-Za-z0-9._-] -> '_'; or the manifest's id column.

Engine (as generate): --disparity-divisor N, --depth-kind inverse|metric, --max-disparity F,
  --baseline-scale S, --convergence C, --eye right|left|both, --warp subpixel|integer,
  --fill background|naive|telea|none, --feather PX
  --seed N                  recorded in each item's JSON (default 0); the weight-free engine
                            is deterministic

Scale-out and checks:
  --shard I/N               process only the items with fnv1a64(id) mod N == I (0 <= I < N);
                            the N shards are disjoint and cover the batch
  --consistency             run OpenCV StereoSGBM on each generated pair and compare with the
                            disparity used (EPE, D1) in the item's JSON and the summary

Output:
  -o, --output OUTDIR       created if needed. Written per item ID:
                              left/ID.png  right/ID.png         the stereo pair (8-bit)
                              disparity/ID.pfm                  left-view disparity, pixels
                              disparity_png/ID.png              the same, KITTI 16-bit (d*256;
                                                                0 = negative or > 255.99)
                              occlusion/ID.png                  255 = left pixel hidden in the right view
                              filled/ID.png                     255 = pixel invented by the fill
                              meta/ID.json                      parameters, inputs, timing (last)
                            and OUTDIR/batch.json (all items), OUTDIR/shards/shard-I-of-N.json
  --json FILE               also write the summary as JSON
  -q, --quiet               no progress lines (failures are still reported)

Progress on stderr: "[12/300] 2.4 items/s, ETA 2m01s: ID". Summary on stdout with per-item
timing and the failed items. Exit code: 0 when every item of the shard is complete, 1 when
any failed (or on an error of the whole batch), 2 on wrong usage.
)";

const char* const kBatchVerifyHelp = R"(Usage: genstereo-cli batch-verify OUTDIR [--shards N] [--json FILE]

Checks a batch output against OUTDIR/batch.json: every item has its meta JSON and every file
it lists with the recorded size; left, right, disparity, occlusion and filled have the item's
width and height; no id is listed twice; no file belongs to an id outside the batch; no
temporary file of an interrupted run is left. With --shards N, the N shard summaries
(OUTDIR/shards/shard-I-of-N.json) must all exist, report no failure, be disjoint and cover
the batch. Prints a report; exit code 0 when everything is in order, 1 otherwise.

Options:
  --shards N                the number of shards the batch was run with
  --json FILE               also write the report as JSON
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

// Options shared by generate and batch: disparity reading, depth conversion, geometry and
// filling. Returns false when `arg` is not one of them.
bool parseEngineOption(const std::string& arg, Arguments& args, DisparityReadOptions& read_options,
                     DepthConversion& depth_conversion, SynthesisParams& synthesis) {
  if (arg == "--disparity-divisor") {
    const double divisor = parseNumber(arg, args.value(arg));
    if (!(divisor > 0.0)) throw UsageError("--disparity-divisor must be positive");
    read_options.png_divisor = divisor;
  } else if (arg == "--depth-kind") {
    const std::string kind = args.value(arg);
    if (kind == "inverse") depth_conversion.kind = DepthKind::kInverse;
    else if (kind == "metric") depth_conversion.kind = DepthKind::kMetric;
    else throw UsageError("--depth-kind expects inverse or metric, got '" + kind + "'");
  } else if (arg == "--max-disparity") {
    depth_conversion.max_disparity_fraction = parseNumber(arg, args.value(arg));
  } else if (arg == "--baseline-scale") {
    synthesis.shaping.baseline_scale = parseNumber(arg, args.value(arg));
  } else if (arg == "--convergence") {
    synthesis.shaping.convergence = parseNumber(arg, args.value(arg));
  } else if (arg == "--eye") {
    const std::string eye = args.value(arg);
    if (eye == "right") synthesis.eye = SynthesisEye::kRight;
    else if (eye == "left") synthesis.eye = SynthesisEye::kLeft;
    else if (eye == "both") synthesis.eye = SynthesisEye::kBoth;
    else throw UsageError("--eye expects right, left or both, got '" + eye + "'");
  } else if (arg == "--warp") {
    const std::string mode = args.value(arg);
    if (mode == "subpixel") synthesis.warp = WarpMode::kSubpixel;
    else if (mode == "integer") synthesis.warp = WarpMode::kInteger;
    else throw UsageError("--warp expects subpixel or integer, got '" + mode + "'");
  } else if (arg == "--fill") {
    synthesis.fill = parseFillMethod(args.value(arg));
  } else if (arg == "--feather") {
    synthesis.feather_px = parseNumber(arg, args.value(arg));
  } else {
    return false;
  }
  return true;
}

int runGenerate(Arguments args) {
  GenerateJob job;
  bool quiet = false;
  std::optional<fs::path> image;
  std::string engine_choice = "auto";
#if defined(GENSTEREO_WITH_TORCH)
  DiffusionEngineOptions diffusion;
  DepthModelOptions depth_model;
#endif
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
    } else if (parseEngineOption(arg, args, job.read_options, job.depth_conversion, job.synthesis)) {
      continue;
    } else if (arg == "--engine") {
      engine_choice = args.value(arg);
      if (engine_choice != "auto" && engine_choice != "diffusion" && engine_choice != "weight-free") {
        throw UsageError("--engine expects auto, diffusion or weight-free, got '" + engine_choice + "'");
      }
    } else if (arg == "--foreground-scale") {
      job.depth_shaping.foreground_scale = parseNumber(arg, args.value(arg));
    } else if (arg == "--edge-dilation") {
      const double px = parseNumber(arg, args.value(arg));
      if (px < 0 || px != static_cast<int>(px)) throw UsageError("--edge-dilation expects a non-negative integer");
      job.depth_shaping.edge_dilation_x_px = static_cast<int>(px);
      job.depth_shaping.edge_dilation_y_px = static_cast<int>(px);
    } else if (arg == "--depth-clip") {
      const std::vector<std::string> bounds = splitList(args.value(arg));
      if (bounds.size() != 2) throw UsageError("--depth-clip expects LOW,HIGH percentiles, e.g. 1,99");
      job.depth_shaping.clip_low_percent = parseNumber(arg, bounds[0]);
      job.depth_shaping.clip_high_percent = parseNumber(arg, bounds[1]);
    } else if (arg == "--export-depth") {
      job.export_depth = true;
#if defined(GENSTEREO_WITH_TORCH)
    } else if (arg == "--depth-model") {
      const std::string size = args.value(arg);
      const auto parsed = parseDepthModelSize(size);
      if (!parsed) throw UsageError("--depth-model expects auto, vits, vitb or vitl, got '" + size + "'");
      depth_model.size = *parsed;
    } else if (arg == "--depth-resize") {
      const std::string mode = args.value(arg);
      if (mode == "edge") depth_model.resize = DepthResize::kEdgeAware;
      else if (mode == "bilinear") depth_model.resize = DepthResize::kBilinear;
      else throw UsageError("--depth-resize expects edge or bilinear, got '" + mode + "'");
    } else if (arg == "--models") {
      diffusion.models_dir = fs::path(args.value(arg));
    } else if (arg == "--variant") {
      diffusion.variant = parseVariant(args.value(arg));
    } else if (arg == "--steps") {
      const double steps = parseNumber(arg, args.value(arg));
      if (steps < 1 || steps > 1000 || steps != static_cast<int>(steps)) throw UsageError("--steps must be an integer in 1..1000");
      diffusion.params.steps = static_cast<int>(steps);
    } else if (arg == "--guidance") {
      diffusion.params.guidance_scale = parseNumber(arg, args.value(arg));
    } else if (arg == "--seed") {
      const double seed = parseNumber(arg, args.value(arg));
      if (seed < 0 || seed != static_cast<double>(static_cast<std::uint64_t>(seed))) throw UsageError("--seed must be a non-negative integer");
      diffusion.params.seed = static_cast<std::uint64_t>(seed);
    } else if (arg == "--device") {
      diffusion.device = args.value(arg);
    } else if (arg == "--dtype") {
      diffusion.dtype = args.value(arg);
    } else if (arg == "--threads") {
      diffusion.threads = static_cast<int>(parseNumber(arg, args.value(arg)));
#endif
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
  if (job.out_dir.empty()) throw UsageError("generate needs an output folder: -o OUTDIR");
  job.image = *image;
  std::string engine = std::string("weight-free (") + toString(job.synthesis.warp) + " warp + " +
                       toString(job.synthesis.fill) + " fill)";
#if defined(GENSTEREO_WITH_TORCH)
  // No disparity or depth given: estimate depth with Depth Anything V2 from --models.
  std::unique_ptr<DepthEstimator> depth_estimator;
  if (!job.disparity && !job.depth) {
    if (diffusion.models_dir.empty()) {
      throw UsageError("generate needs --disparity FILE, --depth FILE, or --models DIR holding a Depth "
                       "Anything V2 checkpoint (" + depthCheckpointFileName(DepthModelSize::kLarge) + ", ...)");
    }
    depth_model.models_dir = diffusion.models_dir;
    depth_model.num_threads = diffusion.threads > 0 ? diffusion.threads
                                                    : static_cast<int>(std::thread::hardware_concurrency());
    depth_model.checkpoint = findDepthCheckpoint(depth_model.models_dir, depth_model.size);
    job.depth_estimator = [&depth_estimator](const cv::Mat& image01) {
      return makeDisparityMap(depth_estimator->estimateDepth(image01));
    };
    engine += ", depth from " + depth_model.checkpoint.filename().string();
  }
#endif
  validateGenerateJob(job);  // inputs and output folder before the (slow) model loading
#if defined(GENSTEREO_WITH_TORCH)
  if (job.depth_estimator) {
    if (!quiet) std::fprintf(stderr, "loading %s\n", depth_model.checkpoint.string().c_str());
    depth_estimator = std::make_unique<DepthEstimator>(depth_model);
  }
  std::unique_ptr<DiffusionEngine> diffusion_engine;
  bool use_diffusion = engine_choice == "diffusion";
  if (engine_choice == "auto" && !diffusion.models_dir.empty()) {
    try {
      locateGenStereoModels(diffusion.models_dir, diffusion.variant);
      use_diffusion = true;
    } catch (const InputError& e) {
      if (!quiet) std::fprintf(stderr, "weight-free engine: %s\n", e.what());
    }
  }
  if (use_diffusion) {
    if (diffusion.models_dir.empty()) throw UsageError("--engine diffusion needs --models DIR");
    if (!quiet) std::fprintf(stderr, "loading GenStereo %s weights from %s\n", toString(diffusion.variant),
                             diffusion.models_dir.string().c_str());
    diffusion_engine = std::make_unique<DiffusionEngine>(diffusion);
    DiffusionProgressCallback step_progress = nullptr;
    if (!quiet) {
      step_progress = [](const DiffusionProgress& p) {
        const double eta = p.step > 0 ? p.elapsed_s / p.step * (p.total - p.step) : 0.0;
        std::fprintf(stderr, "  denoising step %d/%d, %.1f s elapsed, ETA %.0f s\n", p.step, p.total, p.elapsed_s, eta);
      };
    }
    job.synthesizer = diffusion_engine->synthesizer(step_progress);
    engine = diffusion_engine->description() + (job.depth_estimator ? engine.substr(engine.find(", depth")) : "");
  } else if (diffusion.models_dir.empty()) {
    engine += "; give --models DIR with the GenStereo weights for the diffusion engine";
  }
#else
  if (engine_choice == "diffusion") throw UsageError("this build has no diffusion engine (built without LibTorch)");
  if (!job.disparity && !job.depth) throw UsageError("generate needs --disparity FILE or --depth FILE");
#endif
  const GenerateReport report = runGenerateJob(job, stderrProgress(quiet));
  std::printf("engine: %s\n", engine.c_str());
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
    } else if (arg == "--consistency") {
      options.check_consistency = true;
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

void writeTextFile(const fs::path& path, const std::string& text) {
  writeBytesAtomically(path, std::vector<std::uint8_t>(text.begin(), text.end()));
}

int runBatchCommand(Arguments args) {
  BatchOptions options;
  std::optional<fs::path> input;
  std::optional<fs::path> disparity_dir, depth_dir, json_path;
  bool quiet = false;
  while (!args.empty()) {
    const std::string arg = args.next();
    if (arg == "-h" || arg == "--help") {
      std::cout << kBatchHelp;
      return 0;
    } else if (parseEngineOption(arg, args, options.params.read_options, options.params.depth_conversion,
                                 options.params.synthesis)) {
      continue;
    } else if (arg == "-o" || arg == "--output") {
      options.out_dir = fs::path(args.value(arg));
    } else if (arg == "--disparity-dir") {
      disparity_dir = fs::path(args.value(arg));
    } else if (arg == "--depth-dir") {
      depth_dir = fs::path(args.value(arg));
    } else if (arg == "--shard") {
      try {
        options.shard = parseShardSpec(args.value(arg));
      } catch (const InputError& e) {
        throw UsageError(e.what());
      }
    } else if (arg == "--seed") {
      const std::string text = args.value(arg);
      if (text.empty() || text.size() > 19 || text.find_first_not_of("0123456789") != std::string::npos) {
        throw UsageError("--seed expects a non-negative integer, got '" + text + "'");
      }
      options.params.seed = std::stoull(text);
    } else if (arg == "--consistency") {
      options.params.check_consistency = true;
    } else if (arg == "--json") {
      json_path = fs::path(args.value(arg));
    } else if (arg == "-q" || arg == "--quiet") {
      quiet = true;
    } else if (!arg.empty() && arg[0] == '-') {
      throw UsageError("unknown option '" + arg + "' for batch");
    } else if (!input) {
      input = fs::path(arg);
    } else {
      throw UsageError("unexpected argument '" + arg + "' (one INPUT_DIR or MANIFEST per run)");
    }
  }
  if (!input) throw UsageError("batch needs an INPUT_DIR or a MANIFEST");
  if (options.out_dir.empty()) throw UsageError("batch needs an output folder: -o OUTDIR");
  std::error_code ec;
  std::vector<BatchItem> items;
  if (fs::is_directory(*input, ec)) {
    FolderScanOptions scan;
    scan.root = *input;
    scan.disparity_dir = disparity_dir;
    scan.depth_dir = depth_dir;
    scan.excluded = {options.out_dir};
    items = scanBatchFolder(scan);
  } else {
    if (disparity_dir || depth_dir) {
      throw UsageError("--disparity-dir and --depth-dir apply to an INPUT_DIR, not to a manifest");
    }
    items = readBatchManifest(*input);
  }
  options.input = input->string();
  BatchProgressCallback progress = [quiet](const BatchProgress& p) {
    const ItemOutcome& item = *p.item;
    if (quiet && item.status != ItemStatus::kFailed) return;
    const std::string eta = p.eta_seconds < 0.0 ? std::string("--") : formatDuration(p.eta_seconds);
    if (item.status == ItemStatus::kFailed) {
      std::fprintf(stderr, "[%d/%d] %.2f items/s, ETA %s: %s FAILED: %s\n", p.position, p.total,
                   p.items_per_second, eta.c_str(), item.id.c_str(), item.error.c_str());
    } else {
      std::fprintf(stderr, "[%d/%d] %.2f items/s, ETA %s: %s%s\n", p.position, p.total, p.items_per_second,
                   eta.c_str(), item.id.c_str(),
                   item.status == ItemStatus::kSkipped ? " (already complete, skipped)" : "");
    }
  };
  const BatchSummary summary = runBatch(items, options, progress);
  std::cout << formatBatchSummary(summary);
  if (json_path) {
    writeTextFile(*json_path, batchSummaryToJson(summary));
    std::printf("wrote %s\n", json_path->string().c_str());
  }
  return summary.failed > 0 ? 1 : 0;
}

int runBatchVerify(Arguments args) {
  BatchVerifyOptions options;
  std::optional<fs::path> json_path;
  while (!args.empty()) {
    const std::string arg = args.next();
    if (arg == "-h" || arg == "--help") {
      std::cout << kBatchVerifyHelp;
      return 0;
    } else if (arg == "--shards") {
      const double count = parseNumber(arg, args.value(arg));
      if (count < 1 || count > 100000 || count != static_cast<int>(count)) {
        throw UsageError("--shards expects an integer from 1 to 100000");
      }
      options.shard_count = static_cast<int>(count);
    } else if (arg == "--json") {
      json_path = fs::path(args.value(arg));
    } else if (!arg.empty() && arg[0] == '-') {
      throw UsageError("unknown option '" + arg + "' for batch-verify");
    } else if (options.out_dir.empty()) {
      options.out_dir = fs::path(arg);
    } else {
      throw UsageError("unexpected argument '" + arg + "' (one OUTDIR per run)");
    }
  }
  if (options.out_dir.empty()) throw UsageError("batch-verify needs the batch's OUTDIR");
  const BatchVerifyReport report = verifyBatchOutput(options);
  std::cout << formatBatchVerifyReport(report);
  if (json_path) {
    writeTextFile(*json_path, batchVerifyReportToJson(report));
    std::printf("wrote %s\n", json_path->string().c_str());
  }
  return report.ok() ? 0 : 1;
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
      if (topic == "batch") return runBatchCommand(Arguments(3, help_argv, 2));
      if (topic == "batch-verify") return runBatchVerify(Arguments(3, help_argv, 2));
      if (topic == "models") return genstereo::cli::runModelsCommand(3, help_argv);
    }
    std::cout << kMainHelp;
    return 0;
  }
  if (command == "--version") {
    std::printf("genstereo-cli %s\n", GENSTEREO_VERSION);
    return 0;
  }
  if (command == "models") return genstereo::cli::runModelsCommand(argc, argv);
  if (command == "generate") return runGenerate(Arguments(argc, argv, 2));
  if (command == "eval") return runEval(Arguments(argc, argv, 2));
  if (command == "batch") return runBatchCommand(Arguments(argc, argv, 2));
  if (command == "batch-verify") return runBatchVerify(Arguments(argc, argv, 2));
  throw UsageError("unknown command '" + command + "' (expected generate, eval, batch, batch-verify or models)");
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
