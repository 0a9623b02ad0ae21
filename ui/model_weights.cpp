#include "model_weights.h"

#include <QCoreApplication>
#include <QDir>

#include "app_settings.h"
#include "engine_worker.h"

namespace genstereo::ui {

namespace {

QString nativePath(const std::filesystem::path& path) {
  return QDir::toNativeSeparators(QString::fromStdString(path.string()));
}

// The files of `files` that are not usable, in one short text: the missing ones relative to
// `folder` with where they come from, the invalid ones with what is wrong.
QString describeProblems(const std::vector<EngineModelFile>& files,
                         const std::filesystem::path& folder) {
  QStringList missing;
  QStringList sources;
  QStringList texts;
  for (const EngineModelFile& file : files) {
    if (file.state == ModelFileState::kMissing) {
      missing << QString::fromStdString(file.path.lexically_relative(folder).generic_string());
      const QString source = QString::fromStdString(file.hub_repo);
      if (!source.isEmpty() && !sources.contains(source)) sources << source;
    } else if (file.state == ModelFileState::kInvalid) {
      texts << describeModelFile(file);
    }
  }
  if (!missing.isEmpty()) {
    texts.prepend(QCoreApplication::translate("ModelWeights", "Not in %1: %2 (from %3)")
                      .arg(nativePath(folder), missing.join(QStringLiteral(", ")),
                           sources.join(QStringLiteral(", "))));
  }
  return texts.join(QStringLiteral("; "));
}

}  // namespace

QString describeModelFile(const EngineModelFile& file) {
  switch (file.state) {
    case ModelFileState::kPresent:
      return nativePath(file.path);
    case ModelFileState::kMissing:
      return QCoreApplication::translate("ModelWeights", "%1 (missing; from %2)")
          .arg(nativePath(file.path), QString::fromStdString(file.hub_repo));
    case ModelFileState::kInvalid:
      return QCoreApplication::translate("ModelWeights", "%1 (invalid: %2)")
          .arg(nativePath(file.path), QString::fromStdString(file.problem));
  }
  return nativePath(file.path);
}

QString WeightsStatus::diffusionReason() const {
  if (is_diffusion_found) return QString();
  if (diffusion_missing.isEmpty())
    return QCoreApplication::translate("ModelWeights",
                                       "GenStereo weights missing (see Preferences)");
  QString files = diffusion_missing.first();
  if (diffusion_missing.size() > 1) files += QStringLiteral(", …");
  for (const EngineModelFile& file : report.diffusion) {
    if (file.state == ModelFileState::kInvalid)
      return QCoreApplication::translate("ModelWeights", "invalid: %1").arg(files);
    if (file.state == ModelFileState::kMissing) break;
  }
  return QCoreApplication::translate("ModelWeights", "missing: %1").arg(files);
}

WeightsStatus checkModelWeights(const QString& models_folder, const QString& variant,
                                const QString& depth_model_size) {
  WeightsStatus status;
  status.folder = models_folder;
  status.variant = QString::fromLatin1(
      toString(variantFromString(variant.toStdString()).value_or(GenStereoVariant::kSd21)));
  status.depth_model_size = depth_model_size;
  ModelSettings settings;
  settings.folder = models_folder;
  settings.variant = status.variant;
  settings.depth_model_size = depth_model_size;
  const EngineOptions options = engineOptionsOf(settings);
  const StereoEngine engine(options);
  status.report = engine.inspectModels();
  // What the engine would do with a photo without a map on the diffusion engine: whether that
  // engine can run and which depth checkpoint it would use (StereoEngine::plan decides).
  RunParams mapless_diffusion;
  mapless_diffusion.engine = EngineChoice::kDiffusion;
  const RunPlan plan = engine.plan(mapless_diffusion);
  const ModelReport& report = status.report;
  const QString native_folder = QDir::toNativeSeparators(models_folder);
  QStringList lines;

  status.is_diffusion_found = plan.reason != EngineReason::kNotReady;
  for (const EngineModelFile& file : report.diffusion) {
    if (file.state == ModelFileState::kPresent) continue;
    status.diffusion_missing << QString::fromStdString(
        file.path.lexically_relative(options.models_dir).generic_string());
  }
  if (status.is_diffusion_found) {
    lines << QCoreApplication::translate("ModelWeights",
                                         "Diffusion engine: the GenStereo %1 weights are in %2.")
                 .arg(variantLabel(status.variant), native_folder);
  } else if (report.diffusion.empty()) {
    lines << QCoreApplication::translate("ModelWeights", "Diffusion engine: not ready. %1")
                 .arg(QCoreApplication::translate("ModelWeights", "No models folder is set."));
  } else {
    lines << QCoreApplication::translate("ModelWeights", "Diffusion engine: not ready. %1")
                 .arg(describeProblems(report.diffusion, options.models_dir));
  }

  status.is_depth_found = plan.depth_model.has_value();
  if (status.is_depth_found) {
    status.depth_checkpoint = QString::fromStdString(plan.depth_model->path.string());
    lines << QCoreApplication::translate("ModelWeights",
                                         "Depth model for photos without a map: %1.")
                 .arg(QDir::toNativeSeparators(status.depth_checkpoint));
  } else {
    if (models_folder.isEmpty()) {
      status.depth_expected =
          QCoreApplication::translate("ModelWeights", "No models folder is set.");
    } else if (report.depth.empty()) {
      status.depth_expected = QCoreApplication::translate(
          "ModelWeights", "This build has no depth model (built without LibTorch).");
    } else {
      status.depth_expected = describeProblems(report.depth, options.models_dir) + QLatin1Char('.');
    }
    lines << QCoreApplication::translate("ModelWeights",
                                         "Depth model for photos without a map: none. %1")
                 .arg(status.depth_expected);
  }
  lines << QCoreApplication::translate("ModelWeights", "The weight-free engine needs no weights.");
  status.message = lines.join(QLatin1Char('\n'));
  return status;
}

WeightsStatus checkModelWeights(const QString& models_folder) {
  return checkModelWeights(models_folder, AppSettings::diffusionVariant(),
                           AppSettings::depthModelSize());
}

QString variantLabel(const QString& variant) {
  return variant == QLatin1String("sd15")
             ? QCoreApplication::translate("ModelWeights", "v1.5 (512 px)")
             : QCoreApplication::translate("ModelWeights", "v2.1 (768 px)");
}

}  // namespace genstereo::ui
