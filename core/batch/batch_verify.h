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
  std::vector<std::string> missing_items;  // ids without a complete item
  std::vector<std::string> problems;       // everything else, one sentence each
  std::vector<std::string> notes;          // harmless findings (do not make it fail)
  bool ok() const { return missing_items.empty() && problems.empty(); }
};

// Checks, against OUT/batch.json: every listed item has its meta JSON (for that id) and every
// output file it lists, with the recorded size and SHA-256 (items written before hashes were
// recorded are checked by size only, with a note); left, right, disparity (PFM and PNG),
// occlusion and filled have the same width and height as the meta says; no id is listed
// twice; no item file belongs to an id outside the batch; with shard_count, the shard summaries are
// complete and disjoint. Temporary files (".NAME.tmp-*") left by killed runs are notes: they are
// not part of the dataset and the next batch run removes them. Throws InputError when OUT or
// OUT/batch.json is missing or unreadable.
BatchVerifyReport verifyBatchOutput(const BatchVerifyOptions& options);

// Text report: counts, then the problems (at most `max_lines` of each kind).
std::string formatBatchVerifyReport(const BatchVerifyReport& report, int max_lines = 20);

std::string batchVerifyReportToJson(const BatchVerifyReport& report);

}  // namespace genstereo
