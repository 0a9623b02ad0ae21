// Compares a module's state-dict keys and shapes with a manifest of a real checkpoint
// (../shared/fixtures/manifests/*.json, copied to tests/data/manifests).
#pragma once

#include <filesystem>
#include <string>

#include <torch/nn/module.h>

namespace genstereo::test {

// Empty when the module has exactly the manifest's keys (order-independent) and shapes;
// otherwise a readable list of the differences.
std::string compareWithManifest(const torch::nn::Module& module,
                                const std::filesystem::path& manifest);

}  // namespace genstereo::test
