// Comfort controls of the workbench (docs/comfort.md): the parallax budget of the pair on
// screen with a warning outside the comfort range, auto convergence on/off with its
// percentile or a picked screen point, the parallax range limit, and what to do with the border
// strip. Holds the settings only; the controls panel maps them onto EngineParams (comfort(),
// border()), the window feeds back each result's budget (showBudget) and, while the "Pick
// screen plane" button is down, the photo pixel clicked in the inspection views
// (setScreenPoint).
#pragma once

#include <vector>

#include <QCheckBox>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QGroupBox>
#include <QLabel>
#include <QPushButton>
#include <QSpinBox>

#include "stereo/comfort_shaping.h"
#include "stereo/parallax_budget.h"
#include "stereo/stereo_border.h"

namespace genstereo::ui {

class ComfortControls : public QGroupBox {
  Q_OBJECT

 public:
  // Starts with the comfortable settings of `generate` (comfortableSettings(), screen border).
  explicit ComfortControls(QWidget* parent = nullptr);

  // The settings as the engine takes them. A point convergence set by the window (click a
  // point) is returned until auto convergence is switched on again.
  ComfortParams comfort() const;
  BorderMode border() const;
  void setSettings(const ComfortParams& comfort, BorderMode border);
  // "Click a point": zero parallax at pixel `point_px` of the photo (auto convergence off).
  void setScreenPoint(cv::Point point_px);

  // The budget of the last result, and its comfort warnings (empty: comfortable), worded by
  // warningText. `narrowed_baseline_scale`: the baseline scale the parallax limit narrowed the
  // pair to (shown with the budget); 0 when the limit did not narrow it.
  void showBudget(const ParallaxBudget& budget, const std::vector<ComfortWarning>& warnings,
                  double narrowed_baseline_scale = 0.0);
  // One warning in the interface's language (the English of describeComfortWarning, numbers
  // with the locale's decimal separator).
  static QString warningText(const ComfortWarning& warning);
  void clearBudget();
  // Takes the Auto convergence checkbox out of this group's layout, for the controls panel to
  // put it beside the convergence slider it greys (the box keeps working from there).
  QCheckBox* takeAutoConvergenceBox();

  QCheckBox* autoConvergenceBox() const { return auto_box_; }
  QSpinBox* percentileBox() const { return percentile_box_; }
  QDoubleSpinBox* limitBox() const { return limit_box_; }
  QComboBox* borderBox() const { return border_box_; }
  // Checkable: while down, a click in the photo's views picks the screen point.
  QPushButton* pickButton() const { return pick_button_; }
  QLabel* screenPointLabel() const { return point_label_; }
  QLabel* budgetLabel() const { return budget_label_; }
  QLabel* warningLabel() const { return warning_label_; }

 signals:
  // A setting that changes the result changed.
  void settingsChanged();
  // The baseline scale the parallax limit narrowed the last result to (0: not narrowed, or
  // the budget was cleared), for the baseline control to show the baseline in effect.
  void baselineNarrowed(double narrowed_baseline_scale);

 private:
  void updateScreenPoint();

  QCheckBox* auto_box_ = nullptr;
  QSpinBox* percentile_box_ = nullptr;
  QPushButton* pick_button_ = nullptr;
  QLabel* point_label_ = nullptr;
  QDoubleSpinBox* limit_box_ = nullptr;
  QComboBox* border_box_ = nullptr;
  QLabel* budget_label_ = nullptr;
  QLabel* warning_label_ = nullptr;
  ComfortParams comfort_;
};

}  // namespace genstereo::ui
