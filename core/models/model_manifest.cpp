#include "models/model_manifest.h"

#include <cstdlib>

#include "errors.h"
#include "models/model_resources.h"

namespace genstereo {

namespace {

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t' || s.front() == '\r'))
    s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r'))
    s.remove_suffix(1);
  return s;
}

bool parseShape(std::string_view text, std::vector<std::int64_t>& shape) {
  shape.clear();
  if (text == "-") return true;
  while (!text.empty()) {
    const std::size_t comma = text.find(',');
    const std::string item(text.substr(0, comma));
    if (item.empty()) return false;
    char* end = nullptr;
    const long long value = std::strtoll(item.c_str(), &end, 10);
    if (*end != '\0' || value < 0) return false;
    shape.push_back(value);
    if (comma == std::string_view::npos) break;
    text.remove_prefix(comma + 1);
    if (text.empty()) return false;
  }
  return !shape.empty();
}

}  // namespace

std::map<std::string, ModelManifest> parseModelManifests(std::string_view text,
                                                         const std::string& source) {
  std::map<std::string, ModelManifest> manifests;
  ModelManifest* current = nullptr;
  int line_number = 0;
  while (!text.empty()) {
    const std::size_t newline = text.find('\n');
    const std::string_view line = trim(text.substr(0, newline));
    text.remove_prefix(newline == std::string_view::npos ? text.size() : newline + 1);
    ++line_number;
    if (line.empty() || line.front() == '#') continue;
    const std::string where = source + ", line " + std::to_string(line_number);
    if (line.front() == '[') {
      if (line.back() != ']' || line.size() < 3)
        throw InputError(where + ": malformed section '" + std::string(line) + "'");
      const std::string name(line.substr(1, line.size() - 2));
      if (manifests.count(name) != 0)
        throw InputError(where + ": manifest '" + name + "' appears twice");
      current = &manifests[name];
      current->name = name;
      continue;
    }
    if (current == nullptr) throw InputError(where + ": tensor line before any [SECTION]");
    const std::size_t space = line.find(' ');
    ManifestTensor tensor;
    if (space == std::string_view::npos ||
        !parseShape(trim(line.substr(space + 1)), tensor.shape)) {
      throw InputError(where + ": expected 'KEY DIM,DIM,...', found '" + std::string(line) + "'");
    }
    tensor.key = std::string(line.substr(0, space));
    current->tensors.push_back(std::move(tensor));
  }
  return manifests;
}

std::map<std::string, ModelManifest> builtinModelManifests() {
  return parseModelManifests(builtinModelManifestsText(),
                             "built-in resources/models/manifests.txt");
}

std::string formatModelManifests(const std::vector<ModelManifest>& manifests) {
  std::string text;
  for (const ModelManifest& manifest : manifests) {
    text += "[" + manifest.name + "]\n";
    for (const ManifestTensor& tensor : manifest.tensors) {
      text += tensor.key + " ";
      if (tensor.shape.empty()) text += "-";
      for (std::size_t i = 0; i < tensor.shape.size(); ++i) {
        text += (i == 0 ? "" : ",") + std::to_string(tensor.shape[i]);
      }
      text += "\n";
    }
  }
  return text;
}

}  // namespace genstereo
