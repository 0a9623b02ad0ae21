#include "engine/module/models_module_loader.h"

#include <dlfcn.h>

#include <atomic>
#include <cstdlib>
#include <mutex>
#include <string>
#include <system_error>

#include "errors.h"

namespace genstereo {
namespace fs = std::filesystem;

namespace {

std::mutex g_mutex;
std::atomic<const ModelsModuleApi*> g_api{nullptr};
fs::path g_path;  // written once under g_mutex before g_api

fs::path programFolder() {
  std::error_code ec;
  const fs::path program = fs::read_symlink("/proc/self/exe", ec);
  return ec ? fs::path() : program.parent_path();
}

std::string describeCandidates(const std::vector<fs::path>& candidates) {
  std::string text;
  for (const fs::path& path : candidates)
    text += (text.empty() ? "'" : ", '") + path.string() + "'";
  return text;
}

const ModelsModuleApi& checked(const ModelsModuleApi* api, const fs::path& path) {
  const ModelsModuleApi expected;
  if (api == nullptr || api->abi != expected.abi || std::string(api->version) != expected.version ||
      api->options_size != expected.options_size || api->settings_size != expected.settings_size ||
      api->counters_size != expected.counters_size) {
    throw Error("the neural models library '" + path.string() +
                "' comes from another build of GenStereo " + "(expected version " +
                expected.version + ", interface " + std::to_string(expected.abi) +
                (api ? ", found version " + std::string(api->version) + ", interface " +
                           std::to_string(api->abi)
                     : std::string(", found no interface table")) +
                "): reinstall GenStereo or point GENSTEREO_MODELS_MODULE at the matching file");
  }
  return *api;
}

}  // namespace

std::vector<fs::path> modelsModuleCandidates() {
  std::vector<fs::path> candidates;
  if (const char* overridden = std::getenv("GENSTEREO_MODELS_MODULE"); overridden && *overridden) {
    candidates.emplace_back(overridden);
    return candidates;  // an explicit choice: nothing else is tried
  }
  const fs::path folder = programFolder();
  if (!folder.empty()) {
    candidates.push_back(folder / kModelsModuleFileName);
#ifdef GENSTEREO_MODELS_MODULE_RELATIVE_DIR
    candidates.push_back(
        (folder / GENSTEREO_MODELS_MODULE_RELATIVE_DIR / kModelsModuleFileName).lexically_normal());
#endif
  }
#ifdef GENSTEREO_MODELS_MODULE_BUILD_PATH
  candidates.emplace_back(GENSTEREO_MODELS_MODULE_BUILD_PATH);
#endif
  return candidates;
}

bool modelsModuleIsPresent() {
  std::error_code ec;
  for (const fs::path& path : modelsModuleCandidates()) {
    if (fs::is_regular_file(path, ec)) return true;
  }
  return false;
}

const ModelsModuleApi* loadedModelsModule() { return g_api.load(std::memory_order_acquire); }

fs::path loadedModelsModulePath() { return loadedModelsModule() != nullptr ? g_path : fs::path(); }

const ModelsModuleApi& modelsModule() {
  if (const ModelsModuleApi* api = loadedModelsModule()) return *api;
  const std::lock_guard<std::mutex> lock(g_mutex);
  if (const ModelsModuleApi* api = loadedModelsModule()) return *api;
  const std::vector<fs::path> candidates = modelsModuleCandidates();
  std::error_code ec;
  for (const fs::path& path : candidates) {
    if (!fs::is_regular_file(path, ec)) continue;
    dlerror();  // clear
    // RTLD_NOW: a missing symbol is reported here, not as a crash in the middle of a run.
    void* handle = dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL);
    if (handle == nullptr) {
      const char* why = dlerror();
      throw Error("cannot load the neural models library '" + path.string() +
                  "': " + (why ? why : "unknown error") +
                  " (it needs LibTorch: on Debian, the package libtorch1.13)");
    }
    auto entry = reinterpret_cast<ModelsModuleEntry>(dlsym(handle, kModelsModuleEntry));
    if (entry == nullptr) {
      dlclose(handle);
      throw Error("'" + path.string() + "' is not a GenStereo neural models library (no " +
                  kModelsModuleEntry + ")");
    }
    const ModelsModuleApi* api = nullptr;
    try {
      api = &checked(entry(), path);
    } catch (...) {
      dlclose(handle);
      throw;
    }
    // The handle stays open for the rest of the process.
    g_path = path;
    g_api.store(api, std::memory_order_release);
    return *api;
  }
  throw Error("this run needs the neural models (depth or diffusion), but their library " +
              std::string(kModelsModuleFileName) + " was not found: looked at " +
              describeCandidates(candidates) +
              "; reinstall GenStereo, set GENSTEREO_MODELS_MODULE to the file, or give a disparity "
              "or depth map "
              "and use the weight-free engine");
}

}  // namespace genstereo
