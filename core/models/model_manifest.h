// What a released checkpoint holds: its state-dict keys and tensor shapes ("manifest"), as the
// official code builds the network at full size, and the rules the engine's loader applies when
// matching a file against it (legacy names, ignored extra keys).
//
// Text format (resources/models/manifests.txt): sections "[NAME]", then one tensor per line,
// "KEY DIM,DIM,..." ("-" for a scalar); lines starting with '#' and blank lines are ignored.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace genstereo {

struct ManifestTensor {
  std::string key;
  std::vector<std::int64_t> shape;
};

struct ModelManifest {
  std::string name;
  std::vector<ManifestTensor> tensors;  // in the file's order
};

// The same rules as StateDictLoadOptions of the engine's loader (core/nn/state_dict_loader.h).
struct ManifestCheckRules {
  // File key fragments renamed before matching, in order (e.g. ".query." -> ".to_q.").
  std::vector<std::pair<std::string, std::string>> renames;
  // File keys that may be present without being in the manifest.
  std::vector<std::string> ignored_keys;
  // Accept an [out, in, 1, 1] file tensor for an [out, in] manifest tensor.
  bool accept_pointwise_conv_as_linear = false;
};

// Parses the text format. `source` names the text in errors. Throws InputError naming the
// source and line for a malformed line or a repeated section.
std::map<std::string, ModelManifest> parseModelManifests(std::string_view text,
                                                         const std::string& source);

// The manifests of resources/models/manifests.txt (parsed on each call, a few milliseconds).
std::map<std::string, ModelManifest> builtinModelManifests();

// Writes manifests in the text format (tests and tools describe files with it).
std::string formatModelManifests(const std::vector<ModelManifest>& manifests);

}  // namespace genstereo
