// StereoEngine::plan: what a run will do, decided once here for every client (the CLI's
// generate, batch and eval, the workbench), and resolveEngine on top of it.
#include <fstream>
#include <system_error>

#include <nlohmann/json.hpp>

#include "engine/models_runtime.h"
#include "errors.h"
#include "genstereo/engine.h"
#include "models/model_catalog.h"
#include "models/model_download_hint.h"
#include "models/model_inventory.h"

namespace genstereo {
namespace fs = std::filesystem;

const char* toString(EngineReason reason) {
  switch (reason) {
    case EngineReason::kAsked:
      return "asked for";
    case EngineReason::kWeightsReady:
      return "weights ready";
    case EngineReason::kWeightsNotReady:
      return "weights not ready";
    case EngineReason::kNoModelLibrary:
      return "no models library";
    case EngineReason::kNotReady:
      return "not ready";
  }
  return "asked for";
}

namespace {

const ModelCatalog& planCatalog() {
  static const ModelCatalog catalog = loadModelCatalog();
  return catalog;
}

// "PATH (missing, from REPO); PATH (invalid: WHY, from REPO)".
std::string listProblems(const std::vector<EngineModelFile>& files) {
  std::string list;
  for (const EngineModelFile& f : files) {
    if (f.state == ModelFileState::kPresent) continue;
    list += (list.empty() ? "" : "; ") + f.path.string() + " (" + toString(f.state) +
            (f.problem.empty() ? "" : ": " + f.problem) + ", from " + f.hub_repo + ")";
  }
  return list;
}

void appendProblems(const std::vector<EngineModelFile>& files,
                    std::vector<EngineModelFile>& missing) {
  for (const EngineModelFile& f : files) {
    if (f.state != ModelFileState::kPresent) missing.push_back(f);
  }
}

// The depth checkpoint to suggest when none is usable: the size asked for, with kAuto the small
// one (the licence-free one, and the quickest download).
const EngineModelFile* depthToSuggest(const std::vector<EngineModelFile>& depth) {
  for (const EngineModelFile& f : depth) {
    const std::string& id = f.catalog_id;
    if (id.size() > 5 && id.compare(id.size() - 5, 5, "_vits") == 0) return &f;
  }
  return depth.empty() ? nullptr : &depth.front();
}

// The square the diffusion networks run at: the variant's (768 or 512 px), or the working size
// of the models folder's architecture file (a model of another size, nn/architecture_file.h).
int diffusionWorkingSize(const EngineOptions& o) {
  const fs::path file = o.models_dir / variantFolderName(o.variant) / "genstereo_architecture.json";
  std::error_code ec;
  if (!o.models_dir.empty() && fs::is_regular_file(file, ec) && fs::file_size(file, ec) < 65536) {
    std::ifstream in(file);
    const nlohmann::json doc = nlohmann::json::parse(in, nullptr, false);
    if (doc.is_object() && doc.contains("working_size") &&
        doc["working_size"].is_number_integer()) {
      const int size = doc["working_size"].get<int>();
      if (size > 0) return size;
    }
  }
  return variantWorkingSize(o.variant);
}

// The one download rule (models/model_download_hint.h) for catalogue files `files`.
std::string downloadCommandFor(const std::vector<const EngineModelFile*>& files,
                               const fs::path& models_dir) {
  const ModelCatalog& catalog = planCatalog();
  std::vector<ModelFileStatus> statuses;
  for (const EngineModelFile* file : files) {
    const CatalogFile* entry = catalog.findFile(file->catalog_id);
    if (entry == nullptr) continue;
    ModelFileStatus status;
    status.file = *entry;
    status.state = file->state;
    status.path = file->path;
    statuses.push_back(status);
  }
  return suggestDownloadCommand(statuses, catalog, models_dir);
}

}  // namespace

RunPlan StereoEngine::plan(const RunParams& params, std::optional<cv::Size> photo_size) const {
  const EngineOptions& o = options();
  RunPlan plan;
  plan.estimates_depth = std::holds_alternative<EstimatedDepth>(params.geometry);
  std::vector<std::string> problems;
  if (const auto* file = std::get_if<MapFile>(&params.geometry)) {
    std::error_code ec;
    if (!fs::is_regular_file(file->path, ec)) {
      problems.push_back(std::string(toString(file->kind)) + " file '" + file->path.string() +
                         (fs::exists(file->path, ec)
                              ? "' is not a regular file (a folder, FIFO or device?)"
                              : "' does not exist"));
    }
  }
  const bool needs_report = plan.estimates_depth || params.engine != EngineChoice::kWeightFree;
  const ModelReport report = needs_report ? inspectModels() : ModelReport{};
  const std::string variant = toString(o.variant);
  const std::string folder = "'" + o.models_dir.string() + "'";
  std::vector<const EngineModelFile*> to_fetch;

  if (!modelsRuntime().hasModelSupport()) {
    // Nothing to download: the build has no models library.
    if (plan.estimates_depth) {
      problems.push_back(
          "no disparity or depth map given, and this build has no depth model (built without "
          "LibTorch): give a disparity or depth map");
    }
    if (params.engine == EngineChoice::kDiffusion) {
      plan.engine = EngineChoice::kDiffusion;
      plan.reason = EngineReason::kNotReady;
      plan.reason_text =
          "the diffusion engine is not available in this build (built without "
          "LibTorch)";
      problems.push_back(plan.reason_text);
    } else {
      plan.engine = EngineChoice::kWeightFree;
      plan.reason = params.engine == EngineChoice::kAuto ? EngineReason::kNoModelLibrary
                                                         : EngineReason::kAsked;
      plan.reason_text = params.engine == EngineChoice::kAuto
                             ? "this build has no neural models library (built without LibTorch)"
                             : "the weight-free engine was asked for";
    }
  } else {
    if (plan.estimates_depth) {
      for (const EngineModelFile& f : report.depth) {
        if (f.state != ModelFileState::kPresent) continue;
        plan.depth_model = f;
        break;
      }
      if (!plan.depth_model) {
        appendProblems(report.depth, plan.missing);
        if (const EngineModelFile* suggested = depthToSuggest(report.depth))
          to_fetch.push_back(suggested);
        if (o.models_dir.empty()) {
          problems.push_back(
              "no disparity or depth map given and no models folder to estimate depth with");
        } else {
          problems.push_back(std::string("no disparity or depth map given and no usable ") +
                             (o.depth_family == DepthModelFamily::kVideo ? "Video Depth Anything"
                                                                         : "Depth Anything V2") +
                             " checkpoint in " + folder +
                             " or in the Hugging Face cache: " + listProblems(report.depth));
        }
      }
    }
    const bool weights_ready = report.isDiffusionReady();
    if (params.engine == EngineChoice::kWeightFree) {
      plan.engine = EngineChoice::kWeightFree;
      plan.reason = EngineReason::kAsked;
      plan.reason_text = "the weight-free engine was asked for";
    } else if (weights_ready) {
      plan.engine = EngineChoice::kDiffusion;
      plan.reason =
          params.engine == EngineChoice::kAuto ? EngineReason::kWeightsReady : EngineReason::kAsked;
      plan.reason_text = "the GenStereo " + variant + " weights are present in " + folder;
    } else {
      appendProblems(report.diffusion, plan.missing);
      for (const EngineModelFile& f : report.diffusion) to_fetch.push_back(&f);
      const std::string why =
          o.models_dir.empty()
              ? std::string("no models folder is set")
              : "the GenStereo " + variant + " weights are not all present and valid in " + folder;
      if (params.engine == EngineChoice::kAuto) {
        plan.engine = EngineChoice::kWeightFree;
        plan.reason = EngineReason::kWeightsNotReady;
        plan.reason_text = why;
      } else {
        plan.engine = EngineChoice::kDiffusion;
        plan.reason = EngineReason::kNotReady;
        plan.reason_text = why;
        problems.push_back(o.models_dir.empty()
                               ? std::string("the diffusion engine needs a models folder with "
                                             "the GenStereo weights")
                               : "GenStereo " + variant + " weights are not usable in " + folder +
                                     ": " + listProblems(report.diffusion));
      }
    }
    plan.download_command = downloadCommandFor(to_fetch, o.models_dir);
  }

  for (const std::string& problem : problems)
    plan.problem += (plan.problem.empty() ? "" : "; ") + problem;
  if (!plan.problem.empty() && !plan.download_command.empty()) {
    // Only the files this run needs (kAuto's weights are not among them when depth is missing).
    std::vector<const EngineModelFile*> needed;
    if (plan.estimates_depth && !plan.depth_model) {
      if (const EngineModelFile* suggested = depthToSuggest(report.depth))
        needed.push_back(suggested);
    }
    if (plan.reason == EngineReason::kNotReady) {
      for (const EngineModelFile& f : report.diffusion) needed.push_back(&f);
    }
    const std::string command = downloadCommandFor(needed, o.models_dir);
    if (!command.empty()) plan.problem += "; get them with: " + command;
  }

  if (photo_size && photo_size->width > 0 && photo_size->height > 0) {
    // The photo the run works on (a preview: scaled into RunParams::preview_box_px).
    const cv::Size photo = previewSizeOf(*photo_size, params.preview_box_px);
    const int model_px = diffusionWorkingSize(o);
    const bool tiled =
        params.diffusion.tiles && (photo.width > model_px || photo.height > model_px);
    plan.working_size =
        plan.engine == EngineChoice::kDiffusion && !tiled ? cv::Size(model_px, model_px) : photo;
  }
  return plan;
}

EngineChoice StereoEngine::resolveEngine(const RunParams& params) const {
  const RunPlan planned = plan(params);
  if (!planned.ready()) throw InputError(planned.problem);
  return planned.engine;
}

}  // namespace genstereo
