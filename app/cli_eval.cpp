// genstereo-cli eval: the engine against real stereo pairs with ground truth.
#include <cstdio>
#include <iostream>
#include <memory>
#include <vector>

#include "cli_commands.h"
#include "cli_common.h"
#include "errors.h"
#include "eval/dataset_evaluation.h"
#include "eval/stereo_dataset.h"

namespace genstereo::cli {

namespace {

struct EvalCli {
  EngineCli engine;
  std::string dataset;
  std::string json_path;
  std::vector<std::string> methods;
  std::string protocol = "native";
  int official_size = 0;
  std::string views_dir;
  bool consistency = false;
  bool allow_skipped = false;
  bool quiet = false;
  FillParams fill;
};

int runEval(EvalCli& e) {
  finishEngineOptions(e.engine);
  EvaluationOptions options;
  if (!e.methods.empty()) {
    options.methods.clear();
    for (const std::string& name : e.methods) options.methods.push_back(evalMethodByName(name));
  } else if (e.engine.run.engine == EngineChoice::kDiffusion) {
    options.methods = {evalMethodByName("diffusion")};
  }
  options.params.feather_px = e.engine.run.synthesis.feather_px;
  options.params.fill_params = e.fill;
  options.protocol = evalProtocolFromString(e.protocol).value_or(EvalProtocol::kNative);
  options.official_size =
      e.official_size > 0 ? e.official_size : variantWorkingSize(e.engine.engine.variant);
  options.diffusion = e.engine.run.diffusion;
  options.views_dir = e.views_dir;
  options.check_consistency = e.consistency;
  options.cancel = processCancelToken();
  if (!e.json_path.empty()) {
    std::error_code ec;
    if (fs::is_directory(e.json_path, ec))
      throw OutputError("--json '" + e.json_path + "' is a folder; give a file name");
  }
  const std::vector<StereoPairItem> items = discoverStereoDataset(e.dataset);
  if (!e.json_path.empty()) {
    // The JSON never replaces a file of the dataset or a view this run writes.
    std::vector<fs::path> run_files;
    for (const StereoPairItem& item : items) {
      run_files.insert(run_files.end(),
                       {item.left, item.right, item.left.parent_path() / "meta.json"});
      if (!item.disparity.empty()) run_files.push_back(item.disparity);
      if (!e.views_dir.empty()) {
        run_files.push_back(fs::path(e.views_dir) / (item.name + "_occlusion_mask.png"));
        for (const EvalMethod& method : options.methods) {
          run_files.push_back(fs::path(e.views_dir) / (item.name + "_" + method.name + ".png"));
        }
      }
    }
    checkJsonDestination(e.json_path, run_files);
  }
  // A method the engine cannot run is refused by evaluateDataset before any pair is read.
  StereoEngine engine(e.engine.engine);
  RunProgressCallback progress = nullptr;
  if (!e.quiet) {
    progress = [](const RunProgress& p) {
      if (p.stage != RunStage::kDone)
        std::fprintf(stderr, "[%d/%d] %s\n", p.item, p.items, p.item_id.c_str());
    };
  }
  const DatasetEvaluation evaluation = evaluateDataset(items, options, engine, progress);
  if (options.protocol == EvalProtocol::kOfficial) {
    std::printf(
        "protocol: official (GenStereo evaluation.py): %dx%d, scored at 512x512 with piq "
        "PSNR/SSIM\n",
        options.official_size, options.official_size);
  }
  // With --json - the JSON alone goes to standard output, the table to stderr.
  const bool is_json_on_stdout = isStandardOutput(e.json_path);
  (is_json_on_stdout ? std::cerr : std::cout) << formatEvaluationTable(evaluation) << std::flush;
  if (!e.json_path.empty()) {
    writeTextFile(e.json_path, evaluationToJson(evaluation));
    if (!is_json_on_stdout) std::printf("wrote %s\n", e.json_path.c_str());
  }
  if (evaluation.pairs.empty()) {
    throw InputError("no pair of '" + e.dataset + "' was evaluated (" +
                     std::to_string(evaluation.skipped.size()) + " skipped, reasons above)");
  }
  if (!evaluation.skipped.empty() && !e.allow_skipped) {
    throw InputError(
        std::to_string(evaluation.skipped.size()) + " of " +
        std::to_string(evaluation.skipped.size() + evaluation.pairs.size()) +
        " pairs were skipped (reasons above) and the means leave them out; pass --allow-skipped "
        "to accept a partial evaluation");
  }
  return 0;
}

}  // namespace

void addEvalCommand(CLI::App& app, ActionSetter set_action) {
  auto e = std::make_shared<EvalCli>();
  CLI::App* c =
      app.add_subcommand("eval", "measure the engine against real stereo pairs with ground truth");
  c->add_option("DATASET_DIR", e->dataset,
                "one sub-folder per pair (or DATASET_DIR itself) with left.png, right.png, "
                "disp_left.{pfm,png,tif,npy} "
                "and optionally meta.json (disparity_encoding.scale_divisor)")
      ->required();
  c->add_option(
      "--json", e->json_path,
      "write every number as JSON to FILE (atomically; an existing device, FIFO, link or a file of "
      "the "
      "dataset is refused), or to standard output with '-' (the table then goes to stderr)");
  std::string names;
  for (const EvalMethod& m : knownEvalMethods()) names += (names.empty() ? "" : ", ") + m.name;
  c->add_option("--methods", e->methods,
                "comma-separated among " + names +
                    " (default: warp-only, naive, telea, ours-integer, ours; with --engine "
                    "diffusion: diffusion)")
      ->delimiter(',');
  c->add_option("--protocol", e->protocol,
                "native (each pair at its size) or official (GenStereo's evaluation.py: S x S, "
                "scored at 512)")
      ->check(CLI::IsMember({toString(EvalProtocol::kNative), toString(EvalProtocol::kOfficial)}))
      ->capture_default_str();
  c->add_option("--size", e->official_size,
                "S of the official protocol (default: 768 for sd21, 512 for sd15)")
      ->check(CLI::Range(64, 4096));
  c->add_option("--save-views", e->views_dir,
                "write each synthesised right view and occlusion mask into DIR");
  c->add_flag("--consistency", e->consistency,
              "also run StereoSGBM on each generated pair (EPE, D1)");
  c->add_flag("--allow-skipped", e->allow_skipped,
              "exit 0 although some pairs were skipped (missing or corrupt files); without it a "
              "skipped pair "
              "makes the exit code 1. No pair evaluated is always an error");
  addEngineOptions(*c, e->engine, false);
  c->add_option("--guard-window", e->fill.guard_window_px, "fill tuning: guard window")
      ->check(CLI::Range(0, 256))
      ->capture_default_str()
      ->group("Filling");
  c->add_option("--row-weight", e->fill.row_weight, "fill tuning: row weight")
      ->check(finiteIn(0.0, 100.0))
      ->capture_default_str()
      ->group("Filling");
  c->add_option("--row-samples", e->fill.row_samples, "fill tuning: row samples")
      ->check(CLI::Range(1, 256))
      ->capture_default_str()
      ->group("Filling");
  c->add_option("--vertical-sigma", e->fill.vertical_sigma_px,
                "fill tuning: vertical sigma in pixels")
      ->check(finiteIn(0.0, 1000.0))
      ->capture_default_str()
      ->group("Filling");
  c->add_flag("-q,--quiet", e->quiet, "no progress on stderr");
  c->callback([e, set_action] { set_action([e] { return runEval(*e); }); });
}

}  // namespace genstereo::cli
