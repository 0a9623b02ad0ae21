// The comfort controls: comfortable defaults, the settings they hand to the engine, the
// budget readout and its warning, "click a point".
#include <QSignalSpy>
#include <QTest>

#include "comfort_controls.h"

namespace genstereo::ui {

class ComfortControlsTest : public QObject {
  Q_OBJECT

 private slots:
  void startsComfortable() {
    ComfortControls controls;
    const ComfortParams comfort = controls.comfort();
    QCOMPARE(comfort.convergence, ConvergenceMode::kPercentile);
    QCOMPARE(comfort.convergence_percentile, 50.0);
    QCOMPARE(comfort.max_range_percent, kComfortableRangePercent);
    QCOMPARE(controls.border(), BorderMode::kScreen);
    QVERIFY(controls.autoConvergenceBox()->isChecked());
    QVERIFY(controls.percentileBox()->isEnabled());
    QCOMPARE(controls.limitBox()->value(), kComfortableRangePercent);
    QVERIFY(!controls.screenPointLabel()->isVisibleTo(&controls));
  }

  void limitBoxSetsTheRangeLimit() {
    ComfortControls controls;
    QSignalSpy changed(&controls, &ComfortControls::settingsChanged);
    controls.limitBox()->setValue(5.5);
    QCOMPARE(controls.comfort().max_range_percent, 5.5);
    controls.limitBox()->setValue(0.0);
    QCOMPARE(controls.comfort().max_range_percent, 0.0);
    QCOMPARE(controls.limitBox()->text(), QStringLiteral("none"));
    QCOMPARE(changed.count(), 2);
    ComfortParams limited = comfortableSettings();
    limited.max_range_percent = 4.0;
    controls.setSettings(limited, BorderMode::kScreen);
    QCOMPARE(controls.limitBox()->value(), 4.0);
    QCOMPARE(changed.count(), 2);
  }

  void controlsChangeTheSettings() {
    ComfortControls controls;
    QSignalSpy changed(&controls, &ComfortControls::settingsChanged);
    controls.percentileBox()->setValue(30);
    QCOMPARE(controls.comfort().convergence_percentile, 30.0);
    controls.autoConvergenceBox()->setChecked(false);
    QCOMPARE(controls.comfort().convergence, ConvergenceMode::kManual);
    QVERIFY(!controls.percentileBox()->isEnabled());
    controls.borderBox()->setCurrentIndex(controls.borderBox()->findData(static_cast<int>(BorderMode::kCrop)));
    QCOMPARE(controls.border(), BorderMode::kCrop);
    QCOMPARE(changed.count(), 3);
  }

  void clickAPointSetsThePointConvergence() {
    ComfortControls controls;
    QSignalSpy changed(&controls, &ComfortControls::settingsChanged);
    controls.pickButton()->setChecked(true);
    controls.setScreenPoint(cv::Point(120, 45));
    QVERIFY(!controls.pickButton()->isChecked());  // one pick per press of the button
    QVERIFY(controls.screenPointLabel()->isVisibleTo(&controls));
    QVERIFY(controls.screenPointLabel()->text().contains(QStringLiteral("(120, 45)")));
    QCOMPARE(controls.comfort().convergence, ConvergenceMode::kPoint);
    QCOMPARE(controls.comfort().screen_point_px, cv::Point(120, 45));
    QVERIFY(!controls.autoConvergenceBox()->isChecked());
    QCOMPARE(changed.count(), 1);
    controls.autoConvergenceBox()->setChecked(true);
    QCOMPARE(controls.comfort().convergence, ConvergenceMode::kPercentile);
    QVERIFY(!controls.screenPointLabel()->isVisibleTo(&controls));
  }

  void setSettingsIsSilent() {
    ComfortControls controls;
    QSignalSpy changed(&controls, &ComfortControls::settingsChanged);
    ComfortParams manual;
    controls.setSettings(manual, BorderMode::kFill);
    QCOMPARE(changed.count(), 0);
    QVERIFY(!controls.autoConvergenceBox()->isChecked());
    QCOMPARE(controls.border(), BorderMode::kFill);
  }

  void budgetAndWarning() {
    ComfortControls controls;
    controls.show();
    ParallaxBudget budget;
    budget.near_percent = -12.0;
    budget.far_percent = 0.0;
    const std::vector<std::string> warnings = comfortWarnings(budget);
    controls.showBudget(budget, warnings);
    QVERIFY(controls.budgetLabel()->text().contains(QStringLiteral("12")));
    QVERIFY(controls.warningLabel()->isVisible());
    QVERIFY(controls.warningLabel()->text().contains(QStringLiteral("1/30")));
    budget.near_percent = -1.5;
    budget.far_percent = 1.0;
    controls.showBudget(budget, comfortWarnings(budget));
    QVERIFY(!controls.warningLabel()->isVisible());
    QVERIFY(!controls.budgetLabel()->text().contains(QStringLiteral("narrowed")));
    controls.showBudget(budget, {}, 0.37);
    QVERIFY(controls.budgetLabel()->text().contains(QStringLiteral("narrowed to 0.37")));
    controls.clearBudget();
    QVERIFY(!controls.warningLabel()->isVisible());
  }
};

}  // namespace genstereo::ui

QTEST_MAIN(genstereo::ui::ComfortControlsTest)
#include "comfort_controls_test.moc"
