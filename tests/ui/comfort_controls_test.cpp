// The comfort controls: comfortable defaults, the settings they hand to the engine, the
// budget readout and its warning, "click a point".
#include <QCoreApplication>
#include <QLocale>
#include <QSignalSpy>
#include <QTest>
#include <QTranslator>

#include "comfort_controls.h"

namespace genstereo::ui {

namespace {

// Stands in for the German entries of the comfort warnings (the translation pass adds them to
// translations/genstereo_de.ts): what a loaded translation does to the group's texts.
class WarningTranslator : public QTranslator {
 public:
  QString translate(const char* context, const char* source, const char* /*disambiguation*/,
                    int /*n*/) const override {
    if (QByteArray(context) != "genstereo::ui::ComfortControls") return QString();
    const QByteArray text(source);
    if (text == "Uncomfortable: %1") return QStringLiteral("Unbequem: %1");
    if (text == "parallax range %1 of the width exceeds the comfort limit of %2 (1/30 rule)") {
      return QStringLiteral(
          "Parallaxenbereich %1 der Breite über der Komfortgrenze %2 (1/30-Regel)");
    }
    if (text.startsWith("parallax behind the screen %1")) {
      return QStringLiteral("Parallaxe hinter dem Bildschirm %1 der Breite über %2");
    }
    return QString();
  }
  bool isEmpty() const override { return false; }
};

}  // namespace

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
    controls.borderBox()->setCurrentIndex(
        controls.borderBox()->findData(static_cast<int>(BorderMode::kCrop)));
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
    const std::vector<ComfortWarning> warnings = comfortWarnings(budget);
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

  // The warnings arrive as data (kind and numbers) and are worded here, through tr() and the
  // locale's numbers, not shown as the core's English.
  void warningsAreWordedByTheInterface() {
    const QLocale previous_locale;
    QLocale::setDefault(QLocale(QLocale::English, QLocale::UnitedStates));
    ComfortControls controls;
    controls.show();
    ParallaxBudget budget;
    budget.near_percent = -2.0;
    budget.far_percent = 5.0;  // both limits: range 7 % > 3.3 %, behind 5 % > 2.6 %
    const std::vector<ComfortWarning> warnings = comfortWarnings(budget);
    QCOMPARE(warnings.size(), std::size_t{2});
    controls.showBudget(budget, warnings);
    QCOMPARE(controls.warningLabel()->text(),
             QStringLiteral("Uncomfortable: parallax range 7.0 % of the width exceeds the comfort "
                            "limit of 3.3 % (1/30 rule); parallax behind the screen 5.0 % of the "
                            "width exceeds 2.6 % (eyes diverge on screens wider than 2.5 m)"));

    WarningTranslator german;
    QVERIFY(QCoreApplication::installTranslator(&german));
    QLocale::setDefault(QLocale(QLocale::German, QLocale::Germany));
    controls.showBudget(budget, warnings);
    const QString translated = controls.warningLabel()->text();
    QCoreApplication::removeTranslator(&german);
    QLocale::setDefault(previous_locale);
    QCOMPARE(translated,
             QStringLiteral("Unbequem: Parallaxenbereich 7,0 % der Breite über der Komfortgrenze "
                            "3,3 % (1/30-Regel); Parallaxe hinter dem Bildschirm 5,0 % der Breite "
                            "über 2,6 %"));
  }
};

}  // namespace genstereo::ui

QTEST_MAIN(genstereo::ui::ComfortControlsTest)
#include "comfort_controls_test.moc"
