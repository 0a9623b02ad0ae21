// File > Export Wiggle…: the file (GIF or APNG, by the chosen format), the frame time; asks
// before replacing an existing file.
#pragma once

#include <QComboBox>
#include <QDialog>
#include <QDialogButtonBox>
#include <QLineEdit>
#include <QSpinBox>

#include "io/animated_writer.h"

namespace genstereo::ui {

struct WiggleExportRequest {
  QString path;
  AnimationOptions options;
};

class WiggleExportDialog : public QDialog {
  Q_OBJECT

 public:
  // `path`: the suggested file (its extension follows the format).
  WiggleExportDialog(const QString& path, int frame_ms, QWidget* parent = nullptr);

  WiggleExportRequest request() const;
  void setFormat(AnimationFormat format);
  void setFrameMs(int frame_ms);
  void setPath(const QString& path);

  void accept() override;

 private:
  void onFormatChanged();

  QLineEdit* path_edit_ = nullptr;
  QComboBox* format_box_ = nullptr;
  QSpinBox* frame_ms_box_ = nullptr;
  QDialogButtonBox* buttons_ = nullptr;
};

}  // namespace genstereo::ui
