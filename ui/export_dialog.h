// Choosing what to export: formats (the core's plus the disparity map), folder, base name,
// image type, JPEG quality and the VR file-name tags.
#pragma once

#include <QCheckBox>
#include <QComboBox>
#include <QDialog>
#include <QDialogButtonBox>
#include <QLineEdit>
#include <QMap>
#include <QSpinBox>

#include "stereo_exporter.h"

namespace genstereo::ui {

class ExportDialog : public QDialog {
  Q_OBJECT

 public:
  // `folder`: the last export folder; `checked_format`: the format ticked at first.
  ExportDialog(const QString& folder, const QString& base_name, const QString& checked_format,
               QWidget* parent = nullptr);

  ExportRequest request() const;
  void setFormats(const QStringList& names);
  void setFolder(const QString& folder);

 private:
  void updateOk();

  QLineEdit* folder_edit_ = nullptr;
  QLineEdit* base_edit_ = nullptr;
  QMap<QString, QCheckBox*> format_boxes_;
  QComboBox* extension_box_ = nullptr;
  QSpinBox* quality_box_ = nullptr;
  QCheckBox* vr_suffix_box_ = nullptr;
  QDialogButtonBox* buttons_ = nullptr;
};

}  // namespace genstereo::ui
