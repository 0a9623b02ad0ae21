#include "batch/batch_verify.h"

#include <algorithm>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <system_error>

#include <nlohmann/json.hpp>

#include "batch/batch_job.h"
#include "errors.h"
#include "io/atomic_write.h"
#include "io/json_text.h"
#include "models/sha256.h"

namespace genstereo {
namespace fs = std::filesystem;
using nlohmann::json;

namespace {

std::string readText(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

std::string readHead(const fs::path& path, std::size_t bytes) {
  std::ifstream in(path, std::ios::binary);
  std::string head(bytes, '\0');
  in.read(head.data(), static_cast<std::streamsize>(bytes));
  head.resize(static_cast<std::size_t>(std::max<std::streamsize>(0, in.gcount())));
  return head;
}

// Width and height from a PNG's IHDR chunk or a PFM header, without decoding the file.
std::optional<std::pair<long, long>> readDimensions(const fs::path& path) {
  const std::string head = readHead(path, 64);
  if (head.size() >= 24 && head.compare(0, 8, "\x89PNG\r\n\x1a\n") == 0 &&
      head.compare(12, 4, "IHDR") == 0) {
    auto be32 = [&](std::size_t at) {
      long v = 0;
      for (std::size_t i = 0; i < 4; ++i) v = (v << 8) | static_cast<unsigned char>(head[at + i]);
      return v;
    };
    return std::make_pair(be32(16), be32(20));
  }
  if (head.size() >= 3 && head[0] == 'P' && (head[1] == 'f' || head[1] == 'F')) {
    std::istringstream in(head.substr(2));
    long width = 0, height = 0;
    if (in >> width >> height) return std::make_pair(width, height);
  }
  return std::nullopt;
}

bool isTemporaryName(const std::string& name) { return isOwnTemporaryName(name); }

// The first key of `section` whose value differs between an item's meta and batch.json
// ("params.baseline_scale"), or "" when they agree.
std::string firstDifference(const json& item, const json& batch, const std::string& section) {
  if (!item.is_object() || !batch.is_object()) return item == batch ? "" : section;
  for (const auto& [key, value] : batch.items()) {
    if (!item.contains(key)) return section + "." + key;
    if (item.at(key) != value) return section + "." + key;
  }
  for (const auto& [key, value] : item.items()) {
    if (!batch.contains(key)) return section + "." + key;
  }
  return "";
}

}  // namespace

BatchVerifyReport verifyBatchOutput(const BatchVerifyOptions& options) {
  const fs::path& out = options.out_dir;
  std::error_code ec;
  if (!fs::is_directory(out, ec)) {
    throw InputError("batch output folder '" + out.string() + "' does not exist");
  }
  const fs::path batch_path = out / "batch.json";
  if (!fs::is_regular_file(batch_path, ec)) {
    throw InputError("'" + batch_path.string() + "' does not exist: '" + out.string() +
                     "' is not a batch output (genstereo-cli batch writes it first)");
  }
  json batch;
  try {
    batch = json::parse(readText(batch_path));
    batch.at("items");
  } catch (const std::exception& e) {
    throw InputError("cannot read '" + batch_path.string() + "': " + e.what());
  }

  BatchVerifyReport report;
  std::set<std::string> ids;
  for (const json& entry : batch.at("items")) {
    const std::string id = entry.value("id", "");
    if (!ids.insert(id).second)
      report.problems.push_back("id '" + id + "' is listed twice in batch.json");
  }
  report.expected_items = static_cast<int>(ids.size());

  int unhashed_files = 0;
  for (const std::string& id : ids) {
    const BatchItemPaths paths = batchItemPaths(out, id);
    if (!fs::is_regular_file(paths.meta, ec)) {
      report.missing_items.push_back(id);
      continue;
    }
    json meta;
    try {
      meta = json::parse(readText(paths.meta));
    } catch (const std::exception&) {
      report.problems.push_back("'" + paths.meta.string() + "' is not valid JSON");
      continue;
    }
    if (meta.value("id", "") != id) {
      report.problems.push_back("'" + paths.meta.string() + "' belongs to id '" +
                                meta.value("id", "") + "'");
      continue;
    }
    bool is_complete = true;
    // An item made with other settings than batch.json records (a shard or a batch started
    // with other parameters into the same folder) does not belong to this dataset.
    for (const char* section : {"engine", "params"}) {
      if (!batch.contains(section)) continue;
      const std::string difference =
          meta.contains(section) ? firstDifference(meta.at(section), batch.at(section), section)
                                 : section;
      if (!difference.empty()) {
        report.problems.push_back("item '" + id +
                                  "' was made with other settings than batch.json records (" +
                                  difference + " differs): it does not belong to this batch");
        is_complete = false;
      }
    }
    const std::pair<long, long> expected{meta.value("width", 0L), meta.value("height", 0L)};
    if (!meta.contains("outputs") || !meta.at("outputs").is_object()) {
      report.problems.push_back("'" + paths.meta.string() + "' lists no outputs");
      continue;
    }
    for (const char* name :
         {"left", "right", "disparity", "disparity_png", "occlusion", "filled"}) {
      if (!meta.at("outputs").contains(name)) {
        report.problems.push_back("item '" + id + "': the meta JSON does not list its " +
                                  std::string(name) + " file");
        is_complete = false;
      }
    }
    for (const auto& [name, output] : meta.at("outputs").items()) {
      const fs::path file = out / output.value("path", "");
      const auto size = fs::file_size(file, ec);
      if (ec) {
        report.problems.push_back("item '" + id + "': " + name + " file '" + file.string() +
                                  "' is missing");
        is_complete = false;
        continue;
      }
      if (size != output.value("bytes", std::uint64_t{0})) {
        report.problems.push_back("item '" + id + "': '" + file.string() + "' has " +
                                  std::to_string(size) + " bytes, the meta JSON recorded " +
                                  std::to_string(output.value("bytes", std::uint64_t{0})));
        is_complete = false;
        continue;
      }
      if (output.contains("sha256")) {
        const std::string recorded = output.value("sha256", "");
        std::string actual;
        try {
          actual = sha256OfFile(file);
        } catch (const InputError& e) {
          actual = e.what();
        }
        if (actual != recorded) {
          report.problems.push_back(
              "item '" + id + "': '" + file.string() +
              "' does not have the content recorded in the meta JSON (SHA-256 " + actual +
              ", recorded " + recorded + "): corrupt or modified");
          is_complete = false;
          continue;
        }
      } else {
        ++unhashed_files;
      }
      const auto dimensions = readDimensions(file);
      if (!dimensions) {
        report.problems.push_back("item '" + id + "': '" + file.string() +
                                  "' is not a PNG or PFM file");
        is_complete = false;
      } else if (*dimensions != expected) {
        report.problems.push_back(
            "item '" + id + "': '" + file.string() + "' is " + std::to_string(dimensions->first) +
            "x" + std::to_string(dimensions->second) + ", expected " +
            std::to_string(expected.first) + "x" + std::to_string(expected.second));
        is_complete = false;
      }
    }
    if (is_complete) ++report.complete_items;
  }

  if (unhashed_files > 0) {
    report.notes.push_back(std::to_string(unhashed_files) +
                           " output files have no recorded SHA-256 (written by an older version): "
                           "checked by size only");
  }
  // Files of ids outside the batch, and temporaries left by killed runs.
  for (const std::string& folder : batchOutputFolders()) {
    for (fs::directory_iterator it(out / folder, ec), end; !ec && it != end; it.increment(ec)) {
      const std::string name = it->path().filename().string();
      if (isTemporaryName(name)) {
        report.notes.push_back("temporary file '" + it->path().string() +
                               "' left by an interrupted run (not part of the dataset; the next "
                               "batch run removes it)");
      } else if (!ids.count(it->path().stem().string())) {
        report.problems.push_back("'" + it->path().string() + "' belongs to no item of batch.json");
      }
    }
  }
  for (const fs::path& folder : {out, out / "shards"}) {
    for (fs::directory_iterator it(folder, ec), end; !ec && it != end; it.increment(ec)) {
      if (isTemporaryName(it->path().filename().string())) {
        report.notes.push_back("temporary file '" + it->path().string() +
                               "' left by an interrupted run (not part of the dataset; the next "
                               "batch run removes it)");
      }
    }
  }

  if (options.shard_count) {
    const int count = *options.shard_count;
    std::map<std::string, int> owner;
    for (int index = 0; index < count; ++index) {
      const fs::path path =
          out / "shards" /
          ("shard-" + std::to_string(index) + "-of-" + std::to_string(count) + ".json");
      json shard;
      try {
        if (!fs::is_regular_file(path, ec)) {
          report.problems.push_back("shard " + std::to_string(index) + "/" + std::to_string(count) +
                                    " has not finished: '" + path.string() + "' is missing");
          continue;
        }
        shard = json::parse(readText(path));
      } catch (const std::exception&) {
        report.problems.push_back("'" + path.string() + "' is not valid JSON");
        continue;
      }
      if (shard.value("failed", 0) > 0) {
        report.problems.push_back("shard " + std::to_string(index) + "/" + std::to_string(count) +
                                  " reported " + std::to_string(shard.value("failed", 0)) +
                                  " failed items in its last run");
      }
      for (const json& id_json : shard.value("ids", json::array())) {
        const std::string id = id_json.get<std::string>();
        const auto [it, inserted] = owner.emplace(id, index);
        if (!inserted) {
          report.problems.push_back("item '" + id + "' is in shards " + std::to_string(it->second) +
                                    " and " + std::to_string(index));
        }
        if (!ids.count(id))
          report.problems.push_back("shard " + std::to_string(index) + " ran item '" + id +
                                    "' that batch.json does not list");
      }
    }
    int uncovered = 0;
    for (const std::string& id : ids) uncovered += owner.count(id) ? 0 : 1;
    if (uncovered > 0) {
      report.problems.push_back(
          std::to_string(uncovered) + " items of batch.json are in no shard summary of " +
          std::to_string(count) + " shards (was the batch run with another shard count?)");
    }
  }
  return report;
}

std::string formatBatchVerifyReport(const BatchVerifyReport& report, int max_lines) {
  std::ostringstream out;
  out << report.complete_items << " of " << report.expected_items << " items complete";
  const auto notes = [&]() {
    for (const std::string& note : report.notes) out << "note: " << note << "\n";
  };
  if (report.ok()) {
    out << ": OK\n";
    notes();
    return out.str();
  }
  out << "; " << report.missing_items.size() << " missing, " << report.problems.size()
      << " other problems\n";
  auto list = [&](const std::vector<std::string>& lines, const std::string& prefix) {
    const int shown = std::min<int>(max_lines, static_cast<int>(lines.size()));
    for (int i = 0; i < shown; ++i) out << prefix << lines[static_cast<std::size_t>(i)] << "\n";
    if (static_cast<int>(lines.size()) > shown) {
      out << "  ... and " << lines.size() - static_cast<std::size_t>(shown) << " more\n";
    }
  };
  if (!report.missing_items.empty()) {
    out << "missing items (no meta JSON):\n";
    list(report.missing_items, "  ");
  }
  if (!report.problems.empty()) {
    out << "problems:\n";
    list(report.problems, "  ");
  }
  notes();
  return out.str();
}

std::string batchVerifyReportToJson(const BatchVerifyReport& report) {
  json doc = {{"ok", report.ok()},
              {"expected_items", report.expected_items},
              {"complete_items", report.complete_items},
              {"missing_items", report.missing_items},
              {"problems", report.problems},
              {"notes", report.notes}};
  return dumpJsonDocument(doc);
}

}  // namespace genstereo
