// Stereo files as input (issue 23, point 10): an MPO and a JPS made by our own writers open
// with their left view as the photo, and their real right view is offered as the truth in the
// Before/after tab and in the pixel inspector (offscreen).
#include <QtTest>

#include <QPushButton>
#include <QRegularExpression>

#include <opencv2/core.hpp>

#include "before_after_view.h"
#include "image_conversion.h"
#include "image_view.h"
#include "inspection_panel.h"
#include "io/atomic_write.h"
#include "io/image_io.h"
#include "io/jps_writer.h"
#include "io/mpo_writer.h"
#include "main_window.h"
#include "ui_test_support.h"

using namespace genstereo;
using namespace genstereo::ui;
using genstereo::ui::test::openAndWait;

namespace {

double psnr(const cv::Mat& a, const cv::Mat& b) { return cv::PSNR(a, b, 1.0); }

// Mean absolute difference of two RGB888 pictures of the same size, 0..255.
double meanDifference(const QImage& a, const QImage& b) {
  if (a.size() != b.size()) return 255.0;
  const QImage x = a.convertToFormat(QImage::Format_RGB888);
  const QImage y = b.convertToFormat(QImage::Format_RGB888);
  double sum = 0.0;
  for (int row = 0; row < x.height(); ++row) {
    const uchar* p = x.constScanLine(row);
    const uchar* q = y.constScanLine(row);
    for (int i = 0; i < x.width() * 3; ++i) sum += std::abs(int(p[i]) - int(q[i]));
  }
  return sum / (double(x.width()) * x.height() * 3.0);
}

}  // namespace

class StereoInputTest : public QObject {
  Q_OBJECT

 private:
  QTemporaryDir settings_dir_;

 private slots:
  void initTestCase() { test::initTestApplication(settings_dir_); }

  void opensTheLeftViewWithTheRightAsTruth_data() {
    QTest::addColumn<QString>("extension");
    QTest::newRow("MPO") << QStringLiteral("mpo");
    QTest::newRow("JPS") << QStringLiteral("jps");
  }

  void opensTheLeftViewWithTheRightAsTruth() {
    QFETCH(QString, extension);
    // The sample as the left view; a right view that is clearly another picture (its
    // negative), so that a swapped pair cannot pass.
    const cv::Mat left = readImage(test::sampleImage().toStdString());
    const cv::Mat right = cv::Scalar::all(1.0) - left;
    QTemporaryDir dir;
    const std::string path = (dir.path() + QStringLiteral("/pair.") + extension).toStdString();
    writeBytesAtomically(path, extension == QLatin1String("mpo")
                                   ? buildStereoMpo(encodeJpeg(left, 95), encodeJpeg(right, 95))
                                   : buildJps(left, right, 95));

    MainWindow window;
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    QVERIFY(openAndWait(window, QString::fromStdString(path), test::sampleDisparity()));
    const InputDataPtr input = window.currentInput();
    QVERIFY(input);
    // The photo is the left view...
    QVERIFY2(psnr(input->image, left) > 30.0,
             qPrintable(QString::number(psnr(input->image, left))));
    QVERIFY(psnr(input->image, right) < 15.0);
    // ...and the real right view is kept as the truth.
    QVERIFY2(psnr(input->real_right, right) > 30.0,
             qPrintable(QString::number(psnr(input->real_right, right))));
    QVERIFY(psnr(input->real_right, left) < 15.0);

    // Before/after: a "Real right view" button shows the truth, with its caption.
    window.showTab(MainWindow::kCompareTab);
    BeforeAfterView* compare = window.beforeAfter();
    QVERIFY(compare->hasTruth());
    auto* truth_button = compare->findChild<QPushButton*>(QStringLiteral("truthButton"));
    QVERIFY(truth_button != nullptr);
    QTRY_VERIFY(truth_button->isVisible());
    QVERIFY(!compare->isShowingTruth());
    const QImage after = compare->currentImage();
    QTest::mouseClick(truth_button, Qt::LeftButton);
    QVERIFY(compare->isShowingTruth());
    QVERIFY(truth_button->isChecked());
    QVERIFY2(compare->caption().contains(QStringLiteral("real right view")),
             qPrintable(compare->caption()));
    const QImage truth_shown = compare->currentImage();
    const double to_right = meanDifference(truth_shown, toQImage(right));
    QVERIFY2(to_right < 4.0, qPrintable(QString::number(to_right)));
    QVERIFY(meanDifference(truth_shown, after) > 20.0);  // not the generated view
    QVERIFY(meanDifference(truth_shown, toQImage(left)) > 40.0);
    // The button again (or B) goes back to the generated picture.
    QTest::mouseClick(truth_button, Qt::LeftButton);
    QVERIFY(!compare->isShowingTruth());
    QCOMPARE(compare->currentImage(), after);

    // The pixel inspector shows the truth's colour at the pixel under the cursor.
    window.showTab(MainWindow::kInspectTab);
    ImageView* view = window.inspection()->view(InspectionPanel::kDisparity);
    QTest::mouseMove(view, view->rect().center());
    QTRY_VERIFY2(window.pixelInspectorText().contains(QStringLiteral("Real right view (0–255)")),
                 qPrintable(window.pixelInspectorText()));
    const QRegularExpressionMatch pixel =
        QRegularExpression(QStringLiteral("Pixel x (\\d+), y (\\d+)"))
            .match(window.pixelInspectorText());
    QVERIFY(pixel.hasMatch());
    const cv::Vec3f bgr =
        input->real_right.at<cv::Vec3f>(pixel.captured(2).toInt(), pixel.captured(1).toInt());
    const QString expected = QStringLiteral("Real right view (0–255): %1, %2, %3")
                                 .arg(qRound(bgr[2] * 255.0f))
                                 .arg(qRound(bgr[1] * 255.0f))
                                 .arg(qRound(bgr[0] * 255.0f));
    QVERIFY2(window.pixelInspectorText().contains(expected),
             qPrintable(window.pixelInspectorText()));

    // A plain photo next: no truth, no button, no inspector line.
    QVERIFY(openAndWait(window, test::sampleImage()));
    QVERIFY(window.currentInput()->real_right.empty());
    QVERIFY(!compare->hasTruth());
    QVERIFY(truth_button->isHidden());
    QTest::mouseMove(view, view->rect().center() + QPoint(2, 0));
    QTRY_VERIFY(window.pixelInspectorText().contains(QStringLiteral("Pixel x")));
    QVERIFY(!window.pixelInspectorText().contains(QStringLiteral("Real right view")));
  }

  // An .mpo that holds no stereo pair (a plain JPEG) opens as a photo without a truth, as
  // readImage and the CLI read it; a .jps that is not a stereo pair is refused, naming it.
  void opensAnMpoThatIsAPlainJpegAsAPhoto() {
    QTemporaryDir dir;
    const QString path = dir.path() + QStringLiteral("/plain.mpo");
    const cv::Mat sample = readImage(test::sampleImage().toStdString());
    writeBytesAtomically(path.toStdString(), encodeJpeg(sample, 90));
    MainWindow window;
    window.show();
    QVERIFY(openAndWait(window, path, test::sampleDisparity()));
    QCOMPARE(window.currentInput()->image.size(), sample.size());
    QVERIFY(window.currentInput()->real_right.empty());

    const QString jps = dir.path() + QStringLiteral("/mono.jps");
    writeBytesAtomically(jps.toStdString(), std::vector<std::uint8_t>{'n', 'o', 't'});
    QSignalSpy errors(&window, &MainWindow::errorShown);
    window.openImage(jps);
    QVERIFY(errors.wait(30000));
    const QString message = errors.first().first().toString();
    QVERIFY2(message.contains(QStringLiteral("mono.jps")), qPrintable(message));
  }
};

QTEST_MAIN(StereoInputTest)
#include "stereo_input_test.moc"
