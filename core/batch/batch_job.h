// `genstereo-cli batch`: a stereo training set from many photos. For each item the engine
// (weight-free or diffusion; depth estimated for photos without a map) makes the pair and
// writes, in the flat layout stereo-matching trainers
// read (KITTI / SceneFlow style):
//   OUT/left/ID.png            left view (8-bit)
//   OUT/right/ID.png           right view (8-bit)
//   OUT/disparity/ID.pfm       disparity of the left view in pixels (float, dense)
//   OUT/disparity_png/ID.png   the same, KITTI 16-bit PNG (value * 256; 0 = not representable)
//   OUT/occlusion/ID.png       255 where the left pixel is hidden in the right view
//   OUT/filled/ID.png          255 where the synthesised view's pixel was invented by the fill
//   OUT/meta/ID.json           parameters, engine, inputs, outputs, timing; written LAST
// Every file is written atomically; the meta JSON is the completion marker, so an item is
// complete when its meta JSON exists, matches the run's parameters and inputs, and every
// output it lists exists with the recorded size. OUT/batch.json lists all items and the
// parameters; OUT/shards/shard-I-of-N.json is each shard's summary.
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "batch/batch_inputs.h"
#include "batch/sharding.h"
#include "genstereo/engine.h"
#include "io/disparity_io.h"
#include "metrics/geometric_consistency.h"

namespace genstereo {

struct BatchParams {
  // The engine's parameters for every item (geometry is set per item; progress and cancel
  // are the batch's own). `run.diffusion.seed` is the batch seed: item ID runs with seed
  // `seed + fnv1a64(ID)` (recorded as item_seed), so `generate --seed ITEM_SEED` with the
  // batch's geometry (by default `--convergence 0 --parallax-limit 0 --border fill`: generate's
  // own defaults are the comfortable ones, docs/comfort.md) makes the same item.
  RunParams run;
  // Reading map files; an unset divisor comes from meta.json beside each map.
  DisparityReadOptions read_options;
  bool check_consistency = false;
  ConsistencyParams consistency;
};

struct BatchOptions {
  std::filesystem::path out_dir;
  ShardSpec shard;
  BatchParams params;
  std::string input;  // the folder or manifest, as given (recorded in batch.json)
};

// Output files of one item, in the order they are written (meta last).
struct BatchItemPaths {
  std::filesystem::path left, right, disparity_pfm, disparity_png, occlusion, filled, meta;
};
BatchItemPaths batchItemPaths(const std::filesystem::path& out_dir, const std::string& id);
// Sub-folders of OUT holding item files, meta included ("left", "right", ...).
const std::vector<std::string>& batchOutputFolders();

// True when `path` is a file or folder the batch in `out_dir` writes or reads: batch.json, its
// lock file (.genstereo-batch.lock, held while batch.json is checked and written), the item
// folders and shards/ and anything in them. `--json` may not name one.
bool isBatchOutputPath(const std::filesystem::path& out_dir, const std::filesystem::path& path);

enum class ItemStatus { kDone, kSkipped, kFailed };
const char* toString(ItemStatus status);

struct ItemOutcome {
  std::string id;
  ItemStatus status = ItemStatus::kDone;
  std::string error;     // kFailed: the message
  double seconds = 0.0;  // time spent on the item (reading to meta written)
  std::optional<ConsistencyScores> consistency;
};

struct BatchSummary {
  ShardSpec shard;
  int batch_items = 0;  // all items of the batch
  int shard_items = 0;  // items of this shard
  int done = 0, skipped = 0, failed = 0;
  double wall_seconds = 0.0;
  double items_per_second = 0.0;                                       // done items / wall time
  double mean_seconds = 0.0, median_seconds = 0.0, max_seconds = 0.0;  // over done items
  std::string slowest_id;
  std::optional<ConsistencyScores> mean_consistency;  // mean over done items that have one
  std::vector<ItemOutcome> items;
};

// Called after each item of the shard: the engine's RunProgress of a job (stage kDone, `item` of
// `items`, item_id, fraction, items per second, ETA) and the item's outcome.
using BatchProgressCallback =
    std::function<void(const RunProgress& progress, const ItemOutcome& outcome)>;

// Runs the items of `options.shard`. Writes OUT/batch.json (or checks that an existing one
// describes the same batch: same ids, engine and parameters), skips complete items, removes
// stale temporary files of the items it computes, logs each failure in the summary and goes
// on. Writes OUT/shards/shard-I-of-N.json at the end. Throws InputError / OutputError only for
// problems of the whole batch (output folder unusable, batch.json of another batch), and
// CancelledError between items and inside a run when options.params.run.cancel is cancelled.
// The engine is built once by the caller and keeps its models loaded for every item.
BatchSummary runBatch(const std::vector<BatchItem>& items, const BatchOptions& options,
                      StereoEngine& engine, const BatchProgressCallback& progress = nullptr);

// The engine's parameters for `item`: params.run with the item's map as a MapFile (read by the
// engine with params.read_options), or EstimatedDepth when it has none.
RunParams batchItemRun(const BatchItem& item, const BatchParams& params);

// Computes and writes one item (no skip check). Throws on any failure.
ItemOutcome processBatchItem(const BatchItem& item, const BatchOptions& options,
                             StereoEngine& engine);

// True when the item's outputs are complete for these options and engine (see the header
// comment).
bool isBatchItemComplete(const BatchItem& item, const BatchOptions& options, StereoEngine& engine);

// Human-readable summary (counts, rate, per-item timing, failures).
std::string formatBatchSummary(const BatchSummary& summary);
// The summary as JSON (with every item's status, time and error).
std::string batchSummaryToJson(const BatchSummary& summary);

// "2m01s", "1h02m", "12s".
std::string formatDuration(double seconds);

}  // namespace genstereo
