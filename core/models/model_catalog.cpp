#include "models/model_catalog.h"

#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <system_error>

#include <nlohmann/json.hpp>

#include "errors.h"
#include "models/model_resources.h"

namespace genstereo {
namespace fs = std::filesystem;
using nlohmann::json;

namespace {

std::string requiredString(const json& entry, const char* key, const std::string& where) {
  const auto it = entry.find(key);
  if (it == entry.end() || !it->is_string() || it->get<std::string>().empty()) {
    throw InputError(where + ": field \"" + key + "\" is missing or not a non-empty string");
  }
  return it->get<std::string>();
}

std::string optionalString(const json& entry, const char* key, const std::string& where) {
  const auto it = entry.find(key);
  if (it == entry.end() || it->is_null()) return {};
  if (!it->is_string())
    throw InputError(where + ": field \"" + key + "\" must be a string or null");
  return it->get<std::string>();
}

bool optionalBool(const json& entry, const char* key, bool fallback, const std::string& where) {
  const auto it = entry.find(key);
  if (it == entry.end() || it->is_null()) return fallback;
  if (!it->is_boolean()) throw InputError(where + ": field \"" + key + "\" must be true or false");
  return it->get<bool>();
}

bool isLowerHex(const std::string& text, std::size_t length) {
  if (text.size() != length) return false;
  for (char c : text) {
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
  }
  return true;
}

ManifestCheckRules parseRules(const json& entry, const std::string& where) {
  ManifestCheckRules rules;
  const auto it = entry.find("check");
  if (it == entry.end() || it->is_null()) return rules;
  try {
    if (it->contains("renames")) {
      for (const json& pair : it->at("renames")) {
        rules.renames.emplace_back(pair.at(0).get<std::string>(), pair.at(1).get<std::string>());
      }
    }
    if (it->contains("ignored_keys"))
      rules.ignored_keys = it->at("ignored_keys").get<std::vector<std::string>>();
    rules.accept_pointwise_conv_as_linear = it->value("accept_pointwise_conv_as_linear", false);
  } catch (const json::exception& e) {
    throw InputError(where + ": malformed \"check\" (" + e.what() + ")");
  }
  return rules;
}

CatalogFile parseFile(const json& entry, const std::string& where) {
  if (!entry.is_object()) throw InputError(where + ": not a JSON object");
  CatalogFile file;
  file.id = requiredString(entry, "id", where);
  const std::string at = where + " (\"" + file.id + "\")";
  file.title = optionalString(entry, "title", at);
  if (file.title.empty()) file.title = file.id;
  file.repo = requiredString(entry, "repo", at);
  if (file.repo.find('/') == std::string::npos)
    throw InputError(at + ": repo must be OWNER/NAME, found '" + file.repo + "'");
  file.path = requiredString(entry, "path", at);
  file.revision = requiredString(entry, "revision", at);
  file.is_revision_pinned = optionalBool(entry, "revision_pinned", false, at);
  if (file.is_revision_pinned && !isLowerHex(file.revision, 40)) {
    throw InputError(at + ": revision_pinned is true but revision '" + file.revision +
                     "' is not a 40-digit commit hash");
  }
  const auto size = entry.find("size_bytes");
  if (size != entry.end() && !size->is_null()) {
    if (!size->is_number_unsigned())
      throw InputError(at + ": size_bytes must be a non-negative integer");
    file.size_bytes = size->get<std::uint64_t>();
  }
  file.is_size_approximate = optionalBool(entry, "size_is_approximate", true, at);
  file.sha256 = optionalString(entry, "sha256", at);
  if (!file.sha256.empty() && !isLowerHex(file.sha256, 64)) {
    throw InputError(at + ": sha256 must be 64 lowercase hex digits or null, found '" +
                     file.sha256 + "'");
  }
  file.license = optionalString(entry, "license", at);
  file.license_note = optionalString(entry, "license_note", at);
  file.is_non_commercial = optionalBool(entry, "non_commercial", false, at);
  file.local_name = requiredString(entry, "local_name", at);
  const fs::path local(file.local_name);
  if (local.is_absolute() || file.local_name.find("..") != std::string::npos) {
    throw InputError(at + ": local_name must be a relative path inside the models folder, found '" +
                     file.local_name + "'");
  }
  file.manifest = optionalString(entry, "manifest", at);
  file.check = parseRules(entry, at);
  return file;
}

// A catalogue or manifests file: a regular file of at most kMaxTextFileBytes (a FIFO or a
// device such as /dev/zero would block or never end).
constexpr std::uintmax_t kMaxTextFileBytes = std::uintmax_t{64} << 20;

std::string readTextFile(const fs::path& path, const std::string& what) {
  std::error_code error;
  const fs::file_status status = fs::status(path, error);
  if (error || !fs::exists(status))
    throw InputError(what + " '" + path.string() + "' does not exist");
  if (!fs::is_regular_file(status)) {
    throw InputError(what + " '" + path.string() +
                     "' is not a regular file (a folder, FIFO or device?)");
  }
  const std::uintmax_t size_bytes = fs::file_size(path, error);
  if (error || size_bytes > kMaxTextFileBytes) {
    throw InputError(what + " '" + path.string() + "' is larger than 64 MiB: not a catalogue");
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) throw InputError(what + " '" + path.string() + "' cannot be read");
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

}  // namespace

const CatalogFile* ModelCatalog::findFile(const std::string& id) const {
  for (const CatalogFile& file : files) {
    if (file.id == id) return &file;
  }
  return nullptr;
}

const CatalogModel* ModelCatalog::findModel(const std::string& id) const {
  for (const CatalogModel& model : models) {
    if (model.id == id) return &model;
  }
  return nullptr;
}

const ModelManifest* ModelCatalog::manifestFor(const CatalogFile& file) const {
  if (file.manifest.empty()) return nullptr;
  const auto it = manifests.find(file.manifest);
  return it == manifests.end() ? nullptr : &it->second;
}

std::vector<const CatalogFile*> ModelCatalog::filesOf(
    const std::vector<std::string>& model_ids) const {
  std::vector<const CatalogFile*> result;
  std::set<std::string> seen;
  for (const std::string& id : model_ids) {
    const CatalogModel* model = findModel(id);
    if (model == nullptr) {
      throw InputError("unknown model '" + id + "' (known: " + modelIdList() + ")");
    }
    for (const std::string& file_id : model->file_ids) {
      if (seen.insert(file_id).second) result.push_back(findFile(file_id));
    }
  }
  return result;
}

std::string ModelCatalog::modelIdList() const {
  std::string list;
  for (const CatalogModel& model : models) list += (list.empty() ? "" : ", ") + model.id;
  return list;
}

ModelCatalog parseModelCatalog(std::string_view json_text, const std::string& source,
                               const fs::path& base_dir) {
  json root;
  try {
    root = json::parse(json_text.begin(), json_text.end());
  } catch (const json::exception& e) {
    throw InputError("model catalogue " + source + " is not valid JSON: " + e.what());
  }
  if (!root.is_object() || !root.contains("files") || !root["files"].is_array() ||
      !root.contains("models") || !root["models"].is_array()) {
    throw InputError("model catalogue " + source + " needs the arrays \"files\" and \"models\"");
  }
  ModelCatalog catalog;
  catalog.source = source;
  catalog.manifests = builtinModelManifests();
  const std::string manifests_file =
      optionalString(root, "manifests_file", "model catalogue " + source);
  if (!manifests_file.empty()) {
    fs::path path(manifests_file);
    if (path.is_relative()) path = base_dir / path;
    for (auto& [name, manifest] :
         parseModelManifests(readTextFile(path, "manifests file"), path.string())) {
      catalog.manifests[name] = std::move(manifest);
    }
  }
  std::set<std::string> local_names;
  for (std::size_t i = 0; i < root["files"].size(); ++i) {
    const std::string where = "model catalogue " + source + ", files[" + std::to_string(i) + "]";
    CatalogFile file = parseFile(root["files"][i], where);
    if (catalog.findFile(file.id) != nullptr)
      throw InputError(where + ": file id '" + file.id + "' appears twice");
    if (!local_names.insert(file.local_name).second) {
      throw InputError(where + ": local_name '" + file.local_name + "' appears twice");
    }
    if (!file.manifest.empty() && catalog.manifests.count(file.manifest) == 0) {
      throw InputError(where + ": unknown manifest '" + file.manifest + "'");
    }
    catalog.files.push_back(std::move(file));
  }
  for (std::size_t i = 0; i < root["models"].size(); ++i) {
    const std::string where = "model catalogue " + source + ", models[" + std::to_string(i) + "]";
    const json& entry = root["models"][i];
    if (!entry.is_object()) throw InputError(where + ": not a JSON object");
    CatalogModel model;
    model.id = requiredString(entry, "id", where);
    model.title = optionalString(entry, "title", where);
    if (catalog.findModel(model.id) != nullptr)
      throw InputError(where + ": model id '" + model.id + "' appears twice");
    if (!entry.contains("files") || !entry["files"].is_array() || entry["files"].empty()) {
      throw InputError(where + " (\"" + model.id +
                       "\"): \"files\" must be a non-empty array of file ids");
    }
    for (const json& id : entry["files"]) {
      if (!id.is_string() || catalog.findFile(id.get<std::string>()) == nullptr) {
        throw InputError(where + " (\"" + model.id + "\"): unknown file id " + id.dump());
      }
      model.file_ids.push_back(id.get<std::string>());
    }
    catalog.models.push_back(std::move(model));
  }
  return catalog;
}

ModelCatalog builtinModelCatalog() {
  return parseModelCatalog(builtinModelCatalogJson(), "built-in");
}

ModelCatalog loadModelCatalog(const fs::path& explicit_path) {
  fs::path path = explicit_path;
  if (path.empty()) {
    const char* env = std::getenv("GENSTEREO_MODEL_CATALOG");
    if (env != nullptr && *env != '\0') path = env;
  }
  if (path.empty()) return builtinModelCatalog();
  return parseModelCatalog(readTextFile(path, "model catalogue"), path.string(),
                           path.parent_path());
}

}  // namespace genstereo
