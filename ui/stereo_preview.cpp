#include "stereo_preview.h"

#include <QHBoxLayout>
#include <QLabel>
#include <QVBoxLayout>
#include <QtConcurrent/QtConcurrentRun>

#include "image_conversion.h"
#include "stereo/stereo_composition.h"

namespace genstereo::ui {

namespace {

StereoLayout layoutFor(StereoPreview::Mode mode) {
  switch (mode) {
    case StereoPreview::kAnaglyphColor:
      return StereoLayout::kAnaglyphColor;
    case StereoPreview::kAnaglyphGray:
      return StereoLayout::kAnaglyphGray;
    case StereoPreview::kSideBySideFull:
      return StereoLayout::kSideBySideFull;
    case StereoPreview::kSideBySideHalf:
      return StereoLayout::kSideBySideHalf;
    case StereoPreview::kCrossEyed:
      return StereoLayout::kCrossEyed;
    case StereoPreview::kTopBottom:
      return StereoLayout::kTopBottomFull;
    case StereoPreview::kTopBottomHalf:
      return StereoLayout::kTopBottomHalf;
    case StereoPreview::kRowInterleaved:
      return StereoLayout::kRowInterleaved;
    case StereoPreview::kColumnInterleaved:
      return StereoLayout::kColumnInterleaved;
    case StereoPreview::kCheckerboard:
      return StereoLayout::kCheckerboard;
    case StereoPreview::kAnaglyphDubois:
    case StereoPreview::kWiggle:
    case StereoPreview::kLeftEyeOnly:
    case StereoPreview::kRightEyeOnly:
      break;
  }
  return StereoLayout::kAnaglyphDubois;
}

PreviewTiling tilingFor(StereoPreview::Mode mode) {
  switch (mode) {
    case StereoPreview::kSideBySideFull:
    case StereoPreview::kCrossEyed:
      return {2, 1, false};
    case StereoPreview::kSideBySideHalf:
      return {2, 1, true};
    case StereoPreview::kTopBottom:
      return {1, 2, false};
    case StereoPreview::kTopBottomHalf:
      return {1, 2, true};
    case StereoPreview::kAnaglyphDubois:
    case StereoPreview::kAnaglyphColor:
    case StereoPreview::kAnaglyphGray:
    case StereoPreview::kWiggle:
    case StereoPreview::kRowInterleaved:
    case StereoPreview::kColumnInterleaved:
    case StereoPreview::kCheckerboard:
    case StereoPreview::kLeftEyeOnly:
    case StereoPreview::kRightEyeOnly:
      break;
  }
  return {1, 1, false};
}

}  // namespace

StereoPreview::StereoPreview(QWidget* parent) : QWidget(parent) {
  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(4, 4, 4, 4);
  auto* bar = new QHBoxLayout;
  auto* mode_label = new QLabel(tr("&Preview:"), this);
  mode_box_ = new QComboBox(this);
  mode_box_->setObjectName(QStringLiteral("previewMode"));
  // As wide as a usual entry, not the longest one (the window's minimum width).
  mode_box_->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
  mode_box_->setMinimumContentsLength(20);
  mode_box_->addItem(tr("Anaglyph red-cyan (Dubois)"), kAnaglyphDubois);
  mode_box_->addItem(tr("Anaglyph red-cyan (colour)"), kAnaglyphColor);
  mode_box_->addItem(tr("Anaglyph red-cyan (grey)"), kAnaglyphGray);
  mode_box_->addItem(tr("Side by side (full)"), kSideBySideFull);
  mode_box_->addItem(tr("Side by side (half)"), kSideBySideHalf);
  mode_box_->addItem(tr("Cross-eyed"), kCrossEyed);
  mode_box_->addItem(tr("Top-bottom"), kTopBottom);
  mode_box_->addItem(tr("Wiggle"), kWiggle);
  mode_box_->addItem(tr("Top-bottom (half)"), kTopBottomHalf);
  mode_box_->addItem(tr("Row-interlaced (passive 3D)"), kRowInterleaved);
  mode_box_->addItem(tr("Column-interlaced"), kColumnInterleaved);
  mode_box_->addItem(tr("Checkerboard (DLP 3D)"), kCheckerboard);
  mode_box_->addItem(tr("Left eye only"), kLeftEyeOnly);
  mode_box_->addItem(tr("Right eye only"), kRightEyeOnly);
  mode_label->setBuddy(mode_box_);
  auto* wiggle_label = new QLabel(tr("Wiggle &interval:"), this);
  wiggle_ms_box_ = new QSpinBox(this);
  wiggle_ms_box_->setRange(40, 1000);
  wiggle_ms_box_->setSingleStep(10);
  wiggle_ms_box_->setValue(140);
  wiggle_ms_box_->setSuffix(tr(" ms"));
  wiggle_label->setBuddy(wiggle_ms_box_);
  bar->addWidget(mode_label);
  bar->addWidget(mode_box_);
  bar->addSpacing(16);
  bar->addWidget(wiggle_label);
  bar->addWidget(wiggle_ms_box_);
  bar->addSpacing(16);
  swapped_badge_ = new QLabel(tr("⇄ Eyes swapped"), this);
  swapped_badge_->setObjectName(QStringLiteral("eyesSwappedBadge"));
  swapped_badge_->setToolTip(
      tr("View > Swap Eyes is on: the previews and every export show "
         "the right view to the left eye."));
  swapped_badge_->setStyleSheet(QStringLiteral(
      "QLabel { background: #ffd54f; color: black; border-radius: 3px; padding: 1px 6px; }"));
  swapped_badge_->hide();
  bar->addWidget(swapped_badge_);
  bar->addStretch(1);
  layout->addLayout(bar);
  view_ = new ImageView(this);
  view_->setObjectName(QStringLiteral("previewView"));
  view_->setPickable(true);
  view_->setPlaceholder(tr("The stereo preview appears when the new view has been generated."));
  layout->addWidget(view_, 1);

  connect(view_, &ImageView::pixelPicked, this, [this](QPoint picture_px) {
    const QPoint photo_px = photoPixelOfPreview(picture_px, geometry_);
    if (photo_px.x() >= 0) emit pixelPicked(photo_px);
  });
  connect(mode_box_, &QComboBox::currentIndexChanged, this, &StereoPreview::refresh);
  connect(wiggle_ms_box_, &QSpinBox::valueChanged, this,
          [this](int interval_ms) { wiggle_timer_.setInterval(interval_ms); });
  wiggle_timer_.setInterval(wiggle_ms_box_->value());
  connect(&wiggle_timer_, &QTimer::timeout, this, &StereoPreview::showWiggleFrame);
  connect(&watcher_, &QFutureWatcher<QImage>::finished, this, [this] {
    if (watched_generation_ != generation_) return;  // a newer pair or mode is on its way
    showPicture(watcher_.result(), false);
    emit previewUpdated();
  });
}

StereoPreview::~StereoPreview() { watcher_.waitForFinished(); }

int StereoPreview::wiggleMs() const { return wiggle_ms_box_->value(); }

void StereoPreview::setEyesSwapped(bool is_swapped) { swapped_badge_->setVisible(is_swapped); }

void StereoPreview::setResult(const EngineResultPtr& result) {
  result_ = result;
  refresh();
}

void StereoPreview::setScreenPoint(std::optional<QPoint> photo_px) {
  screen_point_px_ = photo_px;
  view_->setMarkers(screen_point_px_ ? previewPointsOfPhoto(*screen_point_px_, geometry_)
                                     : QList<QPointF>());
}

void StereoPreview::showPicture(const QImage& picture, bool is_uncropped_photo) {
  geometry_ = PreviewGeometry();
  if (result_ && !picture.isNull()) {
    const double scale = result_->display_scale;
    geometry_.tiling = tilingFor(mode());
    geometry_.view_size_px = QSizeF(result_->left.cols * scale, result_->left.rows * scale);
    geometry_.first_column_px = result_->first_column_px * scale;
    if (is_uncropped_photo) {
      geometry_.view_size_px = QSizeF(picture.size()) * scale;
      geometry_.first_column_px = 0.0;
    }
  }
  view_->setImage(picture, result_ ? result_->display_scale : 1.0);
  setScreenPoint(screen_point_px_);
}

void StereoPreview::setMode(Mode mode) { mode_box_->setCurrentIndex(mode_box_->findData(mode)); }

StereoPreview::Mode StereoPreview::mode() const {
  return static_cast<Mode>(mode_box_->currentData().toInt());
}

void StereoPreview::refresh() {
  ++generation_;
  wiggle_ms_box_->setEnabled(mode() == kWiggle);
  if (!result_) {
    wiggle_timer_.stop();
    showPicture(QImage(), false);
    return;
  }
  if (mode() == kWiggle) {
    is_wiggle_right_ = false;
    showWiggleFrame();
    wiggle_timer_.start();
    emit previewUpdated();
    return;
  }
  wiggle_timer_.stop();
  const cv::Mat left = result_->left;
  const cv::Mat right = result_->right;
  const StereoLayout layout = layoutFor(mode());
  const Mode mode_now = mode();
  watched_generation_ = generation_;
  watcher_.setFuture(QtConcurrent::run([left, right, layout, mode_now] {
    if (mode_now == kLeftEyeOnly) return toQImage(left);
    if (mode_now == kRightEyeOnly) return toQImage(right);
    return toQImage(composeStereo(left, right, layout));
  }));
}

void StereoPreview::showWiggleFrame() {
  if (!result_) return;
  // The photo is never cropped; the generated view starts at the first column kept
  // (BorderMode::kCrop): a frame wider than the pair's views is the whole photo.
  const QImage& frame = is_wiggle_right_ ? result_->final_view : result_->input;
  showPicture(frame, frame.width() != result_->left.cols);
  is_wiggle_right_ = !is_wiggle_right_;
}

}  // namespace genstereo::ui
