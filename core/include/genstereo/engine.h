// GenStereo's engine: the one front door for every client (CLI generate, batch, eval, the
// workbench). No LibTorch in this header; link genstereo_engine.
//
//   genstereo::EngineOptions options;              // built once: models, device, threads
//   options.models_dir = "models";
//   genstereo::StereoEngine engine(options);       // loads nothing yet
//   genstereo::ModelReport report = engine.inspectModels();   // found / missing / invalid
//
//   genstereo::RunParams params;                   // documented defaults for everything
//   params.geometry = genstereo::MapFile{"photo_disp.pfm"};   // or DisparityInput{map, origin}
//   genstereo::RunPlan plan = engine.plan(params, image01.size());   // engine and why, depth
//   if (!plan.ready()) ... plan.problem ...        // model, missing files + download command
//   params.on_progress = [](const genstereo::RunProgress& p) { ... p.fraction ... };
//   genstereo::RunResult result = engine.run(image01, params);   // every product in memory
//   // another thread: params.cancel.cancel();  ->  run() throws CancelledError within ~1 s
//
// Models load lazily on the first run that needs them and stay loaded between runs. Errors
// travel as the project's types (errors.h); LibTorch and OpenCV errors are caught here and
// rethrown with the file or stage they belong to.
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include <opencv2/core.hpp>

// Only the engine's own vocabulary (core/include/genstereo), no internal header: a client that
// calls a stage of its own (readDisparity, synthesizeStereo, ...) includes that stage's header.
#include "genstereo/depth_model_size.h"
#include "genstereo/depth_params.h"
#include "genstereo/disparity_map.h"
#include "genstereo/genstereo_variant.h"
#include "genstereo/model_file_state.h"
#include "genstereo/parallax_budget.h"
#include "genstereo/progress.h"
#include "genstereo/scheduler_kind.h"
#include "genstereo/synthesis_params.h"

namespace genstereo {

// Which engine makes the new view.
enum class EngineChoice {
  kAuto,        // the diffusion engine when its weights are present and valid, else weight-free
  kWeightFree,  // warp + disparity-guided fill + seam blend (milliseconds, no weights)
  kDiffusion,   // the GenStereo diffusion model (needs the weights; minutes on a CPU)
};
const char* toString(EngineChoice choice);  // "auto", "weight-free", "diffusion"
std::optional<EngineChoice> engineChoiceFromString(const std::string& text);

// What the networks compute in. kAuto (the default): bfloat16 on a CPU that computes it
// natively (AVX512-BF16 or AMX-BF16) and on CUDA, float32 elsewhere. float16 needs CUDA; an
// explicit bfloat16 on a CPU without native bfloat16 works but is slow (the run's notes say
// so). docs/diffusion.md "bfloat16".
enum class ComputeDtype { kAuto, kFloat32, kFloat16, kBFloat16 };
const char* toString(ComputeDtype dtype);  // "auto", "float32", "float16", "bfloat16"
std::optional<ComputeDtype> computeDtypeFromString(const std::string& text);
// The dtype a run on `device` ("cpu", "cuda", "cuda:N") computes in: kAuto resolved for this
// machine (core/engine/compute_dtype.h), anything else as given.
ComputeDtype resolveComputeDtype(ComputeDtype requested, const std::string& device);

// The depth model estimated depth comes from.
enum class DepthModelFamily {
  kImage,  // Depth Anything V2: each frame on its own
  kVideo,  // Video Depth Anything: temporally consistent over the frames since resetDepthState()
};
const char* toString(DepthModelFamily family);  // "image", "video"

// Built once; what the engine loads and where it runs.
struct EngineOptions {
  std::filesystem::path models_dir;  // empty: no models (weight-free engine, given maps only)
  GenStereoVariant variant = GenStereoVariant::kSd21;
  std::string device = "cpu";                          // "cpu", "cuda" or "cuda:N"
  ComputeDtype dtype = ComputeDtype::kAuto;            // float16 needs CUDA
  int threads = 0;                                     // CPU threads for LibTorch; 0 = every core
  DepthModelSize depth_model = DepthModelSize::kAuto;  // kAuto: the largest present
  int depth_input_size = 518;                          // Depth Anything's official 518
  DepthResize depth_resize = DepthResize::kEdgeAware;
  DepthModelFamily depth_family = DepthModelFamily::kImage;
  // kVideo: 0 = the official streaming mode (cached temporal states: each frame depends on
  // every frame since the last reset); 1..32 = a sliding window of that many frames (each
  // frame depends on the window only, so a resumed or sharded video gives the same depth).
  int video_depth_window = 0;
  // Diffusion: photos whose CLIP embedding and reference banks are kept between runs (a new
  // run on the same photo with other steps, seed, guidance, sampler, baseline or convergence
  // skips those networks; ~55 MB per photo for v2.1). 0 = off. docs/diffusion.md.
  int photo_cache_photos = 2;
  // Estimated depth: the depth model's raw output (before DepthShaping and the border crop)
  // of this many photos, keyed by the photo's pixels and the depth model (file, input size,
  // resize), so that a new run on the same photo (other shaping, baseline, border, a preview)
  // skips the depth model. ~4 bytes a pixel per photo. 0 = off. A video depth model
  // (DepthModelFamily::kVideo) is never cached: its output depends on the earlier frames.
  int depth_cache_photos = 2;
};

// True when the linked models library sees a CUDA device (always false without LibTorch).
bool isCudaAvailable();

// The neural models library of this program, as data (`genstereo-cli models where` prints it).
// Loads the models module when the program has one (core/engine/models_module_api.h).
struct ModelLibraryInfo {
  bool usable = false;   // the depth model and the diffusion engine can run
  std::string location;  // the module's file, "linked in", or "" (none in this build)
  std::string runtime;   // "LibTorch 1.13.1"
  bool cuda = false;     // a CUDA device is visible
  std::string problem;   // why it is not usable (built without LibTorch, module missing...)
};
ModelLibraryInfo modelLibraryInfo();

// ---- Model files, as data ------------------------------------------------------------------

// ModelFileState (kPresent, kMissing, kInvalid) is the model catalogue's
// (models/model_file_check.h).

struct EngineModelFile {
  std::string role;            // "reference_unet", "denoising_unet", "pose_guider",
                               // "fusion_layer", "vae", "image_encoder", "depth_model"
  std::filesystem::path path;  // where it was found, or where it is expected
  ModelFileState state = ModelFileState::kMissing;
  std::string problem;      // kInvalid: what is wrong (names the file, the key, both shapes)
  std::string hub_repo;     // where to get it, e.g. "FQiao/GenStereo-sd2.1"
  std::uint64_t bytes = 0;  // size on disk when present
  std::string catalog_id;   // the model catalogue's file id, e.g. "genstereo-v2.1_pose_guider"
};

struct ModelReport {
  std::vector<EngineModelFile> diffusion;  // the six files of the variant
  std::vector<EngineModelFile> depth;      // the depth checkpoint(s) looked for
  bool isDiffusionReady() const;           // all six present and valid
  bool isDepthReady() const;               // one depth checkpoint present and valid
  // Files not found / invalid, in order (both groups).
  std::vector<const EngineModelFile*> problems() const;
};

// Model files are checked without building any network by the catalogue's structural check
// (models/model_file_check.h): the container parses completely (empty and truncated files
// fail) and keys and shapes match the released model's manifest. With an architecture file
// (nn/architecture_file.h: a model of another size) only the container is checked.

// ---- One run --------------------------------------------------------------------------------

// The geometry of a run: one of
struct DisparityInput {  // a disparity map in pixels (left (x, y) matches right (x - d, y))
  DisparityMap map;
  std::string origin;  // for messages: the file it came from
};
struct DepthInput {  // a depth map, converted with RunParams::depth_conversion
  DisparityMap depth;
  std::string origin;
};
struct EstimatedDepth {};  // estimate depth from the photo (Depth Anything V2 from the models)
// What a map file holds.
enum class MapFileKind {
  kDisparity,  // pixels, left (x, y) matches right (x - d, y)
  kDepth,      // depth, converted with RunParams::depth_conversion (inverse or metric)
};
const char* toString(MapFileKind kind);  // "disparity", "depth"
struct MapFile {  // a map file the engine reads (the formats of io/disparity_io.h)
  std::filesystem::path path;
  MapFileKind kind = MapFileKind::kDisparity;
  DisparityReadOptions read_options;  // an unset PNG divisor: meta.json beside the map
};
using GeometrySource = std::variant<EstimatedDepth, DisparityInput, DepthInput, MapFile>;

// What to do with a map whose size differs from the photo's.
enum class MapSizePolicy {
  kRefuse,  // InputError naming both sizes
  kResize,  // nearest-neighbour resize to the photo (disparity values scaled by the width ratio)
};

// The widest seam cross-fade DiffusionSettings::tile_feather_px accepts (the smaller patch,
// v1.5's 512 px; at most the overlap is used anyway).
constexpr int kMaxTileFeatherPx = 512;

struct DiffusionSettings {
  SchedulerKind scheduler = SchedulerKind::kDdim;  // the paper's DDIM; dpm++2m: 20-25 steps
                                                   // give what DDIM gives in 50 (docs/diffusion.md)
  int steps = 50;                                  // sampling steps (the paper's 50 DDIM steps)
  double guidance_scale = 1.5;                     // classifier-free guidance (the official 1.5)
  std::uint64_t seed = 0;                          // the start noise (the same on every device)
  // Photos larger than the model size (768 px v2.1, 512 px v1.5): generate at full resolution
  // in overlapping patches stitched along L1-minimal seams (the official
  // test_arbitrary_size.py; docs/diffusion.md) instead of one run at the model size. Each
  // patch is a whole diffusion run: 4000x3000 px at overlap 0.5 is 11 x 7 = 77 runs.
  bool tiles = false;
  double tile_overlap = 0.5;  // share of a patch its neighbour overlaps, [0, 0.9]
  // Not in the official script: cross-fade each seam over this many pixels of the tiled image
  // (at most the overlap is used) instead of a hard cut; 0 (default): the official seams.
  int tile_feather_px = 0;  // [0, kMaxTileFeatherPx]
};

struct RunParams {
  GeometrySource geometry;  // default: estimate depth from the photo
  EngineChoice engine = EngineChoice::kAuto;
  SynthesisParams synthesis;         // eye, warp, fill, feather, baseline, convergence,
                                     // comfort (auto convergence, parallax limit), border
  DepthShaping depth_shaping;        // applied to depth (given or estimated)
  DepthConversion depth_conversion;  // depth -> disparity (official: 0.15 of the width)
  DiffusionSettings diffusion;
  MapSizePolicy map_size = MapSizePolicy::kRefuse;
  // A preview (the workbench's live preview while a slider moves): the run works on the photo
  // scaled down to fit this box (previewSizeOf; INTER_AREA), its map or depth resized to that
  // size (nearest; disparities scaled by the width ratio, depth values kept) and the screen
  // point of ConvergenceMode::kPoint moved to the same pixel; every product is at that size
  // (RunResult::photo, is_preview). Pixel sizes (feather, fill) are not scaled. Estimated depth
  // is estimated at full resolution (and cached), then resized. Empty: the full resolution.
  cv::Size preview_box_px;
  RunProgressCallback on_progress;  // called on the calling thread
  CancelToken cancel;
};

// The working size of a preview of a `photo_px` photo in a `box_px` box: the photo's aspect
// fitted into the box, never larger than the photo, at least 16 px a side; the photo's own size
// when the box is empty.
cv::Size previewSizeOf(cv::Size photo_px, cv::Size box_px);

// Something the user should know about a run, as data (clients word it: the CLI and batch with
// describeRunNote, the workbench with tr()).
enum class RunNoteKind {
  kMapResized,        // the map `subject` was resized to the photo (MapSizePolicy::kResize):
                      // values {map width, map height, photo width, photo height, 1 when its
                      // disparities were scaled by the width ratio (a disparity map) else 0}
  kBaselineNarrowed,  // the parallax limit narrowed the baseline: values {baseline scale applied,
                      // the range limit in % of the width}
  kSlowBFloat16,      // bfloat16 asked for on a CPU without native bfloat16: emulated, slow
  kMapScaleSuspect,   // disparities of the map file `subject` beyond its width (a wrong PNG
                      // divisor?): values {% of the valid pixels, the largest in px, map width}
};

struct RunNote {
  RunNoteKind kind = RunNoteKind::kMapResized;
  std::vector<double> values;  // as RunNoteKind says
  std::string subject;         // kMapResized: the map's origin (e.g. "'photo_disp.pfm'")
  bool operator==(const RunNote& other) const {
    return kind == other.kind && values == other.values && subject == other.subject;
  }
};

// The English sentence of a note, e.g. "'a.pfm' (48x32) was resized to the photo's 96x64, its
// disparities scaled by the width ratio" or "the baseline was narrowed to 0.62x so that the
// parallax range fits 3.33% of the width".
std::string describeRunNote(const RunNote& note);
std::vector<std::string> describeRunNotes(const std::vector<RunNote>& notes);

struct RunResult {
  cv::Mat left;  // CV_32FC3 BGR [0,1]
  cv::Mat right;
  SynthesizedView synthesized;  // the new view (right for kRight, left for kLeft; kBoth: right)
  SynthesizedView second;       // kBoth: the left view
  cv::Mat disparity_px;         // CV_32FC1, dense shaped disparity of the input view
  cv::Mat left_disparity_px;    // CV_32FC1, disparity of the LEFT view towards the right view
  DisparityMap depth;           // the shaped depth used (empty when a disparity was given)
  cv::Mat generated;            // diffusion: the generated view before fusion (else empty)
  EngineChoice engine_used = EngineChoice::kWeightFree;
  std::string engine_description;  // e.g. "weight-free (sub-pixel warp, background fill)"
  std::vector<RunNote> notes;      // things the user should know (a map resized, ...)
  // The photo the run worked on: the input itself, or its preview (RunParams::preview_box_px;
  // is_preview then, and every product above is at this size).
  cv::Mat photo;
  bool is_preview = false;
  // Comfort (docs/comfort.md): the parallax budget of the pair as made, what is outside the
  // comfort range (empty: comfortable), the baseline scale applied (the parallax limit may
  // narrow it), the (scaled) disparity put on the screen plane, and the columns of the photo
  // kept (BorderMode::kCrop; else all of them).
  ParallaxBudget parallax;
  std::vector<ComfortWarning> comfort_warnings;  // describeComfortWarning: the English text
  double baseline_scale = 1.0;
  double screen_disparity_px = 0.0;
  cv::Range columns = cv::Range::all();
  double seconds = 0.0;
  // Time of the steps: depth estimation (0 with a given map), synthesis (with disparity
  // preparation; the diffusion model's run for that engine).
  double depth_seconds = 0.0;
  double synthesis_seconds = 0.0;
};

// ---- Before a run: the plan, as data --------------------------------------------------------

// Why the plan chose its engine.
enum class EngineReason {
  kAsked,            // the engine asked for (diffusion: with its weights ready)
  kWeightsReady,     // kAuto: the diffusion weights are present and valid
  kWeightsNotReady,  // kAuto: some diffusion weights are missing or invalid: weight-free
  kNoModelLibrary,   // kAuto: this build has no neural models library: weight-free
  kNotReady,         // kDiffusion asked for without usable weights (the plan is not ready)
};
const char* toString(EngineReason reason);  // "asked for", "weights ready", ...

struct RunPlan {
  EngineChoice engine = EngineChoice::kWeightFree;  // the engine that will run (never kAuto)
  EngineReason reason = EngineReason::kAsked;
  std::string reason_text;       // e.g. "the GenStereo sd21 weights are not all present in 'DIR'"
  bool estimates_depth = false;  // no map given: depth from the depth model
  std::optional<EngineModelFile> depth_model;  // the checkpoint it will use (when found)
  // Model files missing or invalid that the run needs (then it cannot go ahead) or would use
  // (kAuto: the diffusion weights), each with its path, state and problem.
  std::vector<EngineModelFile> missing;
  // The command that fetches `missing` ("genstereo-cli models download sd21"); "" when nothing
  // is missing or a download cannot help (no models library in this build).
  std::string download_command;
  // Why the run cannot go ahead: the InputError's text run() throws, download command
  // included; "" when ready.
  std::string problem;
  // When the photo's size was given: the size the new view is computed at: the photo's
  // (weight-free; diffusion with tiles on a photo larger than the model) or the model's square
  // (diffusion: 768 px for v2.1, 512 px for v1.5).
  std::optional<cv::Size> working_size;
  bool ready() const { return problem.empty(); }
};

// What a run used, for reproducible datasets.
struct ModelFileUse {
  std::string role;
  std::filesystem::path path;
  std::uint64_t bytes = 0;
  std::string sha256;  // hex
};

class StereoEngine {
 public:
  explicit StereoEngine(EngineOptions options = {});
  ~StereoEngine();
  StereoEngine(const StereoEngine&) = delete;
  StereoEngine& operator=(const StereoEngine&) = delete;

  const EngineOptions& options() const;
  // options().dtype resolved for options().device: what the diffusion networks compute in.
  ComputeDtype computeDtype() const;

  // Which model files are present, missing or invalid (structural check, no network built).
  ModelReport inspectModels() const;

  // Checks params before any work (finite numbers in range, geometry present): throws
  // InputError naming the parameter.
  static void validate(const RunParams& params);

  // What a run with `params` will do (RunPlan: engine and why, depth model, missing files and
  // the command that fetches them, working size), before any work: model files are checked
  // (structural check), a MapFile is not read. `photo_size`: the photo's, when known.
  RunPlan plan(const RunParams& params, std::optional<cv::Size> photo_size = std::nullopt) const;

  // plan(params).engine; throws InputError with plan(params).problem when it is not ready.
  EngineChoice resolveEngine(const RunParams& params) const;

  // The one reader of map files: `file` as a DisparityInput or DepthInput (origin "'PATH'").
  // Throws InputError naming the file. run() reads a MapFile with it; a client may call it
  // early (to decode the map while it decodes the photo).
  static GeometrySource readMapFile(const MapFile& file);

  // `image01`: CV_32FC3 BGR [0,1] (as readImage returns). Thread-compatible: one run at a time.
  RunResult run(const cv::Mat& image01, const RunParams& params);

  // Depth alone (video: the depth pass caches it before the temporal filters): Depth Anything
  // V2 from the models folder on `image01` (CV_32FC3 BGR [0,1]), relative inverse depth at the
  // image's size, unshaped. Loads the model on first use. Throws InputError when no depth model
  // is present (the message lists the missing files), CancelledError.
  // With DepthModelFamily::kVideo the model remembers the frames given since the last
  // resetDepthState() (call it at a scene cut, a seek, another video).
  DisparityMap estimateDepth(const cv::Mat& image01, const CancelToken& cancel = {});
  void resetDepthState();

  // e.g. "weight-free (sub-pixel warp, background fill)" or "diffusion (GenStereo sd21, 50
  // steps, guidance 1.5, seed 0, cpu float32), depth: Depth Anything V2 ViT-S".
  std::string describe(const RunParams& params) const;

  // The model files a run with `params` uses, with their sha256 (computed once per file and
  // cached; seconds for GB files).
  std::vector<ModelFileUse> modelFilesUsed(const RunParams& params);

  // Times each network was run since the engine was made (tests of the per-photo cache).
  struct Counters {
    int depth_forwards = 0;
    int diffusion_runs = 0;
    int model_loads = 0;
    // The diffusion networks that depend on the photo only (per-photo cache; a tiled run
    // counts one per patch).
    int clip_forwards = 0;
    int vae_encodes = 0;
    int reference_forwards = 0;
    int photo_cache_hits = 0;
    // Runs whose estimated depth came from the depth cache (EngineOptions::depth_cache_photos).
    int depth_cache_hits = 0;
  };
  Counters counters() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace genstereo
