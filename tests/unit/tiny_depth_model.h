// The tiny random Depth Anything V2 of the test data (tests/data/dav2, ../shared/fixtures/
// dav2_tiny) set up as a models folder holds it: the weights under the ViT-S name and an
// architecture file (nn/architecture_file.h) giving its small size. One helper for the nn tests
// and the workbench's QTests.
#pragma once

#include <filesystem>
#include <string>

namespace genstereo::test {

// The architecture file's JSON text for the tiny model whose dav2_params.json is in `dav2_dir`.
// Throws when the file is missing or malformed.
std::string tinyDepthArchitectureJson(const std::filesystem::path& dav2_dir);

// Writes the architecture file into `models_dir` and links dav2_vits_random.safetensors of
// `dav2_dir` there as depth_anything_v2_vits.safetensors.
void installTinyDepthModel(const std::filesystem::path& dav2_dir,
                           const std::filesystem::path& models_dir);

}  // namespace genstereo::test
