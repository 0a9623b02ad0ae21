// Lookup in the Hugging Face hub cache, so weights fetched by the official code,
// huggingface-cli or any huggingface_hub client are used in place, without copying.
// Cache folder: $HF_HUB_CACHE, else $HUGGINGFACE_HUB_CACHE (legacy), else $HF_HOME/hub, else
// $XDG_CACHE_HOME/huggingface/hub, else ~/.cache/huggingface/hub.
// Layout: models--OWNER--NAME/refs/REVISION (a file holding the commit),
//         models--OWNER--NAME/snapshots/COMMIT/PATH (usually a link into ../../blobs/ETAG,
//         where ETAG is the sha256 of an LFS file).
#pragma once

#include <filesystem>
#include <optional>
#include <string>

namespace genstereo {

// The cache folder by the rules above (it may not exist).
std::filesystem::path hfHubCacheDir();

// "models--OWNER--NAME" for "OWNER/NAME".
std::string hfCacheRepoFolderName(const std::string& repo);

struct HfCacheHit {
  std::filesystem::path path;  // .../snapshots/COMMIT/PATH
  std::string commit;
  std::string blob_sha256;  // the blob's name when it is a 64-digit hex sha256, else empty
};

// The file `path` of `repo` at `revision` in `cache_dir`: through refs/REVISION (or the snapshot
// named by a commit hash); for a branch name, else in any snapshot that has it (most recently
// modified first).
// std::nullopt when the cache does not have it.
std::optional<HfCacheHit> findInHfCache(const std::filesystem::path& cache_dir,
                                        const std::string& repo, const std::string& revision,
                                        const std::string& path);

}  // namespace genstereo
