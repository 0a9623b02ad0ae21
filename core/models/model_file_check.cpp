#include "models/model_file_check.h"

#include <algorithm>
#include <system_error>
#include <unordered_map>
#include <vector>

#include "errors.h"
#include "io/checkpoint_file.h"

namespace genstereo {
namespace fs = std::filesystem;

namespace {

std::string renamed(std::string key, const ManifestCheckRules& rules) {
  for (const auto& [from, to] : rules.renames) {
    const std::size_t at = key.find(from);
    if (at != std::string::npos) key.replace(at, from.size(), to);
  }
  return key;
}

bool shapesMatch(const std::vector<std::int64_t>& expected, const std::vector<std::int64_t>& found,
                 bool accept_pointwise_conv_as_linear) {
  if (expected == found) return true;
  return accept_pointwise_conv_as_linear && expected.size() == 2 && found.size() == 4 &&
         found[0] == expected[0] && found[1] == expected[1] && found[2] == 1 && found[3] == 1;
}

std::string firstFew(const std::vector<std::string>& keys) {
  std::string list;
  for (std::size_t i = 0; i < keys.size() && i < 3; ++i)
    list += (i == 0 ? "'" : ", '") + keys[i] + "'";
  if (keys.size() > 3) list += ", ...";
  return list;
}

}  // namespace

const char* toString(ModelFileState state) {
  switch (state) {
    case ModelFileState::kPresent:
      return "present";
    case ModelFileState::kMissing:
      return "missing";
    case ModelFileState::kInvalid:
      return "invalid";
  }
  return "?";
}

ModelFileCheck checkModelFile(const fs::path& path, const ModelManifest* manifest,
                              const ManifestCheckRules& rules) {
  ModelFileCheck check;
  check.path = path;
  std::error_code ec;
  const fs::file_status status = fs::status(path, ec);
  if (ec || !fs::exists(status)) {
    check.state = ModelFileState::kMissing;
    check.reason = "'" + path.string() + "' does not exist";
    return check;
  }
  check.state = ModelFileState::kInvalid;
  if (!fs::is_regular_file(status)) {
    check.reason = "'" + path.string() + "' is not a regular file";
    return check;
  }
  check.size_bytes = fs::file_size(path, ec);
  if (ec) {
    check.reason = "'" + path.string() + "' cannot be read: " + ec.message();
    return check;
  }
  if (check.size_bytes == 0) {
    check.reason = "'" + path.string() + "' is empty (0 bytes)";
    return check;
  }
  std::unique_ptr<CheckpointFile> file;
  try {
    file = CheckpointFile::open(path);
  } catch (const Error& e) {
    check.reason = e.what();
    return check;
  } catch (const std::exception& e) {
    check.reason = "'" + path.string() + "' cannot be read as a checkpoint: " + e.what();
    return check;
  }
  check.num_tensors = file->entries().size();
  if (manifest != nullptr) {
    std::unordered_map<std::string, const CheckpointEntry*> by_key;
    std::vector<std::string> unexpected;
    for (const CheckpointEntry& entry : file->entries()) {
      if (std::find(rules.ignored_keys.begin(), rules.ignored_keys.end(), entry.name) !=
          rules.ignored_keys.end())
        continue;
      by_key.emplace(renamed(entry.name, rules), &entry);
    }
    std::vector<std::string> missing;
    for (const ManifestTensor& expected : manifest->tensors) {
      const auto it = by_key.find(expected.key);
      if (it == by_key.end()) {
        missing.push_back(expected.key);
        continue;
      }
      if (!shapesMatch(expected.shape, it->second->shape, rules.accept_pointwise_conv_as_linear)) {
        check.reason = "'" + path.string() + "' does not match " + manifest->name + ": tensor '" +
                       it->second->name + "' has shape " + shapeToString(it->second->shape) +
                       ", expected " + shapeToString(expected.shape);
        return check;
      }
      by_key.erase(it);
    }
    if (!missing.empty()) {
      check.reason = "'" + path.string() + "' does not match " + manifest->name + ": " +
                     std::to_string(missing.size()) + " of " +
                     std::to_string(manifest->tensors.size()) + " tensors missing (" +
                     firstFew(missing) + ")";
      return check;
    }
    if (!by_key.empty()) {
      for (const CheckpointEntry& entry : file->entries()) {
        if (by_key.count(renamed(entry.name, rules)) != 0) unexpected.push_back(entry.name);
      }
      check.reason = "'" + path.string() + "' does not match " + manifest->name + ": " +
                     std::to_string(unexpected.size()) + " unexpected tensors (" +
                     firstFew(unexpected) + ")";
      return check;
    }
  }
  check.state = ModelFileState::kPresent;
  return check;
}

}  // namespace genstereo
