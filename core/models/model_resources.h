// The model resources compiled into genstereo_core (resources/models/, embedded at build time
// by cmake/EmbedResource.cmake): the catalogue of downloadable files and the key/shape lists
// of the released checkpoints.
#pragma once

#include <string_view>

namespace genstereo {

// resources/models/catalog.json.
std::string_view builtinModelCatalogJson();
// resources/models/manifests.txt (format: see model_manifest.h).
std::string_view builtinModelManifestsText();

}  // namespace genstereo
