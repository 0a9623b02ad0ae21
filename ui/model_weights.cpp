#include "model_weights.h"

#include <QCoreApplication>
#include <QDir>
#include <QDirIterator>

namespace genstereo::ui {

WeightsStatus checkDiffusionWeights(const QString& models_folder) {
  WeightsStatus status;
  status.folder = QDir(models_folder).filePath(QStringLiteral("genstereo"));
  QStringList checkpoints;
  QDirIterator it(
      status.folder,
      {QStringLiteral("*.safetensors"), QStringLiteral("*.pth"), QStringLiteral("*.bin")},
      QDir::Files, QDirIterator::Subdirectories);
  while (it.hasNext()) checkpoints << it.next();
  status.is_found = !checkpoints.isEmpty();
  if (status.is_found) {
    status.message =
        QCoreApplication::translate("ModelWeights",
                                    "Checkpoint files found in %1: %2. The diffusion engine that "
                                    "uses them is not part of this build yet; the weight-free "
                                    "engine needs no weights.")
            .arg(QDir::toNativeSeparators(status.folder))
            .arg(checkpoints.size());
  } else {
    status.message =
        QCoreApplication::translate(
            "ModelWeights",
            "No GenStereo weights found. Put the checkpoint files of the Hugging Face repository "
            "FQiao/GenStereo (512 px) or FQiao/GenStereo-sd2.1 (768 px) into %1. The weight-free "
            "engine needs no weights.")
            .arg(QDir::toNativeSeparators(status.folder));
  }
  return status;
}

}  // namespace genstereo::ui
