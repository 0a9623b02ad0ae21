#include "cli_common.h"

#include <atomic>
#include <cerrno>
#include <cmath>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <map>

#include "errors.h"
#include "io/atomic_write.h"
#include "io/pixel_budget.h"
#include "models/default_models_folder.h"

namespace genstereo::cli {

CLI::Validator finiteIn(double low, double high) {
  return CLI::Validator(
      [low, high](std::string& text) -> std::string {
        double value = 0.0;
        try {
          std::size_t used = 0;
          value = std::stod(text, &used);
          if (used != text.size()) return "'" + text + "' is not a number";
        } catch (const std::exception&) {
          return "'" + text + "' is not a number";
        }
        if (!std::isfinite(value) || value < low || value > high) {
          return "'" + text + "' is outside [" + CLI::detail::to_string(low) + ", " +
                 CLI::detail::to_string(high) + "]";
        }
        return {};
      },
      "[" + CLI::detail::to_string(low) + ".." + CLI::detail::to_string(high) + "]", "FINITE");
}

CLI::Validator seedValidator() {
  return CLI::Validator(
      [](std::string& text) -> std::string {
        // Digits only: strtoull would wrap "-1" to 2^64 - 1 and saturate larger numbers.
        const bool is_digits =
            !text.empty() && text.find_first_not_of("0123456789") == std::string::npos;
        if (!is_digits)
          return "'" + text + "' is not a whole number from 0 to 18446744073709551615";
        errno = 0;
        char* end = nullptr;
        std::strtoull(text.c_str(), &end, 10);
        if (errno == ERANGE || end != text.c_str() + text.size()) {
          return "'" + text + "' is larger than 18446744073709551615, the largest seed";
        }
        return {};
      },
      "UINT64");
}

namespace {

// A named choice among the keys of `map` (help shows "{a,b,c}" instead of CLI11's mapping).
template <typename T>
CLI::Validator choices(const std::map<std::string, T>& map) {
  std::string names;
  for (const auto& entry : map) names += (names.empty() ? "" : ",") + entry.first;
  CLI::Validator validator = CLI::CheckedTransformer(map);
  validator.description("{" + names + "}");
  return validator;
}

// The choices among `values` under their core names (toString), the names the GUI's settings
// and presets use too.
template <typename Enum>
CLI::Validator namedChoices(std::initializer_list<Enum> values) {
  std::map<std::string, Enum> map;
  for (const Enum value : values) map.emplace(toString(value), value);
  return choices(map);
}

}  // namespace

void addEngineOptions(CLI::App& c, EngineCli& cli, bool with_geometry) {
  RunParams& run = cli.run;
  SynthesisParams& s = run.synthesis;
  if (with_geometry) {
    c.add_option("--disparity-divisor", cli.disparity_divisor,
                 "integer PNG disparity = value / N (default: meta.json beside the map, else 256 "
                 "for 16-bit, "
                 "1 for 8-bit)")
        ->check(finiteIn(1e-6, 1e6))
        ->group("Geometry");
    c.add_option("--depth-kind", run.depth_conversion.kind,
                 "inverse (larger = nearer, e.g. Depth Anything) or metric (larger = farther)")
        ->type_name("")
        ->transform(namedChoices({DepthKind::kInverse, DepthKind::kMetric}))
        ->default_str(toString(run.depth_conversion.kind))
        ->group("Geometry");
    c.add_option(
         "--max-disparity", run.depth_conversion.max_disparity_fraction,
         "depth maps: disparity of the nearest point as a fraction of the width (official 0.15)")
        ->check(finiteIn(0.0, 2.0))
        ->capture_default_str()
        ->group("Geometry");
    c.add_option("--baseline-scale", s.shaping.baseline_scale,
                 "multiply every disparity (> 1 = stronger 3D)")
        ->check(finiteIn(1e-3, 100.0))
        ->capture_default_str()
        ->group("Geometry");
    cli.baseline_option = c.get_option("--baseline-scale");
    cli.convergence_option =
        c.add_option(
             "--convergence", s.shaping.convergence,
             "screen plane at C x the largest disparity (0: nothing behind the screen, 0.5: half); "
             "turns auto convergence off")
            ->check(finiteIn(-10.0, 10.0))
            ->capture_default_str()
            ->group("Comfort");
    cli.auto_convergence = s.comfort.convergence == ConvergenceMode::kPercentile;
    const std::string auto_default = cli.auto_convergence ? "on" : "off";
    cli.auto_option =
        c.add_flag("--auto-convergence,!--no-auto-convergence", cli.auto_convergence,
                   "zero parallax at the --convergence-percentile of the disparity (default " +
                       auto_default + ")")
            ->group("Comfort");
    c.add_option("--convergence-percentile", s.comfort.convergence_percentile,
                 "auto convergence: the disparity percentile put on the screen (0 = farthest, 100 "
                 "= nearest)")
        ->check(finiteIn(0.0, 100.0))
        ->capture_default_str()
        ->group("Comfort");
    c.add_option("--screen-point", cli.screen_point,
                 "zero parallax at pixel X,Y of the photo (instead of auto)")
        ->delimiter(',')
        ->expected(2)
        ->check(CLI::Range(0, 1 << 20))
        ->group("Comfort");
    cli.limit_option =
        c.add_option("--parallax-limit", s.comfort.max_range_percent,
                     "narrow the baseline so that the parallax range (1st to 99th percentile) is "
                     "at most PCT % "
                     "of the width (0 = no limit; default off when --baseline-scale is given)")
            ->check(finiteIn(0.0, 100.0))
            ->capture_default_str()
            ->group("Comfort");
    c.add_option("--border", s.border,
                 "the strip no photo pixel reaches: fill (invent it), crop (both views to the "
                 "stereo window), "
                 "screen (disparity fades to 0 at the left and right edges)")
        ->type_name("")
        ->transform(namedChoices({BorderMode::kFill, BorderMode::kCrop, BorderMode::kScreen}))
        ->default_str(toString(s.border))
        ->group("Comfort");
    c.add_option("--eye", s.eye,
                 "the view to make: right (photo = left view), left, both (photo = centre)")
        ->type_name("")
        ->transform(namedChoices({SynthesisEye::kRight, SynthesisEye::kLeft, SynthesisEye::kBoth}))
        ->default_str(toString(s.eye))
        ->group("Geometry");
    c.add_option("--foreground-scale", run.depth_shaping.foreground_scale,
                 "depth shaping, -3..3: more (> 0) or less pop-out of near objects")
        ->check(finiteIn(-3.0, 3.0))
        ->capture_default_str()
        ->group("Depth");
    c.add_option("--edge-dilation", cli.edge_dilation_px,
                 "grow near surfaces by PX pixels against halos")
        ->check(CLI::Range(0, 64))
        ->capture_default_str()
        ->group("Depth");
    c.add_option("--depth-clip", cli.depth_clip,
                 "clip depth to the LOW,HIGH percentiles and renormalise (e.g. 1,99)")
        ->delimiter(',')
        ->expected(2)
        ->check(finiteIn(0.0, 100.0))
        ->group("Depth");
    c.add_option("--depth-model", cli.engine.depth_model,
                 "Depth Anything V2 size for photos without a map: auto (the largest present), "
                 "vits, vitb, vitl")
        ->type_name("")
        ->transform(namedChoices({DepthModelSize::kAuto, DepthModelSize::kSmall,
                                  DepthModelSize::kBase, DepthModelSize::kLarge}))
        ->default_str(toString(cli.engine.depth_model))
        ->group("Depth");
    c.add_option("--depth-size", cli.engine.depth_input_size,
                 "Depth Anything's working size: the short side in pixels, rounded to a multiple "
                 "of 14 (official 518; "
                 "smaller is faster, e.g. 308 for video)")
        ->check(CLI::Range(14, 4088))
        ->capture_default_str()
        ->group("Depth");
    c.add_option(
         "--depth-resize", cli.engine.depth_resize,
         "depth back to the photo's size: edge (edge-aware, no halos) or bilinear (official)")
        ->type_name("")
        ->transform(namedChoices({DepthResize::kEdgeAware, DepthResize::kBilinear}))
        ->default_str(toString(cli.engine.depth_resize))
        ->group("Depth");
    c.add_flag("--resize-maps", cli.resize_maps,
               "resize a map of another size than the photo (nearest; disparities scaled) instead "
               "of refusing it")
        ->group("Geometry");
  }
  c.add_option(
       "--max-pixels", cli.max_pixels,
       "largest photo or map decoded, in pixels (checked from the file header before decoding; "
       "default: $GENSTEREO_MAX_PIXELS or 40000000)")
      ->check(CLI::Range(std::int64_t{1}, std::int64_t{1} << 40))
      ->group("Inputs");
  c.add_option(
       "--engine", cli.engine_choice,
       "auto (diffusion when the models folder holds valid GenStereo weights, else weight-free), "
       "diffusion, "
       "weight-free")
      ->check(CLI::IsMember({toString(EngineChoice::kAuto), toString(EngineChoice::kDiffusion),
                             toString(EngineChoice::kWeightFree)}))
      ->capture_default_str()
      ->group("Engine");
  c.add_option("--models", cli.models_dir,
               "models folder: genstereo-v2.1/ (or -v1.5/), sd-vae-ft-mse/, image_encoder/, "
               "depth_anything_v2_*.pth (README, \"Model weights\"); default: $GENSTEREO_MODELS, "
               "else $XDG_DATA_HOME/genstereo/models (~/.local/share/genstereo/models); the "
               "Hugging Face cache is searched too")
      ->group("Engine");
  c.add_option("--variant", cli.engine.variant, "GenStereo sd21 (768 px) or sd15 (512 px)")
      ->type_name("")
      ->transform(namedChoices({GenStereoVariant::kSd21, GenStereoVariant::kSd15}))
      ->default_str(toString(cli.engine.variant))
      ->group("Engine");
  std::map<std::string, SchedulerKind> schedulers;
  for (const std::string& name : schedulerKindNames())
    schedulers.emplace(name, parseSchedulerKind(name));
  c.add_option("--scheduler", run.diffusion.scheduler,
               "diffusion sampler: ddim (the paper's), dpm++2m (20-25 steps match DDIM's 50), "
               "dpm++2m-karras, euler")
      ->type_name("")
      ->transform(choices(schedulers))
      ->default_str(toString(run.diffusion.scheduler))
      ->group("Engine");
  c.add_option("--steps", run.diffusion.steps, "diffusion sampling steps")
      ->check(CLI::Range(1, 1000))
      ->capture_default_str()
      ->group("Engine");
  c.add_option("--guidance", run.diffusion.guidance_scale, "classifier-free guidance scale")
      ->check(finiteIn(0.0, 100.0))
      ->capture_default_str()
      ->group("Engine");
  c.add_option("--seed", run.diffusion.seed,
               "start noise seed, 0 to 18446744073709551615 (the same result on every device)")
      ->check(seedValidator())
      ->capture_default_str()
      ->group("Engine");
  c.add_flag(
       "--tiles", run.diffusion.tiles,
       "diffusion: photos larger than the model size (768 px sd21, 512 px sd15) generated at full "
       "resolution in overlapping patches stitched along L1-minimal seams (the official "
       "test_arbitrary_size.py); one whole diffusion run per patch")
      ->group("Engine");
  c.add_option("--tile-overlap", run.diffusion.tile_overlap,
               "with --tiles: share of a patch its neighbour overlaps")
      ->check(finiteIn(0.0, 0.9))
      ->capture_default_str()
      ->group("Engine");
  c.add_option(
       "--tile-feather", run.diffusion.tile_feather_px,
       "with --tiles: cross-fade each seam over this many pixels (at most the overlap) instead "
       "of the official hard cut; 0 = official")
      ->check(CLI::Range(0, kMaxTileFeatherPx))
      ->capture_default_str()
      ->group("Engine");
  c.add_option("--device", cli.engine.device, "cpu, cuda or cuda:N")
      ->capture_default_str()
      ->group("Engine");
  c.add_option("--dtype", cli.engine.dtype,
               "auto (bfloat16 on a CPU with AVX512-BF16/AMX-BF16 and on CUDA, else float32), "
               "float32, bfloat16 (slow on other CPUs), float16 (CUDA only)")
      ->type_name("")
      ->transform(namedChoices({ComputeDtype::kAuto, ComputeDtype::kFloat32, ComputeDtype::kFloat16,
                                ComputeDtype::kBFloat16}))
      ->default_str(toString(cli.engine.dtype))
      ->group("Engine");
  c.add_option("--threads", cli.engine.threads, "CPU threads for the models (0 = every core)")
      ->check(CLI::Range(0, 1024))
      ->capture_default_str()
      ->group("Engine");
  c.add_option("--warp", s.warp,
               "weight-free engine: subpixel (exact positions) or integer (official warp)")
      ->type_name("")
      ->transform(namedChoices({WarpMode::kSubpixel, WarpMode::kInteger}))
      ->default_str(toString(s.warp))
      ->group("Filling");
  c.add_option("--fill", s.fill,
               "weight-free engine: background (disparity-guided), naive, telea, none")
      ->type_name("")
      ->transform(namedChoices(
          {FillMethod::kBackground, FillMethod::kNaive, FillMethod::kTelea, FillMethod::kNone}))
      ->default_str(toString(s.fill))
      ->group("Filling");
  c.add_option("--feather", s.feather_px, "seam blend width in pixels (0 = hard mask)")
      ->check(finiteIn(0.0, 1000.0))
      ->capture_default_str()
      ->group("Filling");
}

void finishEngineOptions(EngineCli& cli) {
  cli.engine.models_dir =
      cli.models_dir.empty() ? defaultModelsFolder() : std::filesystem::path(cli.models_dir);
  if (cli.max_pixels > 0) setMaxInputPixels(cli.max_pixels);
  if (cli.disparity_divisor > 0.0) cli.read_options.png_divisor = cli.disparity_divisor;
  cli.run.engine = *engineChoiceFromString(cli.engine_choice);
  cli.run.depth_shaping.edge_dilation_x_px = cli.edge_dilation_px;
  cli.run.depth_shaping.edge_dilation_y_px = cli.edge_dilation_px;
  if (cli.depth_clip.size() == 2) {
    if (!(cli.depth_clip[0] < cli.depth_clip[1])) {
      throw CLI::ValidationError("--depth-clip", "LOW must be below HIGH");
    }
    cli.run.depth_shaping.clip_low_percent = cli.depth_clip[0];
    cli.run.depth_shaping.clip_high_percent = cli.depth_clip[1];
  }
  cli.run.map_size = cli.resize_maps ? MapSizePolicy::kResize : MapSizePolicy::kRefuse;
  if (cli.auto_option != nullptr) {
    ComfortParams& comfort = cli.run.synthesis.comfort;
    const bool is_convergence_given = cli.convergence_option->count() > 0;
    const bool is_auto_given = cli.auto_option->count() > 0 && cli.auto_convergence;
    if (is_convergence_given && is_auto_given) {
      throw CLI::ValidationError("--convergence",
                                 "a manual screen plane excludes --auto-convergence");
    }
    if (cli.screen_point.size() == 2) {
      if (is_convergence_given || is_auto_given) {
        throw CLI::ValidationError("--screen-point",
                                   "excludes --convergence and --auto-convergence");
      }
      comfort.convergence = ConvergenceMode::kPoint;
      comfort.screen_point_px = cv::Point(cli.screen_point[0], cli.screen_point[1]);
    } else if (is_convergence_given || !cli.auto_convergence) {
      comfort.convergence = ConvergenceMode::kManual;
    } else {
      comfort.convergence = ConvergenceMode::kPercentile;
    }
    // An explicit baseline is the user's choice of strength: no limit unless asked for.
    if (cli.baseline_option->count() > 0 && cli.limit_option->count() == 0)
      comfort.max_range_percent = 0.0;
  }
  cli.run.cancel = processCancelToken();
}

namespace {

std::atomic<int> g_signal{0};
std::atomic<bool>* g_flag = nullptr;

extern "C" void onCancelSignal(int signal) {
  g_signal.store(signal);
  if (g_flag != nullptr) g_flag->store(true);
}

}  // namespace

const CancelToken& processCancelToken() {
  static const CancelToken token;
  return token;
}

void installCancelSignalHandlers() {
  g_flag = const_cast<std::atomic<bool>*>(processCancelToken().flag());
  std::signal(SIGINT, onCancelSignal);
  std::signal(SIGTERM, onCancelSignal);
  // Past a file-size limit (ulimit -f) a write fails with EFBIG and is reported as an error
  // naming the file, instead of the process being killed with a half-written temporary.
  std::signal(SIGXFSZ, SIG_IGN);
}

int cancelSignal() { return g_signal.load(); }

RunProgressCallback stderrProgress(bool quiet) {
  if (quiet) return nullptr;
  return [last_stage = RunStage::kDone, last_step = -1](const RunProgress& p) mutable {
    if (p.stage == last_stage && p.step == last_step) return;
    last_stage = p.stage;
    last_step = p.step;
    if (p.stage == RunStage::kDone) return;
    std::string line = "[" + std::to_string(static_cast<int>(p.fraction * 100.0 + 0.5)) + "%] " +
                       toString(p.stage);
    if (p.total > 1) line += " " + std::to_string(p.step) + "/" + std::to_string(p.total);
    char timing[96];
    if (p.fraction > 0.02 && p.elapsed_s > 1.0) {
      std::snprintf(timing, sizeof timing, ", %.0f s, ETA %.0f s", p.elapsed_s,
                    p.elapsed_s / p.fraction * (1.0 - p.fraction));
      line += timing;
    }
    std::fprintf(stderr, "%s\n", line.c_str());
  };
}

bool isStandardOutput(const std::filesystem::path& path) { return path == "-"; }

void checkJsonDestination(const std::filesystem::path& path,
                          const std::vector<std::filesystem::path>& inputs,
                          const std::string& option) {
  if (path.empty() || isStandardOutput(path)) return;
  checkReplaceableDestination(path, option);
  for (const std::filesystem::path& input : inputs) {
    if (isSameFile(path, input)) {
      throw OutputError("cannot write " + option + " '" + path.string() +
                        "': it is a file this run reads or writes ('" + input.string() +
                        "'); give another file name");
    }
  }
}

void writeTextFile(const std::filesystem::path& path, const std::string& text) {
  if (isStandardOutput(path)) {
    std::fflush(stdout);
    if (std::fwrite(text.data(), 1, text.size(), stdout) != text.size() ||
        std::fflush(stdout) != 0) {
      throw OutputError(std::string("cannot write to standard output: ") + std::strerror(errno));
    }
    return;
  }
  writeBytesAtomically(path, std::vector<std::uint8_t>(text.begin(), text.end()));
}

}  // namespace genstereo::cli
