#include "app_settings.h"

#include <QDir>
#include <QSettings>
#include <QStandardPaths>

namespace genstereo::ui {

namespace {
const QString kModelsFolder = QStringLiteral("engine/modelsFolder");
const QString kDevice = QStringLiteral("engine/device");
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
