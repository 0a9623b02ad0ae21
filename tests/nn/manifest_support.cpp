#include "manifest_support.h"

#include <fstream>
#include <map>
#include <vector>

#include <nlohmann/json.hpp>

#include "io/checkpoint_file.h"
#include "nn/state_dict_loader.h"

namespace genstereo::test {

std::string compareWithManifest(const torch::nn::Module& module,
                                const std::filesystem::path& manifest) {
  std::ifstream in(manifest);
  const nlohmann::json doc = nlohmann::json::parse(in);
  std::map<std::string, std::vector<std::int64_t>> expected;
  for (const auto& t : doc["tensors"])
    expected[t["key"].get<std::string>()] = t["shape"].get<std::vector<std::int64_t>>();
  std::map<std::string, std::vector<std::int64_t>> actual;
  for (const CheckpointEntry& e : describeStateDict(module)) actual[e.name] = e.shape;
  std::string report;
  int lines = 0;
  auto note = [&](const std::string& line) {
    if (lines++ < 20) report += line + "\n";
  };
  for (const auto& [key, shape] : expected) {
    const auto it = actual.find(key);
    if (it == actual.end()) {
      note("missing " + key + " " + shapeToString(shape));
    } else if (it->second != shape) {
      note("shape of " + key + ": " + shapeToString(it->second) + ", manifest " +
           shapeToString(shape));
    }
  }
  for (const auto& [key, shape] : actual) {
    if (expected.count(key) == 0) note("unexpected " + key + " " + shapeToString(shape));
  }
  if (lines > 20) report += "... " + std::to_string(lines - 20) + " more\n";
  return report;
}

}  // namespace genstereo::test
