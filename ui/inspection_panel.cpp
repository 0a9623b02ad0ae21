#include "inspection_panel.h"

#include <cmath>

#include <QGridLayout>
#include <QVBoxLayout>

#include "eye_labels.h"
#include "number_format.h"

namespace genstereo::ui {

InspectionPanel::InspectionPanel(QWidget* parent) : QWidget(parent) {
  sync_ = new ViewSync(this);
  auto* grid = new QGridLayout(this);
  grid->setContentsMargins(4, 4, 4, 4);
  grid->setSpacing(6);
  for (int i = 0; i < kViewCount; ++i) {
    auto* cell = new QWidget(this);
    auto* layout = new QVBoxLayout(cell);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(2);
    auto* title = new QLabel(cell);
    QFont font = title->font();
    font.setBold(true);
    title->setFont(font);
    title->setWordWrap(true);  // a long title takes two lines, not the window's width
    layout->addWidget(title);
    titles_[i] = title;
    views_[i] = new ImageView(cell);
    views_[i]->setObjectName(QStringLiteral("inspectionView%1").arg(i));
    views_[i]->setSync(sync_);
    layout->addWidget(views_[i], 1);
    connect(views_[i], &ImageView::pixelHovered, this, &InspectionPanel::pixelHovered);
    if (i == kInput || i == kDisparity) {  // the photo's pixels (the others: the new view's)
      views_[i]->setPickable(true);
      // The disparity of a pair cropped to its stereo window starts at a later column.
      connect(views_[i], &ImageView::pixelPicked, this, [this, i](QPoint pixel) {
        emit pixelPicked(i == kDisparity ? pixel + QPoint(disparity_first_column_px_, 0) : pixel);
      });
    }
    if (i == kDisparity) {
      disparity_legend_ = new ColorLegend(ColorMap::kTurbo, cell);
      layout->addWidget(disparity_legend_);
    } else if (i == kFusion) {
      fusion_legend_ = new ColorLegend(ColorMap::kInferno, cell);
      fusion_legend_->setRange(tr("0: generated"), tr("1: warped"));
      layout->addWidget(fusion_legend_);
    }
    // Pipeline order, four per row; the final view takes the last two cells.
    grid->addWidget(cell, i / 4, i % 4, 1, i == kFinal ? 2 : 1);
  }
  for (int column = 0; column < 4; ++column) grid->setColumnStretch(column, 1);
  for (int row = 0; row < 2; ++row) grid->setRowStretch(row, 1);
  setTitles(SynthesisEye::kRight);
  showInputOnly(
      QImage(),
      tr("Open a photo (File > Open, drag and drop) or the sample (Help > Open sample)."));
}

void InspectionPanel::setTitles(SynthesisEye eye) {
  titles_[kInput]->setText(eyeLabel(EyeLabel::kInputTitle, eye));
  titles_[kDisparity]->setText(tr("Disparity"));
  titles_[kWarped]->setText(tr("Warped view"));
  titles_[kOcclusion]->setText(tr("Occlusion mask (white = hole)"));
  titles_[kFusion]->setText(tr("Fusion weights"));
  titles_[kBeforeFusion]->setText(tr("Generated view before fusion"));
  titles_[kFinal]->setText(eyeLabel(EyeLabel::kFinalTitle, eye));
}

void InspectionPanel::setPickArmed(bool is_armed) {
  views_[kInput]->setPickArmed(is_armed);
  views_[kDisparity]->setPickArmed(is_armed);
}

void InspectionPanel::setScreenPoint(std::optional<QPoint> photo_px) {
  screen_point_px_ = photo_px;
  updateMarkers();
}

void InspectionPanel::updateMarkers() {
  QList<QPointF> input_markers;
  QList<QPointF> disparity_markers;
  if (screen_point_px_) {
    const QPointF centre = QPointF(*screen_point_px_) + QPointF(0.5, 0.5);
    input_markers << centre;
    // The disparity of a cropped pair starts at a later column of the photo.
    if (centre.x() > disparity_first_column_px_) {
      disparity_markers << centre - QPointF(disparity_first_column_px_, 0.0);
    }
  }
  views_[kInput]->setMarkers(input_markers);
  views_[kDisparity]->setMarkers(disparity_markers);
}

void InspectionPanel::showInputOnly(const QImage& input, const QString& message) {
  views_[kInput]->setImage(input);
  views_[kInput]->setPlaceholder(message);
  for (int i = kInput + 1; i < kViewCount; ++i) {
    views_[i]->setImage(QImage());
    // Without a photo the hint is shown once (in the input view), not in every view.
    views_[i]->setPlaceholder(input.isNull() ? QString() : message);
  }
  disparity_legend_->setRange(QString(), QString());
  disparity_first_column_px_ = 0;
  updateMarkers();
}

void InspectionPanel::showResult(const EngineResultPtr& result) {
  setTitles(result->params.synthesis.eye);
  views_[kInput]->setImage(result->input, result->display_scale);
  views_[kDisparity]->setImage(result->disparity_color, result->display_scale);
  views_[kWarped]->setImage(result->warped, result->display_scale);
  views_[kOcclusion]->setImage(result->occlusion_mask, result->display_scale);
  views_[kFusion]->setImage(result->fusion_heat, result->display_scale);
  views_[kBeforeFusion]->setImage(result->filled, result->display_scale);
  views_[kFinal]->setImage(result->final_view, result->display_scale);
  // In pixels of the photo (a live-preview proxy's disparities are smaller by its scale).
  const double scale = result->display_scale;
  disparity_first_column_px_ = static_cast<int>(std::lround(result->first_column_px * scale));
  disparity_legend_->setRange(
      tr("%1 px (far)").arg(formatDecimal(result->disparity_min_px * scale, 1)),
      tr("%1 px (near)").arg(formatDecimal(result->disparity_max_px * scale, 1)));
  updateMarkers();
}

}  // namespace genstereo::ui
