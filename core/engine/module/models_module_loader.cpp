#include "engine/module/models_module_loader.h"

#include <dlfcn.h>
#include <elf.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <mutex>
#include <string>
#include <system_error>
#include <vector>

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

// True when `folder` is `root` or inside it (both made absolute and normal, no file access).
bool isInside(const fs::path& folder, const fs::path& root) {
  if (folder.empty() || root.empty()) return false;
  const fs::path a = folder.lexically_normal();
  const fs::path b = root.lexically_normal();
  auto it = a.begin();
  for (auto root_it = b.begin(); root_it != b.end(); ++root_it, ++it) {
    if (root_it->empty()) continue;  // a trailing separator
    if (it == a.end() || *it != *root_it) return false;
  }
  return true;
}

// The ELF header and the program and section header tables of a 64-bit module must lie inside
// the file: a module cut short by an interrupted copy otherwise makes dlopen read past the end
// of its mapping and the process dies of SIGBUS. Returns the problem, or empty.
std::string elfProblem(const fs::path& path) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC);
  if (fd < 0) return std::string("cannot be opened: ") + std::strerror(errno);
  struct stat info {};
  Elf64_Ehdr header{};
  const bool is_regular = ::fstat(fd, &info) == 0 && S_ISREG(info.st_mode);
  const ssize_t got = is_regular ? ::pread(fd, &header, sizeof(header), 0) : -1;
  std::vector<Elf64_Phdr> segments;
  if (got == static_cast<ssize_t>(sizeof(header)) && header.e_phentsize == sizeof(Elf64_Phdr) &&
      header.e_phnum < 4096) {
    segments.resize(header.e_phnum);
    const ssize_t bytes = static_cast<ssize_t>(segments.size() * sizeof(Elf64_Phdr));
    if (::pread(fd, segments.data(), static_cast<std::size_t>(bytes),
                static_cast<off_t>(header.e_phoff)) != bytes) {
      segments.clear();
    }
  }
  ::close(fd);
  if (!is_regular) return "is not a regular file";
  const std::uint64_t size = static_cast<std::uint64_t>(info.st_size);
  if (got != static_cast<ssize_t>(sizeof(header)) ||
      std::memcmp(header.e_ident, ELFMAG, SELFMAG) != 0) {
    return "is not a shared library (no ELF header; " + std::to_string(size) + " bytes)";
  }
  if (header.e_ident[EI_CLASS] != ELFCLASS64) return "is not a 64-bit shared library";
  const auto table_end = [](std::uint64_t offset, std::uint64_t count, std::uint64_t entry_size) {
    return entry_size != 0 && count > UINT64_MAX / entry_size ? UINT64_MAX
           : offset > UINT64_MAX - count * entry_size         ? UINT64_MAX
                                                              : offset + count * entry_size;
  };
  std::uint64_t needed = std::max(table_end(header.e_phoff, header.e_phnum, header.e_phentsize),
                                  table_end(header.e_shoff, header.e_shnum, header.e_shentsize));
  std::uint64_t mapped_end = 0;  // the file bytes that dlopen maps
  for (const Elf64_Phdr& segment : segments) {
    if (segment.p_type == PT_LOAD)
      mapped_end = std::max(mapped_end, table_end(segment.p_offset, segment.p_filesz, 1));
  }
  if (std::max(needed, mapped_end) > size) {
    needed = std::max(needed, mapped_end);
    return "is truncated (" + std::to_string(size) + " bytes, its ELF headers need " +
           std::to_string(needed) + "): an interrupted copy?";
  }
  return {};
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
#if defined(GENSTEREO_MODELS_MODULE_BUILD_PATH) && defined(GENSTEREO_BUILD_DIR)
  // The build tree's module only for a program that runs from the build tree (the tests): an
  // installed program never looks there (a package built under /tmp would otherwise trust a
  // path any user can create).
  if (isInside(folder, GENSTEREO_BUILD_DIR))
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
    if (const std::string problem = elfProblem(path); !problem.empty()) {
      throw Error("cannot load the neural models library '" + path.string() + "': it " + problem +
                  "; reinstall GenStereo or point GENSTEREO_MODELS_MODULE at a complete copy");
    }
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
