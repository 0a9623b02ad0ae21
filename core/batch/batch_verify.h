// `genstereo-cli batch-verify`: checks that a batch output folder (possibly written by many
// shards) is complete and consistent before it is used for training.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <vector>

namespace genstereo {

struct BatchVerifyOptions {
  std::filesystem::path out_dir;
  // When set: OUT/shards/shard-I-of-N.json must exist for every I, and the shards' item
  // lists must be disjoint and cover the batch.
  std::optional<int> shard_count;
};

struct BatchVerifyReport {
  int expected_items = 0;  // items listed in OUT/batch.json
  int complete_items = 0;
  std::vector<std::string> missing_items;     // ids without a complete item
  std::vector<std::string> problems;          // everything else, one sentence each
  bool ok() const { return missing_items.empty() && problems.empty(); }
};

// Checks, against OUT/batch.json: every listed item has its meta JSON (for that id) and every
// output file it lists, with the recorded size; left, right, disparity (PFM and PNG),
// occlusion and filled have the same width and height as the meta says; no id is listed
// twice; no item file belongs to an id outside the batch; no temporary file (".NAME.tmp-*")
// is left; with shard_count, the shard summaries are complete and disjoint.
// Throws InputError when OUT or OUT/batch.json is missing or unreadable.
BatchVerifyReport verifyBatchOutput(const BatchVerifyOptions& options);

// Text report: counts, then the problems (at most `max_lines` of each kind).
std::string formatBatchVerifyReport(const BatchVerifyReport& report, int max_lines = 20);

std::string batchVerifyReportToJson(const BatchVerifyReport& report);

}  // namespace genstereo
