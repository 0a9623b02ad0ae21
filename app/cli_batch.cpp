// genstereo-cli batch and batch-verify: stereo training sets from many photos.
#include <algorithm>
#include <cstdio>
#include <iostream>
#include <memory>

#include "batch/batch_inputs.h"
#include "batch/batch_job.h"
#include "batch/batch_verify.h"
#include "batch/sharding.h"
#include "cli_commands.h"
#include "cli_common.h"
#include "errors.h"

namespace genstereo::cli {

namespace {

struct BatchCli {
  EngineCli engine;
  std::string input;
  std::string out_dir;
  std::string disparity_dir;
  std::string depth_dir;
  std::string shard = "0/1";
  std::string json_path;
  bool consistency = false;
  bool quiet = false;
};

int runBatchCommand(BatchCli& b) {
  finishEngineOptions(b.engine);
  std::error_code json_ec;
  if (!b.json_path.empty() && fs::is_directory(b.json_path, json_ec)) {
    throw OutputError("--json '" + b.json_path + "' is a folder; give a file name");
  }
  BatchOptions options;
  options.out_dir = b.out_dir;
  options.shard = parseShardSpec(b.shard);
  options.params.run = b.engine.run;
  options.params.read_options = b.engine.read_options;
  options.params.check_consistency = b.consistency;
  options.input = b.input;
  std::error_code ec;
  std::vector<BatchItem> items;
  if (fs::is_directory(b.input, ec)) {
    FolderScanOptions scan;
    scan.root = b.input;
    if (!b.disparity_dir.empty()) scan.disparity_dir = fs::path(b.disparity_dir);
    if (!b.depth_dir.empty()) scan.depth_dir = fs::path(b.depth_dir);
    scan.excluded = {options.out_dir};
    std::vector<std::string> unreadable;
    scan.unreadable_folders = &unreadable;
    items = scanBatchFolder(scan);
    for (const std::string& folder : unreadable) {
      std::fprintf(stderr,
                   "warning: cannot read the sub-folder %s: its photos are not in the batch\n",
                   folder.c_str());
    }
  } else {
    if (!b.disparity_dir.empty() || !b.depth_dir.empty()) {
      throw CLI::ValidationError("--disparity-dir/--depth-dir",
                                 "apply to an INPUT_DIR, not to a manifest");
    }
    items = readBatchManifest(b.input);
  }
  if (!b.json_path.empty()) {
    // The summary never replaces an input, batch.json or an item's file.
    if (!isStandardOutput(b.json_path) && isBatchOutputPath(options.out_dir, b.json_path)) {
      throw OutputError("--json '" + b.json_path + "' lies among the batch's own files in '" +
                        b.out_dir +
                        "' (batch.json, shards/, the item folders); give a file outside them");
    }
    std::vector<fs::path> inputs = {b.input};
    for (const BatchItem& item : items) {
      inputs.push_back(item.image);
      for (const auto& map : {item.disparity, item.depth}) {
        if (!map) continue;
        inputs.push_back(*map);
        inputs.push_back((map->has_parent_path() ? map->parent_path() : fs::path(".")) /
                         "meta.json");
      }
    }
    checkJsonDestination(b.json_path, inputs);
  }
  StereoEngine engine(b.engine.engine);
  // The plan of an item (one without a map when there is one): --engine diffusion without
  // valid weights fails here, before any item.
  const auto without_map = std::find_if(items.begin(), items.end(), [](const BatchItem& item) {
    return !item.disparity && !item.depth;
  });
  const RunParams planned = items.empty() ? options.params.run
                            : without_map != items.end()
                                ? batchItemRun(*without_map, options.params)
                                : batchItemRun(items.front(), options.params);
  const RunPlan plan = engine.plan(planned);
  if (plan.reason == EngineReason::kNotReady) throw InputError(plan.problem);
  if (plan.estimates_depth && !plan.ready() && !b.quiet) {
    std::fprintf(stderr,
                 "some photos have no disparity or depth map and cannot get one (%s): they will "
                 "fail\n",
                 plan.problem.c_str());
  }
  if (!b.quiet) std::fprintf(stderr, "engine: %s\n", engine.describe(planned).c_str());
  const bool quiet = b.quiet;
  BatchProgressCallback progress = [quiet](const RunProgress& p, const ItemOutcome& item) {
    if (quiet && item.status != ItemStatus::kFailed) return;
    const std::string eta = p.eta_s < 0.0 ? std::string("--") : formatDuration(p.eta_s);
    if (item.status == ItemStatus::kFailed) {
      std::fprintf(stderr, "[%d/%d] %.2f items/s, ETA %s: %s FAILED: %s\n", p.item, p.items,
                   p.items_per_second, eta.c_str(), item.id.c_str(), item.error.c_str());
    } else {
      std::fprintf(stderr, "[%d/%d] %.2f items/s, ETA %s: %s%s\n", p.item, p.items,
                   p.items_per_second, eta.c_str(), item.id.c_str(),
                   item.status == ItemStatus::kSkipped ? " (already complete, skipped)" : "");
    }
  };
  const BatchSummary summary = runBatch(items, options, engine, progress);
  // With --json - the JSON alone goes to standard output, the summary to stderr.
  const bool is_json_on_stdout = isStandardOutput(b.json_path);
  (is_json_on_stdout ? std::cerr : std::cout) << formatBatchSummary(summary) << std::flush;
  if (!b.json_path.empty()) {
    writeTextFile(b.json_path, batchSummaryToJson(summary));
    if (!is_json_on_stdout) std::printf("wrote %s\n", b.json_path.c_str());
  }
  return summary.failed > 0 ? 1 : 0;
}

struct BatchVerifyCli {
  std::string out_dir;
  int shards = 0;
  std::string json_path;
};

int runBatchVerify(const BatchVerifyCli& v) {
  BatchVerifyOptions options;
  options.out_dir = v.out_dir;
  if (v.shards > 0) options.shard_count = v.shards;
  const bool is_json_on_stdout = isStandardOutput(v.json_path);
  if (!v.json_path.empty() && !is_json_on_stdout) {
    std::error_code ec;
    if (fs::is_directory(v.json_path, ec))
      throw OutputError("--json '" + v.json_path + "' is a folder; give a file name");
    if (isBatchOutputPath(options.out_dir, v.json_path)) {
      throw OutputError("--json '" + v.json_path + "' lies among the batch's own files in '" +
                        v.out_dir +
                        "' (batch.json, shards/, the item folders); give a file outside them");
    }
    checkJsonDestination(v.json_path, {});
  }
  const BatchVerifyReport report = verifyBatchOutput(options);
  (is_json_on_stdout ? std::cerr : std::cout) << formatBatchVerifyReport(report) << std::flush;
  if (!v.json_path.empty()) {
    writeTextFile(v.json_path, batchVerifyReportToJson(report));
    if (!is_json_on_stdout) std::printf("wrote %s\n", v.json_path.c_str());
  }
  return report.ok() ? 0 : 1;
}

}  // namespace

void addBatchCommand(CLI::App& app, ActionSetter set_action) {
  auto b = std::make_shared<BatchCli>();
  CLI::App* c = app.add_subcommand("batch",
                                   "make a stereo training set from a folder tree or a manifest "
                                   "(resumable, sharded; docs/batch.md)");
  c->add_option(
       "INPUT", b->input,
       "a folder of photos (found recursively; maps beside them or in --disparity-dir/--depth-dir, "
       "eval layout included; photos without a map get depth from the depth model of the models "
       "folder), or a manifest "
       "(.csv with columns image,disparity,depth,id, or JSON Lines)")
      ->required();
  c->add_option(
       "-o,--output", b->out_dir,
       "output folder, per item ID: left/ID.png right/ID.png (the pair), disparity/ID.pfm and "
       "disparity_png/ID.png (left-view disparity; KITTI 16-bit), occlusion/ID.png, filled/ID.png, "
       "meta/ID.json (written last); and batch.json, shards/shard-I-of-N.json")
      ->required()
      ->group("Outputs");
  c->add_option("--disparity-dir", b->disparity_dir,
                "disparity maps in DIR, mirroring INPUT's tree")
      ->group("Inputs");
  c->add_option("--depth-dir", b->depth_dir, "depth maps in DIR, mirroring INPUT's tree")
      ->group("Inputs");
  addEngineOptions(*c, b->engine, true);
  c->add_option("--shard", b->shard, "I/N: process only the items with fnv1a64(id) mod N == I")
      ->check(CLI::Validator(
          [](std::string& text) -> std::string {
            try {
              parseShardSpec(text);
            } catch (const std::exception& e) {
              return e.what();
            }
            return {};
          },
          "I/N"))
      ->capture_default_str()
      ->group("Scale-out");
  c->add_flag("--consistency", b->consistency,
              "run OpenCV StereoSGBM on each pair and compare with the disparity used (EPE, D1)")
      ->group("Scale-out");
  c->add_option("--json", b->json_path,
                "also write the summary as JSON to FILE (not over an input, a device, FIFO or "
                "link, nor among "
                "OUTDIR's batch files), or to standard output with '-' (the text summary then goes "
                "to stderr)")
      ->group("Outputs");
  c->add_flag("-q,--quiet", b->quiet, "no progress lines (failures are still reported)");
  c->footer(
      "Each item's seed is --seed + fnv1a64(ID) (recorded as item_seed in meta/ID.json): "
      "`generate\n"
      "--seed ITEM_SEED` on the same photo makes the same pair. Exit code 0 when every item of "
      "the\n"
      "shard is complete, 1 when any failed, 2 on wrong usage.");
  c->callback([b, set_action] { set_action([b] { return runBatchCommand(*b); }); });
}

void addBatchVerifyCommand(CLI::App& app, ActionSetter set_action) {
  auto v = std::make_shared<BatchVerifyCli>();
  CLI::App* verify = app.add_subcommand(
      "batch-verify", "check that a (sharded) batch output is complete and consistent");
  verify->add_option("OUTDIR", v->out_dir, "the batch's output folder")->required();
  verify->add_option("--shards", v->shards, "the number of shards the batch was run with")
      ->check(CLI::Range(1, 100000));
  verify->add_option(
      "--json", v->json_path,
      "also write the report as JSON to FILE (not a device, FIFO or link, nor among OUTDIR's "
      "batch files), or to standard output with '-'");
  verify->callback([v, set_action] { set_action([v] { return runBatchVerify(*v); }); });
}

}  // namespace genstereo::cli
