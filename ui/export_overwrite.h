// Asking before an export replaces files: the files of a request that exist already, and the
// question (object name "overwriteQuestion"; No is the default).
#pragma once

#include <QStringList>
#include <QWidget>

#include "stereo_exporter.h"

namespace genstereo::ui {

// The files `request` would write that exist already.
QStringList existingExportFiles(const ExportRequest& request);

// True when nothing would be replaced, or the user agrees to replace the files listed.
bool confirmOverwrite(QWidget* parent, const ExportRequest& request);

}  // namespace genstereo::ui
