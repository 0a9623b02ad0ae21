// Controls that say what they do (issue 23): the baseline in effect under the parallax limit,
// the convergence slider greyed under auto convergence and starting from the auto value, and
// the mouse wheel reaching a field only when it has the focus (offscreen).
#include <QtTest>

#include <QScrollArea>
#include <QWheelEvent>

#include "comfort_controls.h"
#include "controls_panel.h"
#include "main_window.h"
#include "ui_test_support.h"

using namespace genstereo;
using namespace genstereo::ui;
using genstereo::ui::test::openAndWait;

namespace {

template <typename Change>
EngineResultPtr changeAndWait(MainWindow& window, Change change) {
  QSignalSpy shown(&window, &MainWindow::resultShown);
  change();
  while (shown.wait(60000)) {
    if (!window.currentResult()->is_proxy && !window.isBusy()) return window.currentResult();
  }
  return nullptr;
}

// A wheel notch (up) at the centre of `widget`; whether the widget took it.
bool wheelOver(QWidget* widget) {
  const QPointF local(widget->width() / 2.0, widget->height() / 2.0);
  QWheelEvent event(local, widget->mapToGlobal(local), QPoint(), QPoint(0, 120), Qt::NoButton,
                    Qt::NoModifier, Qt::NoScrollPhase, false);
  QApplication::sendEvent(widget, &event);
  return event.isAccepted();
}

}  // namespace

class WorkbenchControlsTest : public QObject {
  Q_OBJECT

 private:
  QTemporaryDir settings_dir_;

 private slots:
  void initTestCase() { test::initTestApplication(settings_dir_); }

  // A result narrowed by the limit: the slider stands at the baseline in effect with a marker
  // saying so; the chosen baseline is kept for the next photo.
  void baselineShowsTheScaleInEffect() {
    ControlsPanel panel;
    panel.show();
    EngineResult result;
    result.params = panel.params();
    QCOMPARE(result.params.comfort.max_range_percent, kComfortableRangePercent);
    result.applied_baseline_scale = 0.37;
    result.disparity_max_px = 10.0;
    panel.showResult(result);
    QCOMPARE(panel.baselineSlider()->value(), 37);
    QVERIFY(panel.baselineLimitLabel()->isVisible());
    QVERIFY2(panel.baselineLimitLabel()->text().contains(QStringLiteral("0.37")),
             qPrintable(panel.baselineLimitLabel()->text()));
    QCOMPARE(panel.findChild<QLabel*>(QStringLiteral("baselineValue"))->text(),
             QStringLiteral("0.37 ×"));
    QCOMPARE(panel.params().baseline_scale, 1.0);  // chosen; the limit narrows it per photo
    // A result that the limit did not narrow: the chosen value again, no marker.
    result.applied_baseline_scale = 1.0;
    panel.showResult(result);
    QCOMPARE(panel.baselineSlider()->value(), 100);
    QVERIFY(!panel.baselineLimitLabel()->isVisible());
  }

  // On the sample the limit narrows the baseline; one step down (←) must give less parallax,
  // not the unlimited pair (issue 23: 2.9 % became 7.0 %).
  void lessBaselineNeverGivesMoreParallax() {
    MainWindow window;
    window.resize(1280, 800);
    window.show();
    QVERIFY(openAndWait(window, test::sampleImage()));
    const EngineResultPtr limited = window.currentResult();
    QVERIFY(limited->applied_baseline_scale < 0.9);
    QSlider* slider = window.controls()->baselineSlider();
    QCOMPARE(slider->value(), qRound(limited->applied_baseline_scale * 100.0));
    QVERIFY(window.controls()->baselineLimitLabel()->isVisibleTo(window.controls()));
    slider->setFocus();
    const EngineResultPtr lower =
        changeAndWait(window, [&] { QTest::keyClick(slider, Qt::Key_Left); });
    QVERIFY(lower != nullptr);
    QVERIFY2(lower->applied_baseline_scale < limited->applied_baseline_scale,
             qPrintable(QString::number(lower->applied_baseline_scale)));
    QVERIFY2(lower->parallax.rangePercent() < limited->parallax.rangePercent(),
             qPrintable(QStringLiteral("%1 -> %2")
                            .arg(limited->parallax.rangePercent())
                            .arg(lower->parallax.rangePercent())));
    QVERIFY(!window.controls()->baselineLimitLabel()->isVisibleTo(window.controls()));
    // And the slider stays where the user put it.
    QCOMPARE(slider->value(), qRound(lower->applied_baseline_scale * 100.0));
  }

  // Auto convergence: the slider is greyed and shows where the plane went; unticking Auto
  // keeps that plane (the same pair), not convergence 0.
  void untickingAutoStartsFromTheAutoPlane() {
    MainWindow window;
    window.resize(1280, 800);
    window.show();
    QVERIFY(openAndWait(window, test::sampleImage()));
    ControlsPanel* controls = window.controls();
    QSlider* slider = controls->convergenceSlider();
    QVERIFY(!slider->isEnabled());
    QCheckBox* auto_box = controls->comfortControls()->autoConvergenceBox();
    QVERIFY(auto_box->isChecked());
    QVERIFY(auto_box->parentWidget()->isAncestorOf(slider));  // in the slider's field
    const EngineResultPtr automatic = window.currentResult();
    const int auto_value = slider->value();
    QVERIFY2(auto_value > 0 && auto_value < 100,
             qPrintable(QStringLiteral("%1: screen %2 px, max %3 px")
                            .arg(auto_value)
                            .arg(automatic->screen_disparity_px)
                            .arg(automatic->disparity_max_px)));
    const EngineResultPtr manual = changeAndWait(window, [&] { auto_box->setChecked(false); });
    QVERIFY(manual != nullptr);
    QVERIFY(slider->isEnabled());
    QCOMPARE(slider->value(), auto_value);
    QCOMPARE(manual->params.comfort.convergence, ConvergenceMode::kManual);
    // The slider has hundredths: the plane moves by at most half a hundredth of max(d').
    const double tolerance_percent =
        0.6 * (automatic->disparity_max_px + automatic->screen_disparity_px) / 100.0 * 100.0 /
        automatic->disparity_px.cols;
    QVERIFY2(std::abs(manual->parallax.near_percent - automatic->parallax.near_percent) <=
                 tolerance_percent,
             qPrintable(QStringLiteral("%1 vs %2")
                            .arg(manual->parallax.near_percent)
                            .arg(automatic->parallax.near_percent)));
  }

  // Scrolling the dock scrolls it; the wheel changes a field only once it has the focus.
  void wheelChangesOnlyTheFocusedField() {
    QScrollArea area;
    auto* panel = new ControlsPanel;
    area.setWidget(panel);
    area.setWidgetResizable(true);
    area.resize(400, 300);
    area.show();
    area.activateWindow();
    QVERIFY(QTest::qWaitForWindowActive(&area));
    QDoubleSpinBox* limit = panel->comfortControls()->limitBox();
    QComboBox* fill = panel->fillBox();
    QSlider* baseline = panel->baselineSlider();
    QCOMPARE(limit->focusPolicy(), Qt::StrongFocus);
    QCOMPARE(fill->focusPolicy(), Qt::StrongFocus);
    QSignalSpy changed(panel, &ControlsPanel::paramsChanged);
    const double limit_before = limit->value();
    const int fill_before = fill->currentIndex();
    const int baseline_before = baseline->value();
    area.ensureWidgetVisible(limit);
    // Not accepted: the application passes a real (spontaneous) wheel event on to the
    // parents, i.e. the dock's scroll area (a synthesised one stops here, QApplication::notify).
    QVERIFY(!wheelOver(limit));
    QVERIFY(!wheelOver(fill));
    QVERIFY(!wheelOver(baseline));
    QCOMPARE(limit->value(), limit_before);
    QCOMPARE(fill->currentIndex(), fill_before);
    QCOMPARE(baseline->value(), baseline_before);
    QCOMPARE(changed.count(), 0);
    QVERIFY(!limit->hasFocus());  // the wheel did not give it the focus either
    limit->setFocus();
    QTRY_VERIFY(limit->hasFocus());
    QVERIFY(wheelOver(limit));
    QVERIFY(limit->value() > limit_before);
    QCOMPARE(changed.count(), 1);
  }
};

QTEST_MAIN(WorkbenchControlsTest)
#include "workbench_controls_test.moc"
