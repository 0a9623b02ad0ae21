#include "app_settings.h"

#include <QDir>
#include <QFileInfo>
#include <QSettings>
#include <QStandardPaths>

#include "genstereo/engine.h"
#include "io/stereo_export.h"
#include "models/default_models_folder.h"
#include "nn/depth_model_size.h"

namespace genstereo::ui {

namespace {
const QString kModelsFolder = QStringLiteral("engine/modelsFolder");
const QString kDevice = QStringLiteral("engine/device");
const QString kDtype = QStringLiteral("engine/dtype");
const QString kVariant = QStringLiteral("engine/diffusionVariant");
const QString kDepthModel = QStringLiteral("engine/depthModel");
const QString kExportFormat = QStringLiteral("export/defaultFormat");
const QString kExportFolder = QStringLiteral("export/lastFolder");
const QString kLanguage = QStringLiteral("ui/language");
const QString kRecentFiles = QStringLiteral("ui/recentFiles");
const QString kFirstStartHint = QStringLiteral("ui/firstStartHintShown");
const QString kOrbitDegreesPerPixel = QStringLiteral("view3d/orbitDegreesPerPixel");
}  // namespace

QString AppSettings::defaultModelsFolder() {
  // The CLI's rule (models/default_models_folder.h): the GUI and genstereo-cli share the folder.
  return QString::fromStdString(genstereo::defaultModelsFolder().string());
}

QString AppSettings::modelsFolder() {
  return QSettings().value(kModelsFolder, defaultModelsFolder()).toString();
}

void AppSettings::setModelsFolder(const QString& folder) {
  QSettings().setValue(kModelsFolder, folder);
}

QString AppSettings::device() {
  return QSettings().value(kDevice, QStringLiteral("cpu")).toString();
}

void AppSettings::setDevice(const QString& device) { QSettings().setValue(kDevice, device); }

// The settings hold the core's names (toString); an unknown one reads as the default.
QString AppSettings::computeDtype() {
  const std::string name = QSettings().value(kDtype).toString().toStdString();
  return QString::fromLatin1(toString(computeDtypeFromString(name).value_or(ComputeDtype::kAuto)));
}

void AppSettings::setComputeDtype(const QString& dtype) { QSettings().setValue(kDtype, dtype); }

QString AppSettings::diffusionVariant() {
  const std::string name = QSettings().value(kVariant).toString().toStdString();
  return QString::fromLatin1(toString(variantFromString(name).value_or(GenStereoVariant::kSd21)));
}

void AppSettings::setDiffusionVariant(const QString& variant) {
  QSettings().setValue(kVariant, variant);
}

QString AppSettings::depthModelSize() {
  const std::string name = QSettings().value(kDepthModel).toString().toStdString();
  return QString::fromLatin1(toString(parseDepthModelSize(name).value_or(DepthModelSize::kAuto)));
}

void AppSettings::setDepthModelSize(const QString& size) {
  QSettings().setValue(kDepthModel, size);
}

QString AppSettings::defaultExportFormat() {
  return QSettings()
      .value(kExportFormat, QString::fromStdString(toString(ExportFormat::kSideBySideFull)))
      .toString();
}

void AppSettings::setDefaultExportFormat(const QString& name) {
  QSettings().setValue(kExportFormat, name);
}

QString AppSettings::language() { return QSettings().value(kLanguage, QString()).toString(); }

void AppSettings::setLanguage(const QString& language) {
  QSettings().setValue(kLanguage, language);
}

QString AppSettings::normalizedPath(const QString& path) {
  const QFileInfo file(path);
  const QString canonical = file.canonicalFilePath();
  return canonical.isEmpty() ? QDir::cleanPath(file.absoluteFilePath()) : canonical;
}

QStringList AppSettings::recentFiles() {
  // Lists written by older versions may hold one file under several spellings.
  QStringList files;
  for (const QString& path : QSettings().value(kRecentFiles).toStringList()) {
    const QString normalized = normalizedPath(path);
    if (!files.contains(normalized)) files << normalized;
  }
  return files;
}

void AppSettings::addRecentFile(const QString& path) {
  QStringList files = recentFiles();
  const QString normalized = normalizedPath(path);
  files.removeAll(normalized);
  files.prepend(normalized);
  while (files.size() > kMaxRecentFiles) files.removeLast();
  QSettings().setValue(kRecentFiles, files);
}

void AppSettings::clearRecentFiles() { QSettings().remove(kRecentFiles); }

bool AppSettings::isFirstStartHintShown() {
  return QSettings().value(kFirstStartHint, false).toBool();
}

void AppSettings::setFirstStartHintShown() { QSettings().setValue(kFirstStartHint, true); }

double AppSettings::orbitDegreesPerPixel() {
  return QSettings().value(kOrbitDegreesPerPixel, kDefaultOrbitDegreesPerPixel).toDouble();
}

void AppSettings::setOrbitDegreesPerPixel(double degrees) {
  QSettings().setValue(kOrbitDegreesPerPixel, degrees);
}

QString AppSettings::lastExportFolder() {
  return QSettings()
      .value(kExportFolder, QStandardPaths::writableLocation(QStandardPaths::PicturesLocation))
      .toString();
}

void AppSettings::setLastExportFolder(const QString& folder) {
  QSettings().setValue(kExportFolder, folder);
}

}  // namespace genstereo::ui
