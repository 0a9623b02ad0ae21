// The workbench's document (stereo_document.h, issue 25): photos are read off the engine thread
// (a long run does not delay the next photo), the newest read wins, errors name the file, and
// the window keeps its photo and result in the document. Offscreen.
#include <QtTest>

#include "engine_controller.h"
#include "main_window.h"
#include "stereo_document.h"
#include "ui_test_support.h"

using namespace genstereo::ui;

class StereoDocumentTest : public QObject {
  Q_OBJECT

 private:
  QTemporaryDir settings_dir_;
  QTemporaryDir data_dir_;

  static LoadRequest sampleRequest() {
    LoadRequest request;
    request.image_path = test::sampleImage();
    request.map_path = test::sampleDisparity();
    return request;
  }

 private slots:
  void initTestCase() { test::initTestApplication(settings_dir_); }

  void readsThePhotoAndItsMap() {
    StereoDocument document;
    QSignalSpy loaded(&document, &StereoDocument::loaded);
    QSignalSpy changed(&document, &StereoDocument::inputChanged);
    document.load(sampleRequest());
    QVERIFY(document.isLoading());
    QVERIFY(loaded.wait(20000));
    const auto input = loaded.first().first().value<InputDataPtr>();
    QVERIFY(input && input->map.has_value());
    QCOMPARE(input->image.cols, 450);
    QVERIFY(!document.isLoading());
    // Read, not yet current: the window decides.
    QVERIFY(document.input() == nullptr);
    QCOMPARE(changed.count(), 0);
    document.setInput(input);
    QCOMPARE(changed.count(), 1);
    QCOMPARE(document.input().get(), input.get());
  }

  void newestReadWins() {
    StereoDocument document;
    QSignalSpy loaded(&document, &StereoDocument::loaded);
    QSignalSpy failed(&document, &StereoDocument::loadFailed);
    LoadRequest missing;
    missing.image_path = QDir(data_dir_.path()).filePath(QStringLiteral("missing.png"));
    document.load(sampleRequest());  // read at once, then overtaken
    document.load(missing);          // waits, then replaced before it is read
    LoadRequest newest = sampleRequest();
    newest.map_path.clear();
    document.load(newest);
    QVERIFY(loaded.wait(20000));
    QTest::qWait(200);  // nothing else arrives
    QCOMPARE(loaded.count(), 1);
    QCOMPARE(failed.count(), 0);
    const auto input = loaded.first().first().value<InputDataPtr>();
    QVERIFY(!input->map.has_value());  // the newest request's: no map
  }

  void failedReadNamesTheFile() {
    StereoDocument document;
    QSignalSpy failed(&document, &StereoDocument::loadFailed);
    LoadRequest missing;
    missing.image_path = QDir(data_dir_.path()).filePath(QStringLiteral("missing.png"));
    document.load(missing);
    QVERIFY(failed.wait(20000));
    const QString message = failed.first().first().toString();
    QVERIFY2(message.contains(QStringLiteral("missing.png")), qPrintable(message));
  }

  // A long full-resolution run is under way on the engine thread: the next photo is read and
  // handed over before it ends (the engine thread used to read photos between runs).
  void photoOpensWhileARunIsBusy() {
    const QString big =
        test::writeScaledSample(data_dir_.path(), QStringLiteral("busy"), 4000, 3000);
    EngineController controller;
    QSignalSpy big_loaded(&controller, &EngineController::loaded);
    LoadRequest big_request;
    big_request.image_path = big;
    big_request.map_path = QDir(data_dir_.path()).filePath(QStringLiteral("busy_disp.pfm"));
    controller.load(big_request);
    QVERIFY(big_loaded.wait(60000));
    const auto big_input = big_loaded.first().first().value<InputDataPtr>();
    QSignalSpy finished(&controller, &EngineController::finished);
    EngineParams params;
    params.border = genstereo::BorderMode::kFill;
    controller.synthesize(big_input, params);
    QVERIFY(controller.isBusy());

    // The controller's reads (the engine thread used to make them) and the document's.
    QSignalSpy loaded(&controller, &EngineController::loaded);
    controller.load(sampleRequest());
    QVERIFY(loaded.wait(20000));
    QVERIFY2(finished.isEmpty() && controller.isBusy(),
             "the photo was read only after the run had ended");
    StereoDocument document;
    QSignalSpy document_loaded(&document, &StereoDocument::loaded);
    document.load(sampleRequest());
    QVERIFY(document_loaded.wait(20000));
    QVERIFY2(finished.isEmpty() && controller.isBusy(),
             "the photo was read only after the run had ended");
    QVERIFY(finished.wait(120000));
  }

  void windowKeepsItsPhotoAndResultInTheDocument() {
    MainWindow window;
    window.resize(900, 640);
    window.show();
    QSignalSpy result_changed(window.document(), &StereoDocument::resultChanged);
    QVERIFY(test::openAndWait(window, test::sampleImage(), test::sampleDisparity()));
    QVERIFY(window.document()->input() != nullptr);
    QCOMPARE(window.currentInput().get(), window.document()->input().get());
    QCOMPARE(window.currentResult().get(), window.document()->result().get());
    QVERIFY(window.currentResult() != nullptr);
    QVERIFY(result_changed.count() >= 1);
    QCOMPARE(window.document()->pendingMapKind(), genstereo::MapKind::kDisparity);
    QVERIFY(window.document()->videoPath().isEmpty() && !window.isVideoOpen());
  }
};

QTEST_MAIN(StereoDocumentTest)
#include "stereo_document_test.moc"
