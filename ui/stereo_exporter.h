// Export of a result in the core's formats (genstereo::exportStereo) plus the disparity map.
// All or nothing: every file is written atomically by the core, and when one format of the
// request fails, the files the request already wrote are removed.
#pragma once

#include <filesystem>
#include <vector>

#include <QString>
#include <QStringList>

#include <opencv2/core.hpp>

#include "io/stereo_export.h"

namespace genstereo::ui {

// Stable name of the disparity-map export: BASE_disparity.pfm (pixels, the input view).
inline constexpr char kDisparityExportName[] = "disparity";

struct ExportRequest {
  QString folder;
  QString base_name;
  QStringList formats;  // stable names: genstereo::allExportFormatNames() and "disparity"
  ExportOptions options;
};

// Every export format, stable names, in menu order.
QStringList exportFormatNames();
// The translated label of a stable name.
QString exportFormatLabel(const QString& name);

// The files `request` writes (the core's naming: base name + exportFileSuffix + extension),
// in order; used to ask before replacing existing files.
QStringList exportPaths(const ExportRequest& request);

// Writes `left`/`right` (CV_32FC3 BGR [0, 1]) and `disparity_px` (CV_32FC1) as requested and
// returns the files written. Throws genstereo::Error (nothing of the request stays on disk).
std::vector<std::filesystem::path> exportResult(const cv::Mat& left, const cv::Mat& right,
                                                const cv::Mat& disparity_px,
                                                const ExportRequest& request);

}  // namespace genstereo::ui
