// The window at 1024 x 700 and at 2x scaling (ctest runs this binary twice, the second time
// with QT_SCALE_FACTOR=2: then the logical screen of a 1920 x 1080 display is 960 x 540): it
// fits, every control of the dock can be scrolled to, and the legends' texts never overlap.
// With the polish of the window: "&Folder:" as a mnemonic, Open Recent lists each file once,
// one hint on the first start, the locale's decimal separator.
#include <QtTest>

#include <QAbstractSlider>
#include <QAbstractSpinBox>
#include <QCheckBox>
#include <QComboBox>
#include <QDockWidget>
#include <QFormLayout>
#include <QLabel>
#include <QLineEdit>
#include <QScrollArea>
#include <QScrollBar>

#include "app_settings.h"
#include "color_legend.h"
#include "controls_panel.h"
#include "export_dialog.h"
#include "main_window.h"
#include "number_format.h"
#include "preferences_dialog.h"
#include "translation.h"
#include "ui_test_support.h"

using namespace genstereo::ui;

class LayoutTest : public QObject {
  Q_OBJECT

 private:
  QTemporaryDir settings_dir_;

  // The window size to check: 1024 x 700, or the logical 1920 x 1080 screen at the scale.
  static QSize targetSize() {
    const double scale = qEnvironmentVariableIsSet("QT_SCALE_FACTOR")
                             ? qEnvironmentVariable("QT_SCALE_FACTOR").toDouble()
                             : 1.0;
    if (scale <= 1.0) return {1024, 700};
    return {qRound(1920 / scale), qRound(1080 / scale)};
  }

 private slots:
  void initTestCase() { test::initTestApplication(settings_dir_); }

  // First, while the settings are fresh.
  void oneHintOnTheFirstStart() {
    {
      MainWindow first;
      first.show();
      QVERIFY(first.bannerText().contains(QLatin1String("Open Sample")));
    }
    MainWindow second;
    second.show();
    QVERIFY(second.bannerText().isEmpty());
    QVERIFY(AppSettings::isFirstStartHintShown());
  }

  void fitsTheTargetSizeWithEveryControlReachable() {
    const QSize size = targetSize();
    MainWindow window;
    window.resize(size);
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    QVERIFY2(window.minimumSizeHint().width() <= size.width(),
             qPrintable(QStringLiteral("minimum width %1 > %2")
                            .arg(window.minimumSizeHint().width())
                            .arg(size.width())));
    QVERIFY(window.minimumSizeHint().height() <= size.height());
    QTRY_COMPARE(window.size(), size);

    auto* dock = window.findChild<QDockWidget*>(QStringLiteral("controlsDock"));
    QVERIFY(dock != nullptr);
    auto* scroll = qobject_cast<QScrollArea*>(dock->widget());
    QVERIFY(scroll != nullptr);
    QVERIFY(dock->geometry().right() < window.width());
    int checked = 0;
    for (QWidget* control : window.controls()->findChildren<QWidget*>()) {
      const bool is_control = qobject_cast<QAbstractSlider*>(control) != nullptr ||
                              qobject_cast<QComboBox*>(control) != nullptr ||
                              qobject_cast<QAbstractSpinBox*>(control) != nullptr ||
                              qobject_cast<QCheckBox*>(control) != nullptr;
      if (!is_control || !control->isVisibleTo(window.controls())) continue;
      // The whole control (ensureWidgetVisible shows only a spin box's text cursor).
      const QRect in_content(control->mapTo(scroll->widget(), QPoint(0, 0)), control->size());
      scroll->ensureVisible(in_content.center().x(), in_content.center().y(),
                            in_content.width() / 2 + 1, in_content.height() / 2 + 1);
      QApplication::processEvents();
      const QRect in_viewport(control->mapTo(scroll->viewport(), QPoint(0, 0)), control->size());
      QVERIFY2(scroll->viewport()->rect().contains(in_viewport),
               qPrintable(control->objectName() + QLatin1Char(' ') +
                          QString::fromLatin1(control->metaObject()->className())));
      ++checked;
    }
    QVERIFY(checked >= 5);
  }

  void legendTextsNeverOverlap() {
    const QSize size = targetSize();
    MainWindow window;
    window.resize(size);
    window.show();
    QSignalSpy shown(&window, &MainWindow::resultShown);
    window.openImage(test::sampleImage());
    QVERIFY(shown.wait(30000));
    QApplication::processEvents();
    const QList<ColorLegend*> legends = window.findChildren<ColorLegend*>();
    QVERIFY(legends.size() >= 2);
    for (ColorLegend* legend : legends) {
      if (!legend->isVisible() || legend->highText().isEmpty()) continue;
      QVERIFY2(!legend->lowTextRect().intersects(legend->highTextRect()),
               qPrintable(legend->lowText() + QStringLiteral(" / ") + legend->highText()));
      QVERIFY(legend->highTextRect().bottom() < legend->height());
    }
    // Narrower than both texts: the high end's text goes to a second line.
    ColorLegend narrow(ColorMap::kTurbo);
    narrow.setRange(QStringLiteral("12.3 px (far)"), QStringLiteral("45.6 px (near)"));
    narrow.resize(80, narrow.heightForWidth(80));
    QVERIFY(!narrow.lowTextRect().intersects(narrow.highTextRect()));
    QVERIFY(narrow.heightForWidth(80) > narrow.heightForWidth(400));
  }

  void folderLabelIsAMnemonic() {
    ExportDialog dialog(QDir::tempPath(), QStringLiteral("cones"), QStringLiteral("anaglyph"));
    QLabel* folder_label = nullptr;
    for (QLabel* label : dialog.findChildren<QLabel*>()) {
      if (label->text() == QLatin1String("&Folder:")) folder_label = label;
    }
    QVERIFY(folder_label != nullptr);
    // With a buddy the "&" marks the shortcut (Alt+F); without one QLabel shows it literally.
    QVERIFY(qobject_cast<QLineEdit*>(folder_label->buddy()) != nullptr);
    // The same in the Preferences (issue 23: a stray "&" in "&Models folder:").
    PreferencesDialog preferences;
    QLabel* models_label = nullptr;
    for (QLabel* label : preferences.findChildren<QLabel*>()) {
      if (label->text() == QLatin1String("&Models folder:")) models_label = label;
    }
    QVERIFY(models_label != nullptr);
    QVERIFY(qobject_cast<QLineEdit*>(models_label->buddy()) != nullptr);
  }

  void openRecentListsEachFileOnce() {
    AppSettings::clearRecentFiles();
    const QString sample = test::sampleImage();
    const QFileInfo file(sample);
    AppSettings::addRecentFile(sample);
    AppSettings::addRecentFile(file.absolutePath() + QStringLiteral("/./") + file.fileName());
    AppSettings::addRecentFile(file.absolutePath() + QStringLiteral("/../") + file.dir().dirName() +
                               QLatin1Char('/') + file.fileName());
    QCOMPARE(AppSettings::recentFiles(), QStringList{file.canonicalFilePath()});
    AppSettings::clearRecentFiles();
  }

  void numbersUseTheLocalesDecimalSeparator() {
    const QLocale previous;
    QLocale::setDefault(QLocale(QLocale::German, QLocale::Germany));
    QCOMPARE(formatDecimal(1.25, 2), QStringLiteral("1,25"));
    QLocale::setDefault(QLocale(QLocale::English, QLocale::UnitedStates));
    QCOMPARE(formatDecimal(1.25, 2), QStringLiteral("1.25"));
    QLocale::setDefault(previous);
  }

  // Last: the translation stays installed for the rest of the process.
  void fitsInGerman() {
    QCOMPARE(installTranslation(*QCoreApplication::instance(), QStringLiteral("de")),
             QStringLiteral("de"));
    const QSize size = targetSize();
    MainWindow window;
    window.resize(size);
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    QVERIFY2(window.minimumSizeHint().width() <= size.width(),
             qPrintable(QString::number(window.minimumSizeHint().width())));
    QVERIFY(window.minimumSizeHint().height() <= size.height());
    // The slider readouts use the decimal comma, like the spin boxes beside them.
    QStringList readouts;
    for (const QLabel* label : window.controls()->findChildren<QLabel*>()) {
      readouts << label->text();
    }
    QVERIFY2(readouts.contains(QStringLiteral("1,00 ×")), qPrintable(readouts.join(" | ")));
    QVERIFY(readouts.contains(QStringLiteral("0,00")));
  }
};

QTEST_MAIN(LayoutTest)
#include "layout_test.moc"
