// The workbench end to end (offscreen): the sample, the live baseline slider, every export
// format, cancelling a run, a corrupt photo, the messages and the inspector.
#include <QtTest>

#include <cmath>

#include <QMessageBox>
#include <QStandardItemModel>

#include "app_settings.h"
#include "color_legend.h"
#include "comfort_controls.h"
#include "controls_panel.h"
#include "export_dialog.h"
#include "image_view.h"
#include "inspection_panel.h"
#include "main_window.h"
#include "model_weights.h"
#include "number_format.h"
#include "preset_bar.h"
#include "stereo_exporter.h"
#include "stereo_preview.h"
#include "ui_test_support.h"

using namespace genstereo::ui;
using genstereo::ui::test::openAndWait;

class MainWindowTest : public QObject {
  Q_OBJECT

 private:
  QTemporaryDir settings_dir_;
  QTemporaryDir data_dir_;

  // The six files of a GenStereo variant under `folder`: empty files, or (`is_structurally_valid`)
  // small checkpoints of another network that pass the engine's structural check.
  static bool writePlaceholderWeights(const QString& folder, const QString& variant_folder,
                                      bool is_structurally_valid) {
    const QDir dir(folder);
    const QString fixtures = QStringLiteral(GENSTEREO_SOURCE_DIR "/tests/data/checkpoints/");
    const QStringList files = {variant_folder + QStringLiteral("/reference_unet.pth"),
                               variant_folder + QStringLiteral("/denoising_unet.pth"),
                               variant_folder + QStringLiteral("/pose_guider.pth"),
                               variant_folder + QStringLiteral("/fusion_layer.pth"),
                               QStringLiteral("sd-vae-ft-mse/diffusion_pytorch_model.safetensors"),
                               QStringLiteral("image_encoder/pytorch_model.bin")};
    for (const QString& file : files) {
      const QString path = dir.filePath(file);
      if (!dir.mkpath(QFileInfo(path).path())) return false;
      QFile::remove(path);
      if (is_structurally_valid) {
        const bool is_safetensors = file.endsWith(QLatin1String(".safetensors"));
        if (!QFile::copy(fixtures + (is_safetensors ? QStringLiteral("fusion_layer.safetensors")
                                                    : QStringLiteral("fusion_layer.pth")),
                         path)) {
          return false;
        }
      } else {
        QFile placeholder(path);
        if (!placeholder.open(QIODevice::WriteOnly)) return false;
      }
    }
    return true;
  }

  // Pixels of the marker's colour within `radius_px` of `centre` in a grab of `view`.
  static int markerPixelsNear(ImageView* view, QPointF centre, int radius_px = 14) {
    const QImage grabbed = view->grab().toImage().convertToFormat(QImage::Format_RGB32);
    const QRgb marker = ImageView::kMarkerColor;
    int count = 0;
    for (int y = qRound(centre.y()) - radius_px; y <= qRound(centre.y()) + radius_px; ++y) {
      for (int x = qRound(centre.x()) - radius_px; x <= qRound(centre.x()) + radius_px; ++x) {
        if (!grabbed.rect().contains(x, y)) continue;
        const QRgb pixel = grabbed.pixel(x, y);
        count += std::abs(qRed(pixel) - qRed(marker)) < 40 &&
                         std::abs(qGreen(pixel) - qGreen(marker)) < 40 &&
                         std::abs(qBlue(pixel) - qBlue(marker)) < 40
                     ? 1
                     : 0;
      }
    }
    return count;
  }

  static QMessageBox* errorDialog() {
    for (QWidget* widget : QApplication::topLevelWidgets()) {
      if (widget->objectName() == QLatin1String("errorDialog") && widget->isVisible()) {
        return qobject_cast<QMessageBox*>(widget);
      }
    }
    return nullptr;
  }

 private slots:
  void initTestCase() { test::initTestApplication(settings_dir_); }

  void loadsTheSample() {
    MainWindow window;
    window.show();
    QSignalSpy shown(&window, &MainWindow::resultShown);
    window.openSample();
    QVERIFY(shown.wait(30000));
    const EngineResultPtr result = window.currentResult();
    QVERIFY(result != nullptr);
    for (int i = 0; i < InspectionPanel::kViewCount; ++i) {
      QVERIFY2(!window.inspection()->view(static_cast<InspectionPanel::View>(i))->image().isNull(),
               qPrintable(QString::number(i)));
    }
    // The legend shows the disparity the pair was made with: the sample's 55 px nearest point
    // narrowed by the 3 % limit and moved by the auto convergence (docs/comfort.md).
    QCOMPARE(window.inspection()->disparityLegend()->highText(),
             QStringLiteral("%1 px (near)").arg(formatDecimal(result->disparity_max_px, 1)));
    QVERIFY(result->disparity_max_px > 0.0 && result->disparity_max_px < 55.0);
    QVERIFY(window.bannerText().isEmpty());
    QCOMPARE(AppSettings::recentFiles().value(0), MainWindow::sampleImagePath());
  }

  // An empty models folder: the status lists the missing files and Diffusion stays disabled.
  void emptyModelsFolderKeepsDiffusionDisabled() {
    QTemporaryDir models;
    AppSettings::setModelsFolder(models.path());
    AppSettings::setDiffusionVariant(QStringLiteral("sd21"));
    const WeightsStatus status = checkModelWeights(models.path());
    QVERIFY(!status.is_diffusion_found);
    QVERIFY(!status.is_depth_found);
    QCOMPARE(status.diffusion_missing.size(), 6);
    for (const char* file :
         {"genstereo-v2.1/reference_unet.pth", "genstereo-v2.1/denoising_unet.pth",
          "genstereo-v2.1/pose_guider.pth", "genstereo-v2.1/fusion_layer.pth",
          "sd-vae-ft-mse/diffusion_pytorch_model.safetensors", "image_encoder/pytorch_model.bin",
          "depth_anything_v2_vits.pth"}) {
      QVERIFY2(status.message.contains(QLatin1String(file)), file);
    }
    QCOMPARE(checkModelWeights(models.path(), QStringLiteral("sd15"), QStringLiteral("vits"))
                 .diffusion_missing.first(),
             QStringLiteral("genstereo-v1.5/reference_unet.pth"));

    MainWindow window;
    auto* model = qobject_cast<QStandardItemModel*>(window.controls()->engineBox()->model());
    QVERIFY(!model->item(1)->isEnabled());
    QVERIFY2(model->item(1)->text().contains(
                 QStringLiteral("missing: genstereo-v2.1/reference_unet.pth, …")),
             qPrintable(model->item(1)->text()));
    QVERIFY(!window.controls()->isDiffusionAvailable());
    EngineParams params = window.controls()->params();
    params.engine = EngineKind::kDiffusion;
    window.controls()->setParams(params);  // cannot be chosen
    QCOMPARE(window.controls()->params().engine, EngineKind::kWeightFree);
    AppSettings::setModelsFolder(AppSettings::defaultModelsFolder());
  }

  // Six empty placeholders: the engine's structural check reports each one invalid (before
  // any network is built), so Diffusion stays disabled and the status says why, file by file.
  void emptyPlaceholderWeightsAreReportedInvalid() {
    QTemporaryDir models;
    QVERIFY(writePlaceholderWeights(models.path(), QStringLiteral("genstereo-v2.1"), false));
    AppSettings::setModelsFolder(models.path());
    AppSettings::setDiffusionVariant(QStringLiteral("sd21"));
    const WeightsStatus status = checkModelWeights(models.path());
    QVERIFY(!status.is_diffusion_found);
    QCOMPARE(status.diffusion_missing.size(), 6);
    QCOMPARE(status.report.diffusion.size(), std::size_t{6});
    for (const genstereo::EngineModelFile& file : status.report.diffusion) {
      QVERIFY(file.state == genstereo::ModelFileState::kInvalid);
    }
    QCOMPARE(status.diffusionReason(),
             QStringLiteral("invalid: genstereo-v2.1/reference_unet.pth, …"));
    QVERIFY2(status.message.contains(QStringLiteral("pose_guider.pth (invalid: ")) &&
                 status.message.contains(QStringLiteral("is empty")),
             qPrintable(status.message));

    MainWindow window;
    window.show();
    QVERIFY(openAndWait(window, test::sampleImage()));
    auto* model = qobject_cast<QStandardItemModel*>(window.controls()->engineBox()->model());
    QVERIFY(!model->item(1)->isEnabled());
    QVERIFY2(model->item(1)->text().contains(status.diffusionReason()),
             qPrintable(model->item(1)->text()));
    QVERIFY(!window.controls()->isDiffusionAvailable());

    // Real checkpoints of other networks: their keys do not match the released models'
    // manifests, so they are invalid, naming the missing keys...
    QVERIFY(writePlaceholderWeights(models.path(), QStringLiteral("genstereo-v2.1"), true));
    const WeightsStatus other = checkModelWeights(models.path());
    QVERIFY(!other.is_diffusion_found);
    QVERIFY2(other.message.contains(QStringLiteral("tensors missing")), qPrintable(other.message));
    // ...unless an architecture file declares a model of another size: then only their
    // containers are checked, and they are found.
    {
      QFile architecture(models.path() +
                         QStringLiteral("/genstereo-v2.1/genstereo_architecture.json"));
      QVERIFY(architecture.open(QIODevice::WriteOnly));
      architecture.write("{}");
    }
    const WeightsStatus valid = checkModelWeights(models.path());
    QVERIFY2(valid.is_diffusion_found, qPrintable(valid.message));
    QVERIFY(valid.diffusionReason().isEmpty());
    QVERIFY(valid.message.contains(QStringLiteral("weights are in")));
    AppSettings::setModelsFolder(AppSettings::defaultModelsFolder());
  }

  // With Diffusion chosen, the sliders do not start a run (live preview is paused).
  void diffusionPausesLivePreview() {
    QTemporaryDir models;
    QVERIFY(writePlaceholderWeights(models.path(), QStringLiteral("genstereo-v1.5"), true));
    AppSettings::setModelsFolder(models.path());
    AppSettings::setDiffusionVariant(QStringLiteral("sd15"));
    MainWindow window;
    window.show();
    QVERIFY(openAndWait(window, test::sampleImage()));
    window.controls()->engineBox()->setCurrentIndex(1);
    QCOMPARE(window.controls()->params().engine, EngineKind::kDiffusion);
    QSignalSpy errors(&window, &MainWindow::errorShown);
    QSignalSpy shown(&window, &MainWindow::resultShown);
    QSlider* slider = window.controls()->baselineSlider();
    for (int value = 105; value <= 200; value += 5) slider->setValue(value);
    QTest::qWait(600);  // four times the debounce
    QVERIFY(!window.isBusy());
    QCOMPARE(shown.size(), 0);
    QCOMPARE(errors.size(), 0);  // no diffusion run was started (it would fail to load)
    QCOMPARE(window.currentResult()->params.baseline_scale, 1.0);
    // Back to the weight-free engine: live preview again.
    window.controls()->engineBox()->setCurrentIndex(0);
    QVERIFY(shown.wait(20000));
    QCOMPARE(window.currentResult()->params.baseline_scale, 2.0);
    AppSettings::setModelsFolder(AppSettings::defaultModelsFolder());
    AppSettings::setDiffusionVariant(QStringLiteral("sd21"));
  }

  void baselineSliderChangesThePreview() {
    MainWindow window;
    window.show();
    QVERIFY(openAndWait(window, test::sampleImage()));
    window.showTab(MainWindow::kPreviewTab);
    QSignalSpy updated(window.preview(), &StereoPreview::previewUpdated);
    QVERIFY(updated.wait(10000));
    const QImage before = window.preview()->currentImage();
    QVERIFY(!before.isNull());

    QSignalSpy shown(&window, &MainWindow::resultShown);
    updated.clear();
    QSlider* slider = window.controls()->baselineSlider();
    // Dragging produces many values; the debounce turns them into one run.
    for (int value = 105; value <= 200; value += 5) slider->setValue(value);
    QVERIFY(shown.wait(10000));
    QVERIFY(updated.wait(10000));
    QTest::qWait(400);
    QCOMPARE(shown.size(), 1);
    QCOMPARE(window.currentResult()->params.baseline_scale, 2.0);
    const QImage after = window.preview()->currentImage();
    QCOMPARE(after.size(), before.size());
    QVERIFY(after != before);
  }

  void previewModesAndWiggle() {
    MainWindow window;
    window.show();
    QVERIFY(openAndWait(window, test::sampleImage()));
    StereoPreview* preview = window.preview();
    const QList<QPair<StereoPreview::Mode, QSize>> modes = {
        {StereoPreview::kAnaglyphDubois, {450, 375}}, {StereoPreview::kAnaglyphColor, {450, 375}},
        {StereoPreview::kAnaglyphGray, {450, 375}},   {StereoPreview::kSideBySideFull, {900, 375}},
        {StereoPreview::kSideBySideHalf, {450, 375}}, {StereoPreview::kCrossEyed, {900, 375}},
        {StereoPreview::kTopBottom, {450, 750}}};
    for (const auto& [mode, size] : modes) {
      QSignalSpy updated(preview, &StereoPreview::previewUpdated);
      preview->setMode(mode);
      if (mode != StereoPreview::kAnaglyphDubois) QVERIFY(updated.wait(10000));
      QTRY_COMPARE(preview->currentImage().size(), size);
    }
    preview->setMode(StereoPreview::kWiggle);
    QVERIFY(preview->isWiggling());
    const QImage first = preview->currentImage();
    QTRY_VERIFY(preview->currentImage() != first);
  }

  void exportsEveryFormat() {
    MainWindow window;
    QVERIFY(openAndWait(window, test::sampleImage()));
    for (const QString& name : exportFormatNames()) {
      QTemporaryDir out;
      ExportRequest request;
      request.folder = out.path();
      request.base_name = QStringLiteral("cones");
      request.formats = {name};
      QSignalSpy finished(&window, &MainWindow::exportFinished);
      window.exportCurrent(request);
      QVERIFY2(finished.wait(20000), qPrintable(name));
      const QStringList paths = finished.first().first().toStringList();
      QCOMPARE(paths.size(), name == QLatin1String("pair") ? 2 : 1);
      for (const QString& path : paths) {
        QVERIFY2(QFileInfo(path).size() > 1000, qPrintable(path));
      }
      // Only the announced files, no temporary leftovers.
      QCOMPARE(QDir(out.path()).entryList(QDir::Files | QDir::Hidden).size(), paths.size());
    }
  }

  void exportDialogOffersEveryFormat() {
    ExportDialog dialog(data_dir_.path(), QStringLiteral("cones"), QStringLiteral("mpo"));
    QCOMPARE(dialog.request().formats, QStringList{QStringLiteral("mpo")});
    dialog.setFormats(exportFormatNames());
    QCOMPARE(dialog.request().formats, exportFormatNames());
    QCOMPARE(exportFormatNames().size(), 15);  // 14 still formats and the disparity map
  }

  void failedExportLeavesNothing() {
    MainWindow window;
    QVERIFY(openAndWait(window, test::sampleImage()));
    QTemporaryDir out;
    ExportRequest request;
    request.folder = out.path();
    request.base_name = QStringLiteral("cones");
    request.formats = {QStringLiteral("sbs"), QStringLiteral("pair"), QStringLiteral("mpo")};
    request.options.image_extension = "xyz";  // unknown: the core refuses it after nothing
    QSignalSpy errors(&window, &MainWindow::errorShown);
    window.exportCurrent(request);
    QVERIFY(errors.wait(20000));
    QCOMPARE(QDir(out.path()).entryList(QDir::Files | QDir::Hidden).size(), 0);
    if (QMessageBox* box = errorDialog()) box->close();

    // The second format fails (a folder blocks its file name): the first one is removed.
    request.options.image_extension = "png";
    request.formats = {QStringLiteral("sbs"), QStringLiteral("disparity")};
    QVERIFY(QDir(out.path()).mkdir(QStringLiteral("cones_disparity.pfm")));
    errors.clear();
    window.exportCurrent(request);
    QVERIFY(errors.wait(20000));
    QCOMPARE(QDir(out.path()).entryList(QDir::AllEntries | QDir::NoDotAndDotDot | QDir::Hidden),
             QStringList{QStringLiteral("cones_disparity.pfm")});
    if (QMessageBox* box = errorDialog()) box->close();
  }

  void cancelKeepsTheLastResult() {
    const QString big =
        test::writeScaledSample(data_dir_.path(), QStringLiteral("big"), 3600, 3000);
    MainWindow window;
    window.show();
    QVERIFY(openAndWait(window, big));
    const EngineResultPtr good = window.currentResult();
    QVERIFY(good != nullptr);
    const QImage good_final = window.inspection()->view(InspectionPanel::kFinal)->image();

    QSignalSpy cancelled(&window, &MainWindow::runCancelled);
    QSignalSpy shown(&window, &MainWindow::resultShown);
    window.controls()->baselineSlider()->setValue(150);
    QTRY_VERIFY_WITH_TIMEOUT(window.isBusy(), 5000);
    QTRY_VERIFY_WITH_TIMEOUT(window.findChild<QLabel*>(QStringLiteral("progressLabel"))
                                 ->text()
                                 .contains(QStringLiteral("Synthesising the right view")),
                             20000);
    QVERIFY(window.cancelButton()->isVisible());
    QTest::mouseClick(window.cancelButton(), Qt::LeftButton);
    QVERIFY(cancelled.wait(30000));
    QCOMPARE(shown.size(), 0);
    QVERIFY(!window.isBusy());
    QVERIFY(!window.cancelButton()->isVisible());
    QCOMPARE(window.currentResult(), good);
    QCOMPARE(window.inspection()->view(InspectionPanel::kFinal)->image(), good_final);
  }

  void corruptImageShowsTheErrorDialog() {
    MainWindow window;
    window.show();
    QVERIFY(openAndWait(window, test::sampleImage()));
    const InputDataPtr before = window.currentInput();
    const QString corrupt = QDir(data_dir_.path()).filePath(QStringLiteral("corrupt.png"));
    QFile file(corrupt);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write("\x89PNG\r\n\x1a\n this is not the rest of a PNG file", 48);
    file.close();
    QSignalSpy errors(&window, &MainWindow::errorShown);
    window.openImage(corrupt);
    QVERIFY(errors.wait(20000));
    QVERIFY2(errors.first().first().toString().contains(QStringLiteral("corrupt.png")),
             qPrintable(errors.first().first().toString()));
    QMessageBox* box = errorDialog();
    QVERIFY(box != nullptr);
    QVERIFY(box->text().contains(QStringLiteral("corrupt.png")));
    box->close();
    QTRY_VERIFY(errorDialog() == nullptr);
    QCOMPARE(window.currentInput(), before);  // the previous photo stays
  }

  void photoWithoutMapExplainsWhatToDo() {
    QTemporaryDir models;  // no depth checkpoint
    AppSettings::setModelsFolder(models.path());
    QTemporaryDir dir;
    const QString photo = QDir(dir.path()).filePath(QStringLiteral("lonely.png"));
    QVERIFY(QFile::copy(test::sampleImage(), photo));
    MainWindow window;
    window.show();
    QSignalSpy loaded(&window, &MainWindow::inputLoaded);
    window.openImage(photo);
    QVERIFY(loaded.wait(20000));
    QVERIFY(window.currentResult() == nullptr);
    QVERIFY(window.bannerText().contains(QStringLiteral("No disparity or depth map")));
    // The depth checkpoint expected is named.
    QVERIFY2(window.bannerText().contains(QStringLiteral("depth_anything_v2_vitl.pth")) &&
                 window.bannerText().contains(QStringLiteral("depth_anything_v2_vits.pth")) &&
                 window.bannerText().contains(QDir::toNativeSeparators(models.path())),
             qPrintable(window.bannerText()));
    QVERIFY(!window.isBusy());
    QVERIFY(!window.inspection()->view(InspectionPanel::kInput)->image().isNull());

    QSignalSpy shown(&window, &MainWindow::resultShown);
    window.openMap(test::sampleDisparity());
    QVERIFY(shown.wait(20000));
    QVERIFY(window.bannerText().isEmpty());
    AppSettings::setModelsFolder(AppSettings::defaultModelsFolder());
  }

  // A map of another size than the photo: the engine resizes it and the banner says so.
  void mapOfAnotherSizeIsResizedWithANote() {
    const QString big = test::writeScaledSample(data_dir_.path(), QStringLiteral("wide"), 900, 750);
    MainWindow window;
    window.show();
    QSignalSpy shown(&window, &MainWindow::resultShown);
    // The official geometry, so that the disparity used is the map's, scaled.
    QVERIFY(window.controls()->presets()->applyPreset(QStringLiteral("Paper defaults")));
    window.openImage(big, test::sampleDisparity());
    QVERIFY(shown.wait(30000));
    QCOMPARE(window.currentResult()->final_view.size(), QSize(900, 750));
    QVERIFY2(window.bannerText().contains(QStringLiteral("resized")) &&
                 window.bannerText().contains(QStringLiteral("450x375")),
             qPrintable(window.bannerText()));
    QCOMPARE(window.currentResult()->disparity_max_px, 110.0);  // 55 px x 900 / 450
    window.openImage(test::sampleImage());
    QVERIFY(shown.wait(30000));
    QVERIFY(window.bannerText().isEmpty());
  }

  void pixelInspectorFollowsTheCursor() {
    MainWindow window;
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    QVERIFY(openAndWait(window, test::sampleImage()));
    ImageView* view = window.inspection()->view(InspectionPanel::kDisparity);
    QTest::mouseMove(view, view->rect().center());
    QTRY_VERIFY(window.pixelInspectorText().contains(QStringLiteral("Disparity (left view)")));
    QVERIFY(window.pixelInspectorText().contains(QStringLiteral("Fusion weight")));
  }

  // Each result's parallax budget reaches the Comfort group: the defaults are comfortable,
  // the paper's geometry is warned about.
  void parallaxBudgetIsShownAfterEachResult() {
    MainWindow window;
    window.show();
    ComfortControls* comfort = window.controls()->comfortControls();
    QCOMPARE(comfort->budgetLabel()->text(), QStringLiteral("not measured yet"));
    QVERIFY(openAndWait(window, test::sampleImage()));
    const EngineResultPtr result = window.currentResult();
    QVERIFY(result->comfort_warnings.empty());
    QVERIFY(result->parallax.rangePercent() <= genstereo::kComfortableRangePercent + 0.05);
    QVERIFY(result->applied_baseline_scale < 1.0);  // the limit narrowed the sample
    QVERIFY2(comfort->budgetLabel()->text().contains(QStringLiteral("narrowed")),
             qPrintable(comfort->budgetLabel()->text()));
    QVERIFY(!comfort->warningLabel()->isVisibleTo(comfort));
    QSignalSpy shown(&window, &MainWindow::resultShown);
    QVERIFY(window.controls()->presets()->applyPreset(QStringLiteral("Paper defaults")));
    QVERIFY(shown.wait(20000));
    QVERIFY(!window.currentResult()->comfort_warnings.empty());
    QVERIFY(comfort->warningLabel()->isVisibleTo(comfort));
    QVERIFY2(comfort->warningLabel()->text().contains(QStringLiteral("1/30")),
             qPrintable(comfort->warningLabel()->text()));
  }

  // "Pick screen plane", then a click in the input view: that pixel of the photo goes on the
  // screen plane (zero disparity there); Ctrl+click in the disparity view does it at any time.
  void clickedPointGoesOnTheScreenPlane() {
    MainWindow window;
    window.resize(1280, 800);
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    QVERIFY(openAndWait(window, test::sampleImage()));
    ComfortControls* comfort = window.controls()->comfortControls();
    window.showTab(MainWindow::kCompareTab);
    comfort->pickButton()->click();
    QVERIFY(comfort->pickButton()->isChecked());
    QVERIFY(window.inspection()->isVisible());  // from a tab without the photo: Inspect
    ImageView* input = window.inspection()->view(InspectionPanel::kInput);
    QVERIFY(input->isPickArmed());
    const QPoint click = input->rect().center() + QPoint(input->width() / 8, 0);
    const QPoint pixel = input->imagePixelAt(QPointF(click));
    QVERIFY(pixel.x() >= 0);
    QSignalSpy shown(&window, &MainWindow::resultShown);
    QTest::mouseClick(input, Qt::LeftButton, Qt::NoModifier, click);
    QVERIFY(!comfort->pickButton()->isChecked());
    QVERIFY(!input->isPickArmed());
    QVERIFY(comfort->screenPointLabel()->isVisibleTo(comfort));
    QTRY_VERIFY_WITH_TIMEOUT(
        !window.isBusy() && window.currentResult()->params.comfort.convergence ==
                                genstereo::ConvergenceMode::kPoint,
        20000);
    EngineResultPtr result = window.currentResult();
    QCOMPARE(result->params.comfort.screen_point_px, cv::Point(pixel.x(), pixel.y()));
    QVERIFY(std::abs(result->disparity_px.at<float>(pixel.y(), pixel.x())) < 0.5f);
    QVERIFY(window.commandLine().contains(
        QStringLiteral("--screen-point %1,%2").arg(pixel.x()).arg(pixel.y())));

    // Ctrl+click in the disparity view, the button up.
    ImageView* disparity = window.inspection()->view(InspectionPanel::kDisparity);
    const QPoint other_click = disparity->rect().center() - QPoint(disparity->width() / 8, 0);
    const QPoint other = disparity->imagePixelAt(QPointF(other_click));
    QVERIFY(other.x() >= 0 && other != pixel);
    QTest::mouseClick(disparity, Qt::LeftButton, Qt::ControlModifier, other_click);
    QTRY_VERIFY_WITH_TIMEOUT(
        !window.isBusy() && window.currentResult()->params.comfort.screen_point_px ==
                                cv::Point(other.x(), other.y()),
        20000);
    result = window.currentResult();
    QVERIFY(std::abs(result->disparity_px.at<float>(other.y(), other.x())) < 0.5f);
    // A plain click (button up, no Ctrl) pans: the point stays.
    QTest::mouseClick(disparity, Qt::LeftButton, Qt::NoModifier, click);
    QCOMPARE(window.controls()->params().comfort.screen_point_px, cv::Point(other.x(), other.y()));
  }

  // Ctrl+click in the side-by-side preview picks the photo's pixel at that point of either
  // half, as the same click in the Input view; the picked point is marked with a cross in the
  // input view and in both halves of the preview until auto convergence is on again or another
  // photo is opened.
  void previewPickMatchesTheInputView() {
    MainWindow window;
    window.resize(1280, 800);
    window.show();
    QVERIFY(QTest::qWaitForWindowExposed(&window));
    QVERIFY(openAndWait(window, test::sampleImage()));
    ComfortControls* comfort = window.controls()->comfortControls();
    const QPoint photo_px(300, 200);  // the sample is 450 x 375
    const QPointF centre = QPointF(photo_px) + QPointF(0.5, 0.5);
    // Zoomed in 4 x on the point, so that a click lands on the pixel meant.
    constexpr double kZoom = 4.0;

    // The Input view first.
    window.inspection()->sync()->set(kZoom, centre);
    ImageView* input = window.inspection()->view(InspectionPanel::kInput);
    QVERIFY(input->markers().isEmpty());
    QTest::mouseClick(input, Qt::LeftButton, Qt::ControlModifier,
                      input->widgetPositionOf(centre).toPoint());
    const cv::Point from_input = window.controls()->params().comfort.screen_point_px;
    QCOMPARE(window.controls()->params().comfort.convergence, genstereo::ConvergenceMode::kPoint);
    QCOMPARE(from_input, cv::Point(photo_px.x(), photo_px.y()));
    QTRY_VERIFY_WITH_TIMEOUT(!window.isBusy(), 20000);
    QCOMPARE(input->markers(), QList<QPointF>{centre});
    QVERIFY(markerPixelsNear(input, input->widgetPositionOf(centre)) >= 8);

    // Auto convergence again: no point, no marker.
    comfort->autoConvergenceBox()->setChecked(true);
    QVERIFY(input->markers().isEmpty());
    QCOMPARE(markerPixelsNear(input, input->widgetPositionOf(centre)), 0);
    QTRY_VERIFY_WITH_TIMEOUT(!window.isBusy(), 20000);

    // The same point in the right half of the side-by-side preview.
    window.showTab(MainWindow::kPreviewTab);
    StereoPreview* preview = window.preview();
    preview->setMode(StereoPreview::kSideBySideFull);
    QTRY_VERIFY(preview->geometry().tiling.columns == 2);
    ImageView* picture = preview->view();
    const double view_width_px = preview->geometry().view_size_px.width();
    QCOMPARE(view_width_px, 450.0);
    const QPointF right_half = centre + QPointF(view_width_px, 0.0);
    QVERIFY(picture->markers().isEmpty());
    QCOMPARE(markerPixelsNear(picture, picture->widgetPositionOf(right_half)), 0);
    picture->sync()->set(kZoom, right_half);
    QSignalSpy shown(&window, &MainWindow::resultShown);
    QTest::mouseClick(picture, Qt::LeftButton, Qt::ControlModifier,
                      picture->widgetPositionOf(right_half).toPoint());
    QCOMPARE(window.controls()->params().comfort.convergence, genstereo::ConvergenceMode::kPoint);
    QCOMPARE(window.controls()->params().comfort.screen_point_px, from_input);
    QVERIFY(window.commandLine().contains(
        QStringLiteral("--screen-point %1,%2").arg(photo_px.x()).arg(photo_px.y())));
    QVERIFY(shown.wait(20000));
    QTRY_VERIFY_WITH_TIMEOUT(!window.isBusy(), 20000);
    QCOMPARE(window.currentResult()->params.comfort.screen_point_px, from_input);
    // Marked in both halves (the point has no parallax now: the same place in each view).
    QTRY_COMPARE(picture->markers(), (QList<QPointF>{centre, right_half}));
    picture->sync()->fit();
    QVERIFY(markerPixelsNear(picture, picture->widgetPositionOf(centre)) >= 8);
    QVERIFY(markerPixelsNear(picture, picture->widgetPositionOf(right_half)) >= 8);
    QCOMPARE(input->markers(), QList<QPointF>{centre});

    // "Pick screen plane" on the preview tab arms the preview (the tab stays); a plain click
    // in the left half picks the same pixel.
    comfort->autoConvergenceBox()->setChecked(true);
    picture->sync()->set(kZoom, centre);
    comfort->pickButton()->click();
    QVERIFY(preview->isVisible());
    QVERIFY(picture->isPickArmed());
    QTest::mouseClick(picture, Qt::LeftButton, Qt::NoModifier,
                      picture->widgetPositionOf(centre).toPoint());
    QVERIFY(!picture->isPickArmed());
    QCOMPARE(window.controls()->params().comfort.convergence, genstereo::ConvergenceMode::kPoint);
    QCOMPARE(window.controls()->params().comfort.screen_point_px, from_input);
    QTRY_VERIFY_WITH_TIMEOUT(!window.isBusy(), 20000);

    // Another photo: auto convergence, no marker.
    const QString other =
        test::writeScaledSample(data_dir_.path(), QStringLiteral("marker"), 300, 250);
    QVERIFY(openAndWait(window, other));
    QCOMPARE(window.controls()->params().comfort.convergence,
             genstereo::ConvergenceMode::kPercentile);
    QVERIFY(input->markers().isEmpty());
    QVERIFY(picture->markers().isEmpty());
  }

  void zoomIsSynchronised() {
    MainWindow window;
    window.show();
    QVERIFY(openAndWait(window, test::sampleImage()));
    InspectionPanel* panel = window.inspection();
    panel->view(InspectionPanel::kWarped)->zoomBy(2.0);
    QVERIFY(panel->sync()->zoom() > 0.0);
    const QPoint centre_pixel =
        panel->view(InspectionPanel::kWarped)
            ->imagePixelAt(QPointF(panel->view(InspectionPanel::kWarped)->rect().center()));
    const QPoint other_pixel =
        panel->view(InspectionPanel::kFusion)
            ->imagePixelAt(QPointF(panel->view(InspectionPanel::kFusion)->rect().center()));
    QVERIFY((centre_pixel - other_pixel).manhattanLength() <= 2);
  }
};

QTEST_MAIN(MainWindowTest)
#include "main_window_test.moc"
