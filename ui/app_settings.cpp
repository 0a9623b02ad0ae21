#include "app_settings.h"

#include <QDir>
#include <QSettings>
#include <QStandardPaths>

namespace genstereo::ui {

namespace {
const QString kModelsFolder = QStringLiteral("engine/modelsFolder");
const QString kDevice = QStringLiteral("engine/device");
const QString kVariant = QStringLiteral("engine/diffusionVariant");
const QString kDepthModel = QStringLiteral("engine/depthModel");
const QString kExportFormat = QStringLiteral("export/defaultFormat");
const QString kExportFolder = QStringLiteral("export/lastFolder");
const QString kLanguage = QStringLiteral("ui/language");
const QString kRecentFiles = QStringLiteral("ui/recentFiles");
}  // namespace

QString AppSettings::defaultModelsFolder() {
  return QDir(QStandardPaths::writableLocation(QStandardPaths::AppLocalDataLocation))
      .filePath(QStringLiteral("models"));
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

QString AppSettings::diffusionVariant() {
  const QString variant = QSettings().value(kVariant, QStringLiteral("sd21")).toString();
  return variant == QLatin1String("sd15") ? variant : QStringLiteral("sd21");
}

void AppSettings::setDiffusionVariant(const QString& variant) {
  QSettings().setValue(kVariant, variant);
}

QString AppSettings::depthModelSize() {
  const QString size = QSettings().value(kDepthModel, QStringLiteral("auto")).toString();
  const bool is_known = size == QLatin1String("vits") || size == QLatin1String("vitb") ||
                        size == QLatin1String("vitl");
  return is_known ? size : QStringLiteral("auto");
}

void AppSettings::setDepthModelSize(const QString& size) {
  QSettings().setValue(kDepthModel, size);
}

QString AppSettings::defaultExportFormat() {
  return QSettings().value(kExportFormat, QStringLiteral("sbs")).toString();
}

void AppSettings::setDefaultExportFormat(const QString& name) {
  QSettings().setValue(kExportFormat, name);
}

QString AppSettings::language() { return QSettings().value(kLanguage, QString()).toString(); }

void AppSettings::setLanguage(const QString& language) {
  QSettings().setValue(kLanguage, language);
}

QStringList AppSettings::recentFiles() { return QSettings().value(kRecentFiles).toStringList(); }

void AppSettings::addRecentFile(const QString& path) {
  QStringList files = recentFiles();
  files.removeAll(path);
  files.prepend(path);
  while (files.size() > kMaxRecentFiles) files.removeLast();
  QSettings().setValue(kRecentFiles, files);
}

void AppSettings::clearRecentFiles() { QSettings().remove(kRecentFiles); }

QString AppSettings::lastExportFolder() {
  return QSettings()
      .value(kExportFolder, QStandardPaths::writableLocation(QStandardPaths::PicturesLocation))
      .toString();
}

void AppSettings::setLastExportFolder(const QString& folder) {
  QSettings().setValue(kExportFolder, folder);
}

}  // namespace genstereo::ui
