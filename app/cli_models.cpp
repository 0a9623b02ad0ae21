#include "cli_models.h"

#include <signal.h>
#include <unistd.h>

#include <atomic>
#include <cmath>
#include <cstdio>
#include <iostream>
#include <memory>

#include <CLI/CLI.hpp>

#include "errors.h"
#include "genstereo/engine.h"
#include "models/default_models_folder.h"
#include "models/hf_cache.h"
#include "models/hub_download.h"
#include "models/printable_text.h"
#include "models/sha256.h"

namespace genstereo::cli {
namespace fs = std::filesystem;

namespace {

// SIGINT cancels the download (the handler only stores to the token's flag).
const CancelToken g_cancel_requested;
std::atomic<bool>* const g_cancel_flag = const_cast<std::atomic<bool>*>(g_cancel_requested.flag());

extern "C" void onInterrupt(int) { g_cancel_flag->store(true); }

struct ModelsOptions {
  std::string models_dir;
  std::string catalog_file;
  std::vector<std::string> ids;
  bool accept_license = false;
  bool check_sha256 = false;
  bool quiet = false;
};

// Names, paths and reasons come from the catalogue, the file system and the hub: printed
// without terminal escapes (printable_text.h).
std::string shown(const std::string& text) { return printableText(text, 1024); }
std::string shown(const fs::path& path) { return printableText(path.string(), 1024); }

[[noreturn]] void fail(int code, const std::string& message) {
  std::fprintf(stderr, "genstereo-cli: %s\n", printableText(message).c_str());
  throw CLI::RuntimeError(code);
}

// --models, else the default folder (models/default_models_folder.h).
fs::path modelsDirOf(const ModelsOptions& options) {
  return options.models_dir.empty() ? defaultModelsFolder() : fs::path(options.models_dir);
}

std::string licenceText(const CatalogFile& file) {
  if (file.license.empty()) return "licence not recorded: see https://huggingface.co/" + file.repo;
  return file.license + (file.is_non_commercial ? " (non-commercial)" : "");
}

std::string sizeText(const CatalogFile& file) {
  if (file.size_bytes == 0) return "size unknown";
  return (file.is_size_approximate ? "~" : "") + formatByteSize(file.size_bytes);
}

std::string durationText(double seconds) {
  if (seconds < 0) return "--";
  const long s = std::lround(seconds);
  char text[32];
  if (s >= 3600) {
    std::snprintf(text, sizeof(text), "%ldh%02ldm", s / 3600, (s / 60) % 60);
  } else if (s >= 60) {
    std::snprintf(text, sizeof(text), "%ldm%02lds", s / 60, s % 60);
  } else {
    std::snprintf(text, sizeof(text), "%lds", s);
  }
  return text;
}

void printStatus(const ModelFileStatus& status) {
  const std::string& name = status.file.local_name;
  switch (status.state) {
    case ModelFileState::kPresent:
      std::printf("present  %-52s %9s  %s: %s%s\n", shown(name).c_str(),
                  formatByteSize(status.size_bytes).c_str(), toString(status.location),
                  shown(status.path).c_str(),
                  status.hf_cache_commit.empty()
                      ? ""
                      : (" (commit " + status.hf_cache_commit.substr(0, 12) + ")").c_str());
      break;
    case ModelFileState::kMissing:
      std::printf("missing  %-52s %9s  expected at %s\n", shown(name).c_str(),
                  sizeText(status.file).c_str(), shown(status.path).c_str());
      break;
    case ModelFileState::kInvalid:
      std::printf("invalid  %-52s %9s  %s\n", shown(name).c_str(),
                  formatByteSize(status.size_bytes).c_str(), shown(status.reason).c_str());
      break;
  }
}

int runList(const ModelsOptions& options) {
  const ModelCatalog catalog = loadModelCatalog(options.catalog_file);
  const fs::path models_dir = modelsDirOf(options);
  std::printf("Model catalogue: %s\nModels folder: %s\n\n", shown(catalog.source).c_str(),
              shown(models_dir).c_str());
  for (const CatalogModel& model : catalog.models) {
    std::uint64_t total = 0;
    bool is_approximate = false;
    for (const CatalogFile* file : catalog.filesOf({model.id})) {
      total += file->size_bytes;
      is_approximate = is_approximate || file->is_size_approximate;
    }
    const std::vector<ModelFileStatus> statuses =
        inspectCatalogFiles(models_dir, catalog, {model.id});
    std::size_t present = 0;
    for (const ModelFileStatus& s : statuses)
      present += s.state == ModelFileState::kPresent ? 1 : 0;
    const std::string state = present == statuses.size()
                                  ? "  [ready]"
                                  : "  [" + std::to_string(present) + " of " +
                                        std::to_string(statuses.size()) + " files present]";
    std::printf("%-12s %s%s %s%s\n", model.id.c_str(), is_approximate ? "~" : "",
                formatByteSize(total).c_str(), shown(model.title).c_str(), state.c_str());
    for (const std::string& id : model.file_ids) {
      const CatalogFile& file = *catalog.findFile(id);
      std::printf("    %-50s %-10s %s@%s  %s\n", shown(file.local_name).c_str(),
                  sizeText(file).c_str(), shown(file.repo).c_str(), shown(file.revision).c_str(),
                  shown(licenceText(file)).c_str());
    }
  }
  std::printf(
      "\nRevisions are unpinned (\"main\") and sha256 values are taken from the hub at download "
      "time "
      "unless the catalogue records them (docs/models.md).\n");
  return 0;
}

int runWhere(const ModelsOptions& options, bool is_verify) {
  const fs::path models_dir = modelsDirOf(options);
  const ModelCatalog catalog = loadModelCatalog(options.catalog_file);
  std::vector<ModelFileStatus> statuses = inspectCatalogFiles(models_dir, catalog, options.ids);
  // --sha256: a present file whose expected hash is known nowhere (not in the catalogue, the
  // download record or the Hugging Face cache's blob name) cannot be verified; that is not a pass.
  std::vector<bool> is_unverifiable(statuses.size(), false);
  if (is_verify && options.check_sha256) {
    for (std::size_t i = 0; i < statuses.size(); ++i) {
      ModelFileStatus& status = statuses[i];
      if (status.state != ModelFileState::kPresent) continue;
      DownloadRecordEntry record;
      std::string expected = status.file.sha256;
      if (expected.empty() && status.location == ModelLocation::kModelsFolder &&
          status.path == models_dir / status.file.local_name &&
          readDownloadRecord(models_dir, status.file.local_name, record)) {
        expected = record.sha256;
      }
      if (expected.empty() && status.location == ModelLocation::kHfCache)
        expected = status.hf_cache_blob_sha256;
      if (expected.empty()) {
        is_unverifiable[i] = true;
        continue;
      }
      const std::string actual = sha256OfFile(status.path);
      if (actual != expected) {
        status.state = ModelFileState::kInvalid;
        status.reason =
            "'" + status.path.string() + "' has sha256 " + actual + ", expected " + expected;
      }
    }
  }
  std::printf("Models folder: %s\nHugging Face cache: %s\n\n", shown(models_dir).c_str(),
              shown(hfHubCacheDir()).c_str());
  bool has_invalid = false;
  bool has_missing = false;
  bool has_unverifiable = false;
  for (std::size_t i = 0; i < statuses.size(); ++i) {
    const ModelFileStatus& status = statuses[i];
    if (is_unverifiable[i]) {
      std::printf(
          "not verifiable  %-45s %9s  no sha256 known for it (not in the catalogue, the "
          "download record or the Hugging Face cache): %s\n",
          shown(status.file.local_name).c_str(), formatByteSize(status.size_bytes).c_str(),
          shown(status.path).c_str());
    } else {
      printStatus(status);
    }
    has_invalid = has_invalid || status.state == ModelFileState::kInvalid;
    has_missing = has_missing || status.state == ModelFileState::kMissing;
    has_unverifiable = has_unverifiable || is_unverifiable[i];
  }
  std::vector<ModelFileStatus> to_fetch;
  for (const ModelFileStatus& status : statuses) {
    // Without ids, verify/where speak of what is there: missing files are only reported.
    if (status.state == ModelFileState::kInvalid || !options.ids.empty())
      to_fetch.push_back(status);
  }
  const std::string command = suggestDownloadCommand(
      to_fetch, catalog, options.models_dir.empty() ? fs::path() : models_dir);
  if (!command.empty())
    std::printf("\nTo fetch what is missing or invalid: %s\n", shown(command).c_str());
  if (!is_verify) return 0;
  if (has_unverifiable) {
    std::printf("\n--sha256: not every file could be verified: no sha256 is known for it\n");
  }
  return has_invalid || has_unverifiable || (has_missing && !options.ids.empty()) ? 1 : 0;
}

int runDownload(const ModelsOptions& options) {
  const fs::path models_dir = modelsDirOf(options);
  if (options.ids.empty())
    fail(2, "models download needs at least one model id (see genstereo-cli models list)");
  const ModelCatalog catalog = loadModelCatalog(options.catalog_file);
  const std::vector<ModelFileStatus> statuses =
      inspectCatalogFiles(models_dir, catalog, options.ids);
  std::vector<std::string> non_commercial;
  for (const ModelFileStatus& status : statuses) {
    if (status.state == ModelFileState::kPresent) continue;
    if (!options.quiet) {
      std::printf("%-52s %-10s from %s  %s\n", shown(status.file.local_name).c_str(),
                  sizeText(status.file).c_str(), shown(status.file.repo).c_str(),
                  shown(licenceText(status.file)).c_str());
    }
    if (status.file.is_non_commercial)
      non_commercial.push_back(status.file.local_name + " (" + status.file.license + ")");
  }
  if (!non_commercial.empty() && !options.accept_license) {
    std::string list;
    for (const std::string& item : non_commercial) list += (list.empty() ? "" : ", ") + item;
    fail(2, "non-commercial licence: " + list +
                "; add --accept-license to download for non-commercial use");
  }

  DownloadParams params;
  params.cancel = g_cancel_requested;
  const bool is_terminal = ::isatty(STDERR_FILENO) != 0;
  std::string last_file;
  params.progress = [&](const DownloadProgress& p) {
    if (options.quiet) return;
    const std::string total = p.bytes_total > 0 ? formatByteSize(p.bytes_total) : std::string("?");
    if (is_terminal) {
      std::fprintf(stderr, "\r[%zu/%zu] %s  %s / %s  %s/s  ETA %s\033[K", p.file_index + 1,
                   p.file_count, shown(p.local_name).c_str(), formatByteSize(p.bytes_done).c_str(),
                   total.c_str(),
                   formatByteSize(static_cast<std::uint64_t>(p.rate_bytes_per_s)).c_str(),
                   durationText(p.eta_s).c_str());
    } else if (p.local_name != last_file) {
      std::fprintf(stderr, "[%zu/%zu] downloading %s (%s)\n", p.file_index + 1, p.file_count,
                   shown(p.local_name).c_str(), total.c_str());
    }
    last_file = p.local_name;
  };
  struct sigaction action {};
  struct sigaction previous {};
  action.sa_handler = onInterrupt;
  sigemptyset(&action.sa_mask);
  ::sigaction(SIGINT, &action, &previous);
  std::vector<DownloadResult> results;
  try {
    results = downloadModels(catalog, options.ids, models_dir, params);
  } catch (...) {
    ::sigaction(SIGINT, &previous, nullptr);
    if (is_terminal && !options.quiet) std::fprintf(stderr, "\n");
    throw;
  }
  ::sigaction(SIGINT, &previous, nullptr);
  if (is_terminal && !options.quiet && !last_file.empty()) std::fprintf(stderr, "\n");
  for (const DownloadResult& result : results) {
    if (result.was_skipped) {
      std::printf("already present  %s\n", shown(result.path).c_str());
    } else {
      std::printf("downloaded       %s  %s  sha256 %s (%s)\n", shown(result.path).c_str(),
                  formatByteSize(result.size_bytes).c_str(), result.sha256.c_str(),
                  result.verified_against.empty()
                      ? "not verifiable: the hub sent no sha256"
                      : ("verified against the " + result.verified_against).c_str());
    }
  }
  return 0;
}

// `models library`: the neural models library, loaded (exit 1 when it cannot run).
int runLibrary() {
  const ModelLibraryInfo info = modelLibraryInfo();
  if (!info.usable) {
    std::printf("Neural models library: not usable: %s\n", shown(info.problem).c_str());
    return 1;
  }
  std::printf("Neural models library: %s\nRuntime: %s\nCUDA device: %s\n",
              shown(info.location).c_str(), info.runtime.c_str(), info.cuda ? "available" : "none");
  return 0;
}

// Runs a command body, turning the engine's errors into one line and an exit code.
void runReporting(const std::function<int()>& body) {
  int code = 0;
  try {
    code = body();
  } catch (const CLI::RuntimeError&) {
    throw;
  } catch (const CancelledError& e) {
    fail(130, std::string(e.what()) + " (partial download removed)");
  } catch (const Error& e) {
    fail(1, std::string("error: ") + e.what());
  } catch (const std::exception& e) {
    fail(1, std::string("error: ") + e.what());
  }
  if (code != 0) throw CLI::RuntimeError(code);
}

void addCommonOptions(CLI::App& command, ModelsOptions& options) {
  command.add_option("--models", options.models_dir,
                     "Models folder (the layout of README.md, \"Model weights\"; default: "
                     "$GENSTEREO_MODELS, else $XDG_DATA_HOME/genstereo/models, else "
                     "~/.local/share/genstereo/models)");
  command.add_option(
      "--catalog", options.catalog_file,
      "Model catalogue JSON (default: $GENSTEREO_MODEL_CATALOG, else the built-in one)");
}

}  // namespace

void addModelsCommand(CLI::App& app) {
  auto options = std::make_shared<ModelsOptions>();
  CLI::App* models = app.add_subcommand("models", "Find, download and verify the model weights");
  models->require_subcommand(1);

  CLI::App* list = models->add_subcommand(
      "list", "List the models of the catalogue and what the models folder holds");
  addCommonOptions(*list, *options);
  list->callback([options] { runReporting([&] { return runList(*options); }); });

  CLI::App* download = models->add_subcommand(
      "download",
      "Download models (depth-small, depth-base, depth-large, video-depth-small, video-depth-base, "
      "video-depth-large, sd15, sd21) into the models folder");
  addCommonOptions(*download, *options);
  download->add_option("ids", options->ids, "Model ids")->required();
  download->add_flag("--accept-license", options->accept_license,
                     "Accept non-commercial licences (Depth Anything V2 Base/Large: CC-BY-NC-4.0)");
  download->add_flag("-q,--quiet", options->quiet, "No progress");
  download->callback([options] { runReporting([&] { return runDownload(*options); }); });

  CLI::App* verify = models->add_subcommand("verify",
                                            "Check the files (container, keys, shapes; exit 1 when "
                                            "a file is invalid, or missing for the ids given)");
  addCommonOptions(*verify, *options);
  verify->add_option("ids", options->ids, "Model ids (default: every file found)");
  verify->add_flag("--sha256", options->check_sha256,
                   "Also hash present files against the catalogue or the download record (slow for "
                   "large files)");
  verify->callback([options] { runReporting([&] { return runWhere(*options, true); }); });

  CLI::App* where = models->add_subcommand(
      "where", "Show where each file is found (models folder or Hugging Face cache)");
  addCommonOptions(*where, *options);
  where->add_option("ids", options->ids, "Model ids (default: all)");
  where->callback([options] { runReporting([&] { return runWhere(*options, false); }); });

  CLI::App* library = models->add_subcommand(
      "library",
      "Load the neural models library (LibTorch) and show where it is and what it runs on "
      "(exit 1 when it cannot be loaded)");
  library->callback([] { runReporting([] { return runLibrary(); }); });
}

int runModelsCommand(int argc, char** argv) {
  CLI::App app("GenStereo model weights", "genstereo-cli");
  app.require_subcommand(1);
  addModelsCommand(app);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    const int code = app.exit(e);
    // CLI11's own codes for usage errors (105, 106...) become the CLI's usage code.
    return code == 0 || e.get_name() == "RuntimeError" ? code : 2;
  }
  return 0;
}

std::string missingModelsHint(const std::vector<ModelFileStatus>& statuses,
                              const ModelCatalog& catalog, const fs::path& models_dir) {
  std::string missing;
  std::string invalid;
  for (const ModelFileStatus& status : statuses) {
    if (status.state == ModelFileState::kMissing)
      missing += (missing.empty() ? "" : ", ") + status.file.local_name;
    if (status.state == ModelFileState::kInvalid)
      invalid += (invalid.empty() ? "" : "; ") + status.reason;
  }
  if (missing.empty() && invalid.empty()) return {};
  std::string hint;
  if (!missing.empty()) hint += "missing in '" + models_dir.string() + "': " + missing;
  if (!invalid.empty()) hint += (hint.empty() ? "" : "; ") + std::string("invalid: ") + invalid;
  return hint + "; get them with: " + suggestDownloadCommand(statuses, catalog, models_dir);
}

}  // namespace genstereo::cli
