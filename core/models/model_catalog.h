// The catalogue of downloadable model files, as data (resources/models/catalog.json, compiled
// in; another file with --catalog FILE or the GENSTEREO_MODEL_CATALOG environment variable, for
// tests and mirrors). Every file: its Hugging Face repository, path and revision, size, sha256,
// licence and the name the engine expects in the models folder. Model ids group files:
// depth-small, depth-base, depth-large, video-depth-small, video-depth-base, video-depth-large,
// sd15, sd21.
//
// What could not be established offline is marked, never invented (docs/models.md): revision
// "main" with is_revision_pinned false; sha256 empty (verified against the hub's X-Linked-Etag
// at download, then recorded); size_bytes approximate (parameters x 4 bytes) with
// is_size_approximate true, used for the disk-space check only.
#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "models/model_manifest.h"

namespace genstereo {

struct CatalogFile {
  std::string id;     // e.g. "depth_anything_v2_vits", "genstereo-v2.1_reference_unet"
  std::string title;  // e.g. "Depth Anything V2 Small (ViT-S)"
  std::string repo;   // "OWNER/NAME" on the hub
  std::string path;   // inside the repository, e.g. "image_encoder/pytorch_model.bin"
  std::string revision = "main";
  bool is_revision_pinned = false;  // true when `revision` is a commit hash
  std::uint64_t size_bytes = 0;     // 0 = unknown
  bool is_size_approximate = true;
  std::string sha256;   // lowercase hex; empty = not recorded in the catalogue
  std::string license;  // SPDX-like id; empty = not recorded (see license_note)
  std::string license_note;
  bool is_non_commercial = false;
  std::string local_name;  // relative to the models folder
  std::string manifest;    // manifest name; empty = container check only
  ManifestCheckRules check;
};

struct CatalogModel {
  std::string id;  // "depth-small", "sd21", ...
  std::string title;
  std::vector<std::string> file_ids;
};

struct ModelCatalog {
  std::string source;  // "built-in" or the file it was read from
  std::vector<CatalogFile> files;
  std::vector<CatalogModel> models;
  std::map<std::string, ModelManifest> manifests;  // built-in ones plus the catalogue's own

  const CatalogFile* findFile(const std::string& id) const;
  const CatalogModel* findModel(const std::string& id) const;
  // The manifest of a file, or nullptr when it names none.
  const ModelManifest* manifestFor(const CatalogFile& file) const;
  // The files of the given models, each once, in catalogue order of the models given. Throws
  // InputError for an unknown id, listing the known ones.
  std::vector<const CatalogFile*> filesOf(const std::vector<std::string>& model_ids) const;
  // "depth-small, depth-base, depth-large, video-depth-small, ..., sd15, sd21".
  std::string modelIdList() const;
};

// Parses a catalogue. `source` names it in errors; `base_dir` resolves a relative
// "manifests_file". Throws InputError naming the source and the entry for anything malformed
// (missing field, unknown file id in a model, unknown manifest, duplicate id).
ModelCatalog parseModelCatalog(std::string_view json_text, const std::string& source,
                               const std::filesystem::path& base_dir = {});

// The catalogue to use: `explicit_path` when not empty (--catalog FILE), else the file named by
// GENSTEREO_MODEL_CATALOG when that is set and not empty, else the built-in one.
ModelCatalog loadModelCatalog(const std::filesystem::path& explicit_path = {});

// The built-in catalogue (resources/models/catalog.json).
ModelCatalog builtinModelCatalog();

}  // namespace genstereo
