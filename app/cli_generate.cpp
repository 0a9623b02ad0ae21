// genstereo-cli generate: one photo -> its stereo pair, intermediates and composites.
#include <algorithm>
#include <cstdio>
#include <memory>

#include "cli_commands.h"
#include "cli_common.h"
#include "errors.h"
#include "io/map_discovery.h"
#include "pipeline/generate_job.h"
#include "stereo/comfort_shaping.h"
#include "stereo/parallax_budget.h"

namespace genstereo::cli {

namespace {

constexpr BorderMode kGenerateBorder = BorderMode::kScreen;

struct GenerateCli {
  EngineCli engine;
  std::string image;
  std::string disparity;
  std::string depth;
  std::string out_dir;
  std::vector<std::string> formats = {"sbs"};
  ExportOptions export_options;
  bool export_depth = false;
  bool no_intermediates = false;
  bool no_discovery = false;
  bool quiet = false;
};

// The still formats (what `all` writes), then the wiggles (written only when named).
std::string formatNames() {
  std::string names;
  for (const std::string& name : allExportFormatNames())
    names += (names.empty() ? "" : ", ") + name;
  for (const std::string& name : wiggleExportFormatNames()) names += ", " + name;
  return names;
}

int runGenerate(GenerateCli& g) {
  finishEngineOptions(g.engine);
  GenerateJob job;
  job.image = g.image;
  if (!g.disparity.empty()) job.disparity = fs::path(g.disparity);
  if (!g.depth.empty()) job.depth = fs::path(g.depth);
  std::string found_note;
  if (!job.disparity && !job.depth && !g.no_discovery) {
    // The one rule for the map beside a photo (io/map_discovery.h).
    if (const auto map = findMapOfPhoto(job.image)) {
      if (map->kind == MapKind::kDisparity)
        job.disparity = map->path;
      else
        job.depth = map->path;
      found_note = "using the " + std::string(toString(map->kind)) +
                   " map found beside the photo: " + map->path.string();
    }
  }
  job.read_options = g.engine.read_options;
  job.run = g.engine.run;
  job.run.on_progress = stderrProgress(g.quiet);
  job.out_dir = g.out_dir;
  job.export_depth = g.export_depth;
  job.write_intermediates = !g.no_intermediates;
  job.export_options = g.export_options;
  job.formats.clear();
  // "all" (the still formats) may stand beside names ("all,wiggle-gif"); each format once.
  std::vector<std::string> names;
  for (const std::string& name : g.formats) {
    if (name == "all") {
      const std::vector<std::string> stills = allExportFormatNames();
      names.insert(names.end(), stills.begin(), stills.end());
    } else {
      names.push_back(name);
    }
  }
  for (const std::string& name : names) {
    const auto format = parseExportFormat(name);
    if (!format)
      throw CLI::ValidationError("--format",
                                 "unknown format '" + name + "' (expected " + formatNames() + ")");
    if (std::find(job.formats.begin(), job.formats.end(), *format) == job.formats.end())
      job.formats.push_back(*format);
  }
  validateGenerateJob(job);  // inputs and output folder before any model is loaded
  StereoEngine engine(g.engine.engine);
  RunParams planned = job.run;
  planned.geometry = geometryOf(job);
  const RunPlan plan = engine.plan(planned);
  if (!plan.ready()) throw InputError(plan.problem);
  if (!found_note.empty() && !g.quiet) std::fprintf(stderr, "%s\n", found_note.c_str());
  // --models given: say when its diffusion weights are incomplete (auto ran weight-free).
  if (!g.quiet && plan.reason == EngineReason::kWeightsNotReady && !g.engine.models_dir.empty()) {
    std::fprintf(stderr, "weight-free engine: %s%s\n", plan.reason_text.c_str(),
                 plan.download_command.empty()
                     ? ""
                     : (" (get them with: " + plan.download_command + ")").c_str());
  }
  const GenerateReport report = runGenerateJob(engine, job);
  std::printf("engine: %s\n", report.engine_description.c_str());
  for (const std::string& note : report.notes) std::printf("note: %s\n", note.c_str());
  std::printf("image: %dx%d, occluded: %.2f%% of the synthesised view\n", report.width,
              report.height, report.occluded_fraction * 100.0);
  std::printf(
      "time: %.0f ms (read %.0f, depth %.0f, synthesis %.0f, other engine %.0f, write %.0f)\n",
      report.seconds * 1000.0, report.read_seconds * 1000.0, report.depth_seconds * 1000.0,
      report.synthesis_seconds * 1000.0,
      (report.engine_seconds - report.depth_seconds - report.synthesis_seconds) * 1000.0,
      report.write_seconds * 1000.0);
  const SynthesisParams& synthesis = job.run.synthesis;
  std::printf(
      "parallax: %s (1st/99th percentiles of the disparity), baseline %.3gx, screen plane at "
      "disparity "
      "%.1f px (%s convergence), border %s",
      describeParallaxBudget(report.parallax).c_str(), report.baseline_scale,
      report.screen_disparity_px, toString(synthesis.comfort.convergence),
      toString(synthesis.border));
  if (report.crop_left_px > 0 || report.crop_right_px > 0) {
    std::printf(" (cropped %d px left, %d px right)", report.crop_left_px, report.crop_right_px);
  }
  std::printf("\n");
  if (report.comfort_warnings.empty()) {
    std::printf("comfort: within the comfort range (docs/comfort.md)\n");
  }
  for (const std::string& warning : report.comfort_warnings) {
    std::printf("warning: uncomfortable: %s (docs/comfort.md)\n", warning.c_str());
  }
  for (const fs::path& path : report.written) std::printf("wrote %s\n", path.string().c_str());
  return 0;
}

}  // namespace

void addGenerateCommand(CLI::App& app, ActionSetter set_action) {
  auto g = std::make_shared<GenerateCli>();
  CLI::App* c = app.add_subcommand("generate",
                                   "synthesise the other view of a photo (from its disparity or "
                                   "depth map, or from depth a depth model estimates)");
  c->add_option("IMAGE", g->image,
                "photo: PNG (8/16-bit), JPEG (EXIF orientation applied), TIFF, WebP, BMP; the left "
                "view of an MPO or JPS stereo file")
      ->required();
  auto* disparity =
      c->add_option(
           "--disparity", g->disparity,
           "disparity of IMAGE in pixels (PFM, 16-bit KITTI PNG, 8-bit PNG, float TIFF, .npy); "
           "left (x, y) matches right (x - d, y)")
          ->group("Inputs");
  auto* depth =
      c->add_option(
           "--depth", g->depth,
           "depth map instead (same formats); d = (x - min) / (max - min) * max-disparity * width")
          ->group("Inputs");
  disparity->excludes(depth);
  c->add_flag(
       "--no-discovery", g->no_discovery,
       "do not look for a map beside IMAGE (IMAGE_disp.pfm, disp_IMAGE.png, IMAGE_depth.png, ...: "
       "docs/user-guide.md); without a map, depth is estimated from --models")
      ->group("Inputs");
  c->add_flag("--export-depth", g->export_depth,
              "also write the depth and disparity used (16-bit PNG, PFM, preview)")
      ->group("Outputs");
  // A photo made for viewing: comfortable by default (docs/comfort.md).
  g->engine.run.synthesis.comfort = comfortableSettings();
  g->engine.run.synthesis.border = kGenerateBorder;
  addEngineOptions(*c, g->engine, true);
  c->add_option("-o,--output", g->out_dir, "output folder (created if its parent exists)")
      ->required()
      ->group("Outputs");
  c->add_option("--format", g->formats,
                "composites, comma-separated: " + formatNames() +
                    "; all: every format but the wiggle animations (wiggle-gif, wiggle-apng: "
                    "left and right view alternating, BASE_wiggle.gif / BASE_wiggle.png), "
                    "e.g. all,wiggle-gif")
      ->delimiter(',')
      ->capture_default_str()
      ->group("Outputs");
  c->add_option("--image-format", g->export_options.image_extension,
                "png, jpg, tif, webp or bmp for the pair and composites")
      ->check(CLI::IsMember({"png", "jpg", "jpeg", "tif", "tiff", "webp", "bmp"}))
      ->capture_default_str()
      ->group("Outputs");
  c->add_option("--jpeg-quality", g->export_options.jpeg_quality, "JPEG, MPO and JPS quality")
      ->check(CLI::Range(1, 100))
      ->capture_default_str()
      ->group("Outputs");
  c->add_option("--wiggle-ms", g->export_options.wiggle_frame_ms,
                "display time of each view in wiggle-gif and wiggle-apng (GIF: rounded to 10 ms)")
      ->check(CLI::Range(kMinFrameMs, kMaxFrameMs))
      ->capture_default_str()
      ->group("Outputs");
  c->add_flag("--no-vr-suffix{false}", g->export_options.vr_suffix,
              "name composites _sbs, _tb... instead of the VR player tags (_LRF_Full_SBS, _3dh, "
              "_TB, _3dv, _RL)")
      ->group("Outputs");
  c->add_flag("--no-intermediates", g->no_intermediates, "write only the views and composites")
      ->group("Outputs");
  c->add_flag("-q,--quiet", g->quiet, "no progress on stderr");
  c->footer(
      "Written (BASE = IMAGE's name, EYE = right or left): BASE_EYE.png, BASE_EYE_warped.png,\n"
      "BASE_EYE_occlusion_mask.png, BASE_EYE_fill.png, BASE_EYE_fusion_weight.png, "
      "BASE_EYE_disparity.pfm,\n"
      "and one file per composite. Photos of any aspect ratio and size.");
  c->callback([g, set_action] { set_action([g] { return runGenerate(*g); }); });
}

}  // namespace genstereo::cli
