#include "video_export_dialog.h"

#include <QDialogButtonBox>
#include <QDir>
#include <QFileDialog>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QPushButton>
#include <QStandardItemModel>
#include <QVBoxLayout>

#include "video/stereo_muxer.h"

namespace genstereo::ui {

namespace {

QString layoutName(VideoOutputLayout layout) {
  switch (layout) {
    case VideoOutputLayout::kSideBySideFull:
      return VideoExportDialog::tr("Side by side, full width (3D TVs, players)");
    case VideoOutputLayout::kSideBySideHalf:
      return VideoExportDialog::tr("Side by side, half width");
    case VideoOutputLayout::kTopBottomFull:
      return VideoExportDialog::tr("Top-bottom, full height");
    case VideoOutputLayout::kTopBottomHalf:
      return VideoExportDialog::tr("Top-bottom, half height");
    case VideoOutputLayout::kCrossEyed:
      return VideoExportDialog::tr("Cross-eyed (right | left)");
    case VideoOutputLayout::kAnaglyph:
      return VideoExportDialog::tr("Anaglyph red-cyan (Dubois)");
    case VideoOutputLayout::kVr180:
      return VideoExportDialog::tr("VR180 (headsets)");
  }
  return QString();
}

QString streamKindName(MediaStreamKind kind) {
  switch (kind) {
    case MediaStreamKind::kVideo:
      return VideoExportDialog::tr("video");
    case MediaStreamKind::kAudio:
      return VideoExportDialog::tr("audio");
    case MediaStreamKind::kSubtitle:
      return VideoExportDialog::tr("subtitles");
    case MediaStreamKind::kAttachment:
      return VideoExportDialog::tr("attachment");
    case MediaStreamKind::kData:
      return VideoExportDialog::tr("data");
    case MediaStreamKind::kUnknown:
      break;
  }
  return VideoExportDialog::tr("other");
}

}  // namespace

VideoExportDialog::VideoExportDialog(const VideoSourceInfo& source,
                                     const VideoExportSettings& initial, const QString& folder,
                                     QWidget* parent)
    : QDialog(parent), source_(source) {
  setObjectName(QStringLiteral("videoExportDialog"));
  setWindowTitle(tr("Convert Video"));
  layout_ = new QComboBox(this);
  for (VideoOutputLayout layout :
       {VideoOutputLayout::kSideBySideFull, VideoOutputLayout::kSideBySideHalf,
        VideoOutputLayout::kTopBottomFull, VideoOutputLayout::kTopBottomHalf,
        VideoOutputLayout::kCrossEyed, VideoOutputLayout::kAnaglyph, VideoOutputLayout::kVr180}) {
    layout_->addItem(layoutName(layout), static_cast<int>(layout));
  }
  layout_->setCurrentIndex(layout_->findData(static_cast<int>(initial.layout)));
  container_ = new QComboBox(this);
  container_->addItem(tr("Automatic (MKV when the source has subtitles, else MP4)"), QString());
  for (const char* name : {"mp4", "mkv", "mov"}) {
    container_->addItem(QString::fromLatin1(name).toUpper(), QString::fromLatin1(name));
  }
  container_->setCurrentIndex(
      std::max(0, container_->findData(QString::fromStdString(initial.encode.container))));
  codec_ = new QComboBox(this);
  for (VideoCodec codec : {VideoCodec::kX264, VideoCodec::kX265, VideoCodec::kSvtAv1,
                           VideoCodec::kFfv1, VideoCodec::kH264Nvenc, VideoCodec::kHevcNvenc}) {
    const bool available = isVideoEncoderAvailable(codec);
    codec_->addItem(available ? QString::fromLatin1(toString(codec))
                              : tr("%1 (not available here)").arg(toString(codec)),
                    static_cast<int>(codec));
    if (!available) {
      auto* model = qobject_cast<QStandardItemModel*>(codec_->model());
      if (model != nullptr) model->item(codec_->count() - 1)->setEnabled(false);
    }
  }
  codec_->setCurrentIndex(std::max(0, codec_->findData(static_cast<int>(initial.encode.codec))));
  crf_ = new QSpinBox(this);
  crf_->setRange(0, 51);
  crf_->setValue(initial.encode.crf);
  crf_->setToolTip(
      tr("Quality (x264, x265, SVT-AV1): lower is better and larger; 18-23 is "
         "usual."));
  preset_ = new QComboBox(this);
  for (const char* name : {"ultrafast", "superfast", "veryfast", "faster", "fast", "medium", "slow",
                           "slower", "veryslow"}) {
    preset_->addItem(QString::fromLatin1(name));
  }
  preset_->setCurrentText(QString::fromStdString(initial.encode.preset));
  bit_depth_ = new QComboBox(this);
  bit_depth_->addItem(tr("8-bit"), 8);
  bit_depth_->addItem(tr("10-bit"), 10);
  bit_depth_->setCurrentIndex(initial.encode.bit_depth == 10 ? 1 : 0);
  hdr_ = new QComboBox(this);
  hdr_->addItem(tr("Automatic"), static_cast<int>(HdrHandling::kAuto));
  hdr_->addItem(tr("Keep HDR10 (x265, 10-bit)"), static_cast<int>(HdrHandling::kPassthrough));
  hdr_->addItem(tr("Tone-map to SDR"), static_cast<int>(HdrHandling::kToneMap));
  hdr_->setCurrentIndex(std::max(0, hdr_->findData(static_cast<int>(initial.hdr))));
  hdr_->setEnabled(source.is_hdr10);
  if (!source.is_hdr10) hdr_->setToolTip(tr("The source is not HDR10."));
  fps_ = new QComboBox(this);
  fps_->addItem(tr("As the source (%1 fps%2)")
                    .arg(source.average_fps, 0, 'f', 3)
                    .arg(source.is_variable_frame_rate ? tr(", variable") : QString()),
                0);
  for (int fps : {24, 25, 30, 50, 60}) fps_->addItem(QString::number(fps), fps);
  if (initial.fps_num > 0 && initial.fps_den == 1) {
    fps_->setCurrentIndex(std::max(0, fps_->findData(initial.fps_num)));
  }
  start_ = new QDoubleSpinBox(this);
  end_ = new QDoubleSpinBox(this);
  for (QDoubleSpinBox* box : {start_, end_}) {
    box->setDecimals(3);
    box->setRange(0.0, std::max(0.0, source.duration_s));
    box->setSuffix(tr(" s"));
  }
  start_->setValue(initial.start_s);
  end_->setValue(initial.end_s < 0 ? source.duration_s : initial.end_s);
  folder_ = new QLineEdit(folder, this);
  auto* browse = new QPushButton(tr("Choose…"), this);
  connect(browse, &QPushButton::clicked, this, [this] {
    const QString chosen =
        QFileDialog::getExistingDirectory(this, tr("Output Folder"), folder_->text());
    if (!chosen.isEmpty()) folder_->setText(chosen);
  });
  auto* folder_row = new QHBoxLayout;
  folder_row->addWidget(folder_, 1);
  folder_row->addWidget(browse);
  output_ = new QLabel(this);
  output_->setObjectName(QStringLiteral("videoOutputName"));
  output_->setWordWrap(true);
  output_->setTextInteractionFlags(Qt::TextSelectableByMouse);

  streams_ = new QTableWidget(0, 3, this);
  streams_->setObjectName(QStringLiteral("videoStreams"));
  streams_->setHorizontalHeaderLabels({tr("Stream"), tr("In the source"), tr("In the output")});
  streams_->horizontalHeader()->setSectionResizeMode(2, QHeaderView::Stretch);
  streams_->verticalHeader()->hide();
  streams_->setEditTriggers(QAbstractItemView::NoEditTriggers);
  streams_->setWordWrap(true);

  auto* form = new QFormLayout;
  form->addRow(tr("Layout:"), layout_);
  form->addRow(tr("Container:"), container_);
  form->addRow(tr("Codec:"), codec_);
  form->addRow(tr("Quality (CRF):"), crf_);
  form->addRow(tr("Preset:"), preset_);
  form->addRow(tr("Bit depth:"), bit_depth_);
  form->addRow(tr("HDR:"), hdr_);
  form->addRow(tr("Frame rate:"), fps_);
  form->addRow(tr("From:"), start_);
  form->addRow(tr("To:"), end_);
  form->addRow(tr("Folder:"), folder_row);
  form->addRow(tr("Writes:"), output_);
  auto* buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
  buttons->button(QDialogButtonBox::Ok)->setText(tr("Add to queue"));
  connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
  connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
  auto* layout = new QVBoxLayout(this);
  layout->addLayout(form);
  layout->addWidget(new QLabel(tr("Streams of the source:"), this));
  layout->addWidget(streams_, 1);
  layout->addWidget(buttons);
  for (QComboBox* box : {layout_, container_, codec_, bit_depth_}) {
    connect(box, &QComboBox::currentIndexChanged, this, &VideoExportDialog::updatePlan);
  }
  connect(folder_, &QLineEdit::textChanged, this, &VideoExportDialog::updatePlan);
  updatePlan();
  resize(620, 640);
}

VideoExportSettings VideoExportDialog::settings() const {
  VideoExportSettings s;
  s.layout = static_cast<VideoOutputLayout>(layout_->currentData().toInt());
  s.encode.container = container_->currentData().toString().toStdString();
  s.encode.codec = static_cast<VideoCodec>(codec_->currentData().toInt());
  s.encode.crf = crf_->value();
  s.encode.preset = preset_->currentText().toStdString();
  s.encode.bit_depth = bit_depth_->currentData().toInt();
  s.hdr = static_cast<HdrHandling>(hdr_->currentData().toInt());
  const int fps = fps_->currentData().toInt();
  s.fps_num = fps;
  s.fps_den = 1;
  s.start_s = start_->value();
  s.end_s = end_->value() >= source_.duration_s - 1e-3 ? -1.0 : end_->value();
  return s;
}

QString VideoExportDialog::folder() const { return folder_->text(); }

QString VideoExportDialog::outputPath() const {
  const VideoExportSettings s = settings();
  const std::string container = resolveContainer(source_, s.encode.container);
  return QString::fromStdString(
      videoOutputPath(source_.path, folder_->text().toStdString(), s.layout, container).string());
}

void VideoExportDialog::updatePlan() {
  const VideoExportSettings s = settings();
  const std::string container = resolveContainer(source_, s.encode.container);
  output_->setText(QDir::toNativeSeparators(outputPath()));
  const std::vector<StreamDecision> plan = planStreams(source_, container);
  streams_->setRowCount(static_cast<int>(plan.size()) + 1);
  // The video stream first: re-encoded in stereo.
  streams_->setItem(0, 0, new QTableWidgetItem(tr("#%1 video").arg(source_.video_stream)));
  streams_->setItem(0, 1,
                    new QTableWidgetItem(tr("%1, %2 × %3")
                                             .arg(QString::fromStdString(source_.video_codec))
                                             .arg(source_.width)
                                             .arg(source_.height)));
  streams_->setItem(
      0, 2, new QTableWidgetItem(tr("stereo, encoded with %1").arg(toString(s.encode.codec))));
  int row = 1;
  for (const StreamDecision& d : plan) {
    QString what;
    switch (d.action) {
      case StreamAction::kCopy:
        what = tr("copied unchanged");
        break;
      case StreamAction::kTranscode:
        what = tr("converted to %1: %2")
                   .arg(QString::fromStdString(d.output_codec), QString::fromStdString(d.reason));
        break;
      case StreamAction::kDrop:
        what = tr("left out: %1").arg(QString::fromStdString(d.reason));
        break;
    }
    QString language;
    for (const MediaStream& stream : source_.streams) {
      if (stream.index == d.source_index && !stream.language.empty()) {
        language = QStringLiteral(" (%1)").arg(QString::fromStdString(stream.language));
      }
    }
    streams_->setItem(
        row, 0,
        new QTableWidgetItem(
            tr("#%1 %2%3").arg(d.source_index).arg(streamKindName(d.kind), language)));
    streams_->setItem(row, 1, new QTableWidgetItem(QString::fromStdString(d.codec)));
    streams_->setItem(row, 2, new QTableWidgetItem(what));
    ++row;
  }
  streams_->resizeRowsToContents();
}

}  // namespace genstereo::ui
