// Export of the open video: what the engine offers (layout, container, codec, quality, preset,
// bit depth, HDR handling, frame rate, time range) and, for each stream of the source (audio
// tracks, subtitles, attachments), what the conversion will do with it: copy, or transcode
// (and why), or drop (and why) — planStreams of the muxer, updated as the container changes.
#pragma once

#include <QCheckBox>
#include <QComboBox>
#include <QDialog>
#include <QDoubleSpinBox>
#include <QLabel>
#include <QLineEdit>
#include <QSpinBox>
#include <QTableWidget>

#include "video/media_source.h"
#include "video_settings.h"

namespace genstereo::ui {

class VideoExportDialog : public QDialog {
  Q_OBJECT

 public:
  VideoExportDialog(const VideoSourceInfo& source, const VideoExportSettings& initial,
                    const QString& folder, QWidget* parent = nullptr);

  VideoExportSettings settings() const;
  QString folder() const;
  // The file the conversion will write (the CLI's name: NAME + layout suffix + container).
  QString outputPath() const;
  QTableWidget* streamsTable() const { return streams_; }

 private:
  void updatePlan();

  VideoSourceInfo source_;
  QComboBox* layout_ = nullptr;
  QComboBox* container_ = nullptr;
  QComboBox* codec_ = nullptr;
  QSpinBox* crf_ = nullptr;
  QComboBox* preset_ = nullptr;
  QComboBox* bit_depth_ = nullptr;
  QComboBox* hdr_ = nullptr;
  QComboBox* fps_ = nullptr;
  QDoubleSpinBox* start_ = nullptr;
  QDoubleSpinBox* end_ = nullptr;
  QLineEdit* folder_ = nullptr;
  QLabel* output_ = nullptr;
  QTableWidget* streams_ = nullptr;
};

}  // namespace genstereo::ui
