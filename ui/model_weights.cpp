#include "model_weights.h"

#include <filesystem>
#include <string>

#include <QCoreApplication>
#include <QDir>

#include <torch/cuda.h>

#include "app_settings.h"
#include "errors.h"
#include "nn/depth_estimator.h"
// LibTorch names a member `slots`, which Qt defines as a keyword macro.
#pragma push_macro("slots")
#undef slots
#include "nn/diffusion_engine.h"
#pragma pop_macro("slots")

namespace genstereo::ui {

namespace {

// The relative paths the core's message lists: "... weights are missing in 'DIR': A, B (from
// ...". Empty when the message has another form.
QStringList missingFilesOf(const QString& message, const QString& folder) {
  const QString start_marker = QStringLiteral("missing in '%1': ").arg(folder);
  const qsizetype start = message.indexOf(start_marker);
  const qsizetype end = message.lastIndexOf(QStringLiteral(" (from "));
  if (start < 0 || end < start) return {};
  const qsizetype first = start + start_marker.size();
  return message.mid(first, end - first).split(QStringLiteral(", "), Qt::SkipEmptyParts);
}

}  // namespace

QString WeightsStatus::diffusionReason() const {
  if (is_diffusion_found) return QString();
  if (diffusion_missing.isEmpty())
    return QCoreApplication::translate("ModelWeights",
                                       "GenStereo weights missing (see Preferences)");
  QString files = diffusion_missing.first();
  if (diffusion_missing.size() > 1) files += QStringLiteral(", …");
  return QCoreApplication::translate("ModelWeights", "missing: %1").arg(files);
}

WeightsStatus checkModelWeights(const QString& models_folder, const QString& variant,
                                const QString& depth_model_size) {
  WeightsStatus status;
  status.folder = models_folder;
  status.variant = variant == QLatin1String("sd15") ? variant : QStringLiteral("sd21");
  status.depth_model_size = depth_model_size;
  const std::filesystem::path folder(models_folder.toStdString());
  const QString native_folder = QDir::toNativeSeparators(models_folder);
  QStringList lines;

  try {
    locateGenStereoModels(folder, parseVariant(status.variant.toStdString()));
    status.is_diffusion_found = true;
    lines << QCoreApplication::translate("ModelWeights",
                                         "Diffusion engine: the GenStereo %1 weights are in %2.")
                 .arg(variantLabel(status.variant), native_folder);
  } catch (const std::exception& error) {
    status.diffusion_error = QString::fromStdString(error.what());
    status.diffusion_missing =
        missingFilesOf(status.diffusion_error, QString::fromStdString(folder.string()));
    lines << QCoreApplication::translate("ModelWeights", "Diffusion engine: not ready. %1")
                 .arg(status.diffusion_error);
  }

  try {
    const DepthModelSize size =
        parseDepthModelSize(depth_model_size.toStdString()).value_or(DepthModelSize::kAuto);
    status.depth_checkpoint = QString::fromStdString(findDepthCheckpoint(folder, size).string());
    status.is_depth_found = true;
    lines << QCoreApplication::translate("ModelWeights",
                                         "Depth model for photos without a map: %1.")
                 .arg(QDir::toNativeSeparators(status.depth_checkpoint));
  } catch (const std::exception& error) {
    status.depth_error = QString::fromStdString(error.what());
    lines << QCoreApplication::translate("ModelWeights",
                                         "Depth model for photos without a map: none. %1")
                 .arg(status.depth_error);
  }
  lines << QCoreApplication::translate("ModelWeights", "The weight-free engine needs no weights.");
  status.message = lines.join(QLatin1Char('\n'));
  return status;
}

WeightsStatus checkModelWeights(const QString& models_folder) {
  return checkModelWeights(models_folder, AppSettings::diffusionVariant(),
                           AppSettings::depthModelSize());
}

bool isCudaAvailable() { return torch::cuda::is_available(); }

QString variantLabel(const QString& variant) {
  return variant == QLatin1String("sd15")
             ? QCoreApplication::translate("ModelWeights", "v1.5 (512 px)")
             : QCoreApplication::translate("ModelWeights", "v2.1 (768 px)");
}

}  // namespace genstereo::ui
