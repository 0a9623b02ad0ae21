#include "stereo_exporter.h"

#include <limits>

#include <system_error>

#include <QCoreApplication>
#include <QDir>
#include <QHash>

#include "errors.h"
#include "io/disparity_io.h"

namespace genstereo::ui {

namespace fs = std::filesystem;

QStringList exportFormatNames() {
  QStringList names;
  for (const std::string& name : allExportFormatNames()) names << QString::fromStdString(name);
  names << QString::fromLatin1(kDisparityExportName);
  return names;
}

QString exportFormatLabel(const QString& name) {
  static const QHash<QString, const char*> kLabels = {
      {QStringLiteral("anaglyph"), QT_TRANSLATE_NOOP("ExportFormat", "Anaglyph red-cyan (Dubois)")},
      {QStringLiteral("anaglyph-color"),
       QT_TRANSLATE_NOOP("ExportFormat", "Anaglyph red-cyan (colour)")},
      {QStringLiteral("anaglyph-gray"),
       QT_TRANSLATE_NOOP("ExportFormat", "Anaglyph red-cyan (grey)")},
      {QStringLiteral("sbs"), QT_TRANSLATE_NOOP("ExportFormat", "Side by side (full width)")},
      {QStringLiteral("sbs-half"), QT_TRANSLATE_NOOP("ExportFormat", "Side by side (half width)")},
      {QStringLiteral("tb"), QT_TRANSLATE_NOOP("ExportFormat", "Top-bottom (full height)")},
      {QStringLiteral("tb-half"), QT_TRANSLATE_NOOP("ExportFormat", "Top-bottom (half height)")},
      {QStringLiteral("cross"), QT_TRANSLATE_NOOP("ExportFormat", "Cross-eyed (right | left)")},
      {QStringLiteral("rows"),
       QT_TRANSLATE_NOOP("ExportFormat", "Row-interleaved (passive 3D monitors and TVs)")},
      {QStringLiteral("columns"),
       QT_TRANSLATE_NOOP("ExportFormat", "Column-interleaved (passive 3D monitors)")},
      {QStringLiteral("checkerboard"),
       QT_TRANSLATE_NOOP("ExportFormat", "Checkerboard (DLP projectors)")},
      {QStringLiteral("pair"), QT_TRANSLATE_NOOP("ExportFormat", "Left and right images")},
      {QStringLiteral("mpo"), QT_TRANSLATE_NOOP("ExportFormat", "MPO (3D camera JPEG)")},
      {QStringLiteral("jps"), QT_TRANSLATE_NOOP("ExportFormat", "JPS (stereo JPEG)")},
      {QString::fromLatin1(kDisparityExportName),
       QT_TRANSLATE_NOOP("ExportFormat", "Disparity map (PFM)")},
  };
  const char* label = kLabels.value(name, nullptr);
  return label != nullptr ? QCoreApplication::translate("ExportFormat", label) : name;
}

QStringList exportPaths(const ExportRequest& request) {
  const QDir folder(request.folder);
  QString extension = QString::fromStdString(request.options.image_extension).toLower();
  if (extension.startsWith(QLatin1Char('.'))) extension.remove(0, 1);
  QStringList paths;
  const auto add = [&](const std::string& suffix, const QString& file_extension) {
    paths << folder.filePath(request.base_name + QString::fromStdString(suffix) + QLatin1Char('.') +
                             file_extension);
  };
  for (const QString& name : request.formats) {
    if (name == QLatin1String(kDisparityExportName)) {
      add("_disparity", QStringLiteral("pfm"));
      continue;
    }
    const std::optional<ExportFormat> format = parseExportFormat(name.toStdString());
    if (!format) continue;
    const bool vr = request.options.vr_suffix;
    if (*format == ExportFormat::kSeparatePair) {
      add(exportFileSuffix(*format, vr, false), extension);
      add(exportFileSuffix(*format, vr, true), extension);
    } else if (*format == ExportFormat::kMpo || *format == ExportFormat::kJps) {
      add(exportFileSuffix(*format, vr),
          *format == ExportFormat::kMpo ? QStringLiteral("mpo") : QStringLiteral("jps"));
    } else {
      add(exportFileSuffix(*format, vr), extension);
    }
  }
  return paths;
}

std::vector<fs::path> exportResult(const cv::Mat& left, const cv::Mat& right,
                                   const cv::Mat& disparity_px, const ExportRequest& request) {
  const fs::path folder(request.folder.toStdString());
  const std::string base = request.base_name.toStdString();
  std::vector<fs::path> written;
  try {
    for (const QString& name : request.formats) {
      if (name == QLatin1String(kDisparityExportName)) {
        if (base.empty() || base.find('/') != std::string::npos) {
          throw InputError("the base name '" + base + "' must be a file name without a folder");
        }
        const fs::path path = folder / (base + "_disparity.pfm");
        // Signed: a converged pair has negative disparities in front of the screen.
        writeDisparity(path, makeSignedDisparityMap(disparity_px.clone()));
        written.push_back(path);
        continue;
      }
      const std::optional<ExportFormat> format = parseExportFormat(name.toStdString());
      if (!format) throw InputError("unknown export format '" + name.toStdString() + "'");
      for (const fs::path& path :
           exportStereo(left, right, *format, folder, base, request.options)) {
        written.push_back(path);
      }
    }
  } catch (...) {
    std::error_code ec;
    for (const fs::path& path : written) fs::remove(path, ec);
    throw;
  }
  return written;
}

}  // namespace genstereo::ui
