// The inspection views of one result, zoomed and panned together: input, disparity (colour
// map with legend), warped view, occlusion mask, fusion weights (heat map with legend),
// generated view before fusion, final view. The titles name the eye(s) of the result shown
// (eye_labels.h).
#pragma once

#include <array>
#include <optional>

#include <QLabel>
#include <QWidget>

#include "color_legend.h"
#include "engine_types.h"
#include "image_view.h"

namespace genstereo::ui {

class InspectionPanel : public QWidget {
  Q_OBJECT

 public:
  enum View { kInput, kDisparity, kWarped, kOcclusion, kFusion, kBeforeFusion, kFinal, kViewCount };

  explicit InspectionPanel(QWidget* parent = nullptr);

  // Only the photo is known (no result yet, or no map): the other views show `message`.
  void showInputOnly(const QImage& input, const QString& message);
  void showResult(const EngineResultPtr& result);

  ImageView* view(View which) const { return views_[which]; }
  QString title(View which) const { return titles_[which]->text(); }
  ViewSync* sync() const { return sync_; }
  const ColorLegend* disparityLegend() const { return disparity_legend_; }
  // "Pick screen plane": the next click in the input or disparity view (the photo's pixels)
  // emits pixelPicked; Ctrl+click there always does.
  void setPickArmed(bool is_armed);
  // The photo's pixel on the screen plane (ConvergenceMode::kPoint), marked in the input and
  // disparity views; none: no marker.
  void setScreenPoint(std::optional<QPoint> photo_px);

 signals:
  void pixelHovered(QPoint image_pixel);
  // A pixel of the photo clicked in the input or disparity view (full-resolution pixels).
  void pixelPicked(QPoint image_pixel);

 private:
  ViewSync* sync_ = nullptr;
  void setTitles(SynthesisEye eye);
  void updateMarkers();

  std::array<ImageView*, kViewCount> views_{};
  std::array<QLabel*, kViewCount> titles_{};
  ColorLegend* disparity_legend_ = nullptr;
  ColorLegend* fusion_legend_ = nullptr;
  int disparity_first_column_px_ = 0;  // photo pixels (BorderMode::kCrop)
  std::optional<QPoint> screen_point_px_;
};

}  // namespace genstereo::ui
