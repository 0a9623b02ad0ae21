// Memory after closing a big photo (issue 23, point 9): once the next photo is open, nothing of
// the window keeps the big one (its input, its result, a view's picture, a preview's
// composite), and the resident memory comes back close to what the small photo needs
// (offscreen; the 3D view's texture bound is in scene_3d_test).
#include <QtTest>

#include <QFile>
#include <memory>

#include "image_view.h"
#include "main_window.h"
#include "ui_test_support.h"

using namespace genstereo::ui;
using genstereo::ui::test::openAndWait;

namespace {

// Resident set size of this process (Linux /proc/self/statm), in MB; -1 elsewhere.
double residentMb() {
  QFile statm(QStringLiteral("/proc/self/statm"));
  if (!statm.open(QIODevice::ReadOnly)) return -1.0;
  const QList<QByteArray> fields = statm.readAll().split(' ');
  if (fields.size() < 2) return -1.0;
  return fields[1].toDouble() * 4096.0 / (1024.0 * 1024.0);
}

// Shows each tab in turn so that every view holds its picture of the current result.
void visitTabs(MainWindow& window) {
  for (MainWindow::Tab tab :
       {MainWindow::kPreviewTab, MainWindow::kCompareTab, MainWindow::kInspectTab}) {
    window.showTab(tab);
    QTest::qWait(300);
  }
}

}  // namespace

class MemoryBoundTest : public QObject {
  Q_OBJECT

 private:
  QTemporaryDir settings_dir_;

 private slots:
  void initTestCase() { test::initTestApplication(settings_dir_); }

  void nextPhotoReleasesTheBigOne() {
    QTemporaryDir dir;
    const QString big = test::writeScaledSample(dir.path(), QStringLiteral("big"), 4000, 2724);
    const QString big_map = dir.filePath(QStringLiteral("big_disp.pfm"));
    MainWindow window;
    window.resize(1100, 760);
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));

    QVERIFY(openAndWait(window, test::sampleImage()));
    visitTabs(window);
    const double sample_mb = residentMb();

    QVERIFY(openAndWait(window, big, big_map));
    QCOMPARE(window.currentResult()->left.cols, 4000);
    visitTabs(window);
    const double big_mb = residentMb();
    std::weak_ptr<const InputData> big_input = window.currentInput();
    std::weak_ptr<const EngineResult> big_result = window.currentResult();

    QVERIFY(openAndWait(window, test::sampleImage()));
    visitTabs(window);
    // No cache keeps the big photo's input or result...
    QTRY_VERIFY_WITH_TIMEOUT(big_input.expired(), 5000);
    QTRY_VERIFY_WITH_TIMEOUT(big_result.expired(), 5000);
    // ...nor a view its pictures.
    for (ImageView* view : window.findChildren<ImageView*>()) {
      QVERIFY2(view->image().width() < 4000,
               qPrintable(QStringLiteral("%1 holds a %2 px wide picture")
                              .arg(view->objectName())
                              .arg(view->image().width())));
    }
    const double again_mb = residentMb();
    qInfo("resident memory: sample %.0f MB, 4000 x 2724 photo %.0f MB, sample again %.0f MB",
          sample_mb, big_mb, again_mb);
    if (sample_mb < 0.0) QSKIP("no /proc/self/statm: resident memory not measured");
    // Back close to the sample's: at most a quarter of what the big photo added stays.
    QVERIFY2(again_mb - sample_mb < 0.25 * (big_mb - sample_mb),
             qPrintable(QStringLiteral("%1 MB stay of the %2 MB the big photo took")
                            .arg(again_mb - sample_mb, 0, 'f', 0)
                            .arg(big_mb - sample_mb, 0, 'f', 0)));
  }
};

QTEST_MAIN(MemoryBoundTest)
#include "memory_bound_test.moc"
