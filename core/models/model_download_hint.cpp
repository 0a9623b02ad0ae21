#include "models/model_download_hint.h"

#include <algorithm>
#include <cctype>
#include <system_error>

#include "models/default_models_folder.h"

namespace genstereo {

namespace {

bool isDefaultModelsFolder(const std::filesystem::path& folder) {
  if (folder.empty()) return true;
  const std::filesystem::path default_folder = defaultModelsFolder();
  if (folder.lexically_normal() == default_folder.lexically_normal()) return true;
  std::error_code ec;
  return std::filesystem::equivalent(folder, default_folder, ec) && !ec;
}

}  // namespace

std::string shellQuote(const std::string& text) {
  const bool is_safe = !text.empty() && std::all_of(text.begin(), text.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) ||
           std::string("/._-+:=,@").find(c) != std::string::npos;
  });
  if (is_safe) return text;
  std::string quoted = "'";
  for (char c : text) quoted += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return quoted + "'";
}

std::string modelsDownloadCommand(const std::vector<std::string>& model_ids,
                                  const ModelCatalog& catalog,
                                  const std::filesystem::path& models_dir) {
  if (model_ids.empty()) return {};
  std::string command = "genstereo-cli models download";
  for (const std::string& id : model_ids) command += " " + id;
  if (!isDefaultModelsFolder(models_dir)) command += " --models " + shellQuote(models_dir.string());
  if (catalog.source != "built-in" && !catalog.source.empty()) {
    command += " --catalog " + shellQuote(catalog.source);
  }
  return command;
}

}  // namespace genstereo
