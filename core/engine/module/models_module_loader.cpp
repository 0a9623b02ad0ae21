#include "engine/module/models_module_loader.h"

#include <dlfcn.h>
#include <elf.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <mutex>
#include <string>
#include <system_error>
#include <vector>

#include "engine/models_build_id.h"
#include "engine/models_module_api.h"
#include "errors.h"

namespace genstereo {
namespace fs = std::filesystem;

namespace {

std::mutex g_mutex;
std::atomic<ModelsRuntime*> g_runtime{nullptr};
fs::path g_path;  // written once under g_mutex before g_runtime

// The folder of the core library (this code), where the module is installed beside it.
fs::path coreLibraryFolder() {
  Dl_info info{};
  if (dladdr(reinterpret_cast<void*>(&modelsModuleCandidates), &info) == 0 ||
      info.dli_fname == nullptr) {
    return {};
  }
  std::error_code ec;
  const fs::path library = fs::weakly_canonical(fs::absolute(info.dli_fname, ec), ec);
  return ec ? fs::path() : library.parent_path();
}

std::string describeCandidates(const std::vector<fs::path>& candidates) {
  std::string text;
  for (const fs::path& path : candidates)
    text += (text.empty() ? "'" : ", '") + path.string() + "'";
  return text;
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

// Opens the module at `path` and returns its runtime; the handle stays open for the rest of the
// process.
ModelsRuntime& open(const fs::path& path) {
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
                " (it needs LibTorch: on Debian, the package libtorch1.13; a library of another "
                "GenStereo build fails here too: reinstall GenStereo)");
  }
  auto entry = reinterpret_cast<ModelsModuleEntry>(dlsym(handle, kModelsModuleEntry));
  if (entry == nullptr) {
    dlclose(handle);
    throw Error("'" + path.string() + "' is not a GenStereo neural models library (no " +
                kModelsModuleEntry + ")");
  }
  const char* module_build_id = nullptr;
  ModelsRuntime* runtime = entry(GENSTEREO_BUILD_ID, &module_build_id);
  if (runtime == nullptr) {
    const std::string found = module_build_id != nullptr ? module_build_id : "none";
    dlclose(handle);
    throw Error("the neural models library '" + path.string() +
                "' comes from another build of GenStereo (build id " + found +
                ", this program's is " + GENSTEREO_BUILD_ID +
                "): reinstall GenStereo or point GENSTEREO_MODELS_MODULE at the library of this "
                "build");
  }
  return *runtime;
}

// The default runtime of a build with LibTorch: answers what needs no model without the module,
// and hands the rest to the module's runtime, loaded on first use.
class ModuleModelsRuntime final : public ModelsRuntime {
 public:
  // The build has the models; a missing or broken module file is reported when a run needs it
  // (the loader's message names the places looked at), rather than silently running without.
  bool hasModelSupport() const override { return true; }

  ModelLibraryInfo libraryInfo() override {
    ModelLibraryInfo info;
    try {
      info = modelsModule().libraryInfo();
      info.location = g_path.string();
    } catch (const Error& error) {
      info.problem = error.what();
    }
    return info;
  }

  // False when the module is absent or cannot be loaded (`models library` says why).
  bool isCudaAvailable() override {
    std::error_code ec;
    for (const fs::path& path : modelsModuleCandidates()) {
      if (!fs::is_regular_file(path, ec)) continue;
      try {
        return modelsModule().isCudaAvailable();
      } catch (const Error&) {
        return false;
      }
    }
    return false;
  }

  std::unique_ptr<EngineModels> makeModels(const EngineOptions& options) override {
    return modelsModule().makeModels(options);
  }

  bool describeError(const std::exception& error, std::string& message) const override {
    const ModelsRuntime* module = loadedModelsModule();
    return module != nullptr && module->describeError(error, message);
  }
};

}  // namespace

std::vector<fs::path> modelsModuleCandidates() {
  if (const char* overridden = std::getenv("GENSTEREO_MODELS_MODULE"); overridden && *overridden)
    return {fs::path(overridden)};  // an explicit choice: nothing else is tried
  const fs::path folder = coreLibraryFolder();
  if (folder.empty()) return {};
  return {folder / kModelsModuleFileName};
}

ModelsRuntime* loadedModelsModule() { return g_runtime.load(std::memory_order_acquire); }

ModelsRuntime& modelsModule() {
  if (ModelsRuntime* runtime = loadedModelsModule()) return *runtime;
  const std::lock_guard<std::mutex> lock(g_mutex);
  if (ModelsRuntime* runtime = loadedModelsModule()) return *runtime;
  const std::vector<fs::path> candidates = modelsModuleCandidates();
  std::error_code ec;
  for (const fs::path& path : candidates) {
    if (!fs::is_regular_file(path, ec)) continue;
    ModelsRuntime& runtime = open(path);
    g_path = path;
    g_runtime.store(&runtime, std::memory_order_release);
    return runtime;
  }
  throw Error("this run needs the neural models (depth or diffusion), but their library " +
              std::string(kModelsModuleFileName) + " was not found: looked at " +
              describeCandidates(candidates) +
              "; reinstall GenStereo, set GENSTEREO_MODELS_MODULE to the file, or give a disparity "
              "or depth map and use the weight-free engine");
}

ModelsRuntime& moduleModelsRuntime() {
  static ModuleModelsRuntime runtime;
  return runtime;
}

}  // namespace genstereo
