// The Models dialog (offscreen) against the loopback hub of the unit tests: file states and
// licences, the non-commercial question before a download, a download with progress, and
// Cancel on a slow server while the window keeps responding (the .part is kept for the next
// download to resume; no final file is written).
#include <QtTest>

#include <QComboBox>
#include <QProgressBar>
#include <QPushButton>
#include <QTableWidget>

#include <filesystem>

#include "app_settings.h"
#include "hub_test_server.h"
#include "image_view.h"
#include "inspection_panel.h"
#include "main_window.h"
#include "model_test_catalog.h"
#include "model_weights.h"
#include "models/download_error.h"
#include "models_dialog.h"
#include "test_support.h"
#include "ui_test_support.h"

using namespace genstereo::ui;
namespace fs = std::filesystem;

class ModelsDialogTest : public QObject {
  Q_OBJECT

 private:
  QTemporaryDir settings_dir_;
  QTemporaryDir work_dir_;
  std::unique_ptr<genstereo::test::HubTestServer> hub_;
  genstereo::test::TestCatalogFiles files_;

  QString catalog() const { return QString::fromStdString(files_.catalog_json.string()); }
  QString freshModelsFolder(const QString& name) const { return work_dir_.filePath(name); }

  void setRoutes(int delay_per_chunk_ms) {
    genstereo::test::HubRoute pose;
    pose.body = files_.pose_bytes;
    pose.headers = {{"X-Linked-Etag", "\"" + files_.pose_sha256 + "\""}};
    pose.chunk_bytes = 4096;
    pose.delay_per_chunk_ms = delay_per_chunk_ms;
    hub_->setRoute("/test-org/tiny-genstereo/resolve/main/pose_guider.pth", pose);
    genstereo::test::HubRoute fusion;
    fusion.body = files_.fusion_bytes;
    hub_->setRoute("/test-org/tiny-genstereo/resolve/main/sub/fusion_layer.pth", fusion);
  }

  static QString cell(ModelsDialog& dialog, int row, int column) {
    return dialog.findChild<QTableWidget*>(QStringLiteral("modelsTable"))
        ->item(row, column)
        ->text();
  }

 private slots:
  void initTestCase() {
    test::initTestApplication(settings_dir_);
    hub_ = std::make_unique<genstereo::test::HubTestServer>();
    files_ = genstereo::test::writeTestCatalog(
        work_dir_.filePath(QStringLiteral("catalog")).toStdString());
    qputenv("HF_ENDPOINT", QByteArray::fromStdString(hub_->baseUrl()));
    qputenv("HF_HUB_CACHE", work_dir_.filePath(QStringLiteral("empty-cache")).toUtf8());
    qunsetenv("HF_TOKEN");
    qunsetenv("HF_HUB_OFFLINE");
  }

  void showsStatesWhereAndLicences() {
    const QString folder = freshModelsFolder(QStringLiteral("states"));
    fs::create_directories(fs::path(folder.toStdString()) / "tiny");
    genstereo::test::writeRawFile(fs::path(folder.toStdString()) / "tiny" / "pose_guider.pth",
                                  files_.pose_bytes.substr(0, 5000));
    ModelsDialog dialog(folder, nullptr, catalog());
    dialog.show();
    QCOMPARE(dialog.statuses().size(), std::size_t{2});
    QCOMPARE(cell(dialog, 0, 0), QStringLiteral("tiny/pose_guider.pth"));
    QCOMPARE(cell(dialog, 0, 1), QStringLiteral("invalid"));
    QCOMPARE(cell(dialog, 0, 2), QStringLiteral("models folder"));
    QCOMPARE(cell(dialog, 1, 1), QStringLiteral("missing"));
    QCOMPARE(cell(dialog, 1, 4), QStringLiteral("CC-BY-NC-4.0 (non-commercial)"));
    QCOMPARE(cell(dialog, 0, 4), QStringLiteral("Apache-2.0"));
    QVERIFY(!dialog.findChild<QPushButton*>(QStringLiteral("cancelButton"))->isEnabled());
  }

  void asksForTheNonCommercialLicenceThenDownloads() {
    setRoutes(0);
    const QString folder = freshModelsFolder(QStringLiteral("download"));
    ModelsDialog dialog(folder, nullptr, catalog());
    dialog.show();
    QStringList questions;
    bool answer = false;
    dialog.setLicenceConfirmation([&](const QString& text) {
      questions << text;
      return answer;
    });
    dialog.download(QStringLiteral("tiny"));
    QCOMPARE(questions.size(), 1);
    QVERIFY(questions[0].contains(QStringLiteral("tiny/fusion_layer.pth (CC-BY-NC-4.0")));
    QVERIFY(!dialog.isDownloading());
    QVERIFY(dialog.lastMessage().contains(QStringLiteral("licence not accepted")));
    QVERIFY(!QFileInfo::exists(folder + QStringLiteral("/tiny")));

    answer = true;
    QSignalSpy finished(&dialog, &ModelsDialog::downloadFinished);
    dialog.download(QStringLiteral("tiny"));
    QVERIFY(dialog.isDownloading());
    QVERIFY(finished.wait(60000));
    QCOMPARE(finished.at(0).at(0).toBool(), true);
    QCOMPARE(cell(dialog, 0, 1), QStringLiteral("present"));
    QCOMPARE(cell(dialog, 1, 1), QStringLiteral("present"));
    auto* progress = dialog.findChild<QProgressBar*>(QStringLiteral("downloadProgress"));
    QCOMPARE(progress->value(), progress->maximum());
    QCOMPARE(QDir(folder + QStringLiteral("/tiny")).entryList(QDir::Files | QDir::Hidden).size(),
             2);
  }

  // Closing during a download asks first: "No" keeps the dialog and the download.
  void closingDuringADownloadAsks() {
    setRoutes(25);
    const QString folder = freshModelsFolder(QStringLiteral("close"));
    ModelsDialog dialog(folder, nullptr, catalog());
    dialog.show();
    int asked = 0;
    bool is_stop = false;
    dialog.setCloseConfirmation([&] {
      ++asked;
      return is_stop;
    });
    QSignalSpy finished(&dialog, &ModelsDialog::downloadFinished);
    dialog.download(QStringLiteral("tiny-pose"));
    QVERIFY(dialog.isDownloading());
    static_cast<QDialog&>(dialog).reject();  // the Close button, Esc or the title bar
    QCOMPARE(asked, 1);
    QVERIFY(dialog.isVisible());
    QVERIFY(dialog.isDownloading());
    is_stop = true;
    static_cast<QDialog&>(dialog).reject();  // the Close button, Esc or the title bar
    QCOMPARE(asked, 2);
    QVERIFY(!dialog.isVisible());
    QVERIFY(!dialog.isDownloading());
  }

  // Offline or proxy failures: a short message with advice naming the folder; the technical
  // text goes under "Details".
  void failuresGiveAdvice() {
    const genstereo::DownloadError network(genstereo::DownloadErrorKind::kNetwork,
                                           "curl: could not resolve proxy", "tiny/pose_guider.pth",
                                           "https://huggingface.co/x");
    const QString advice = ModelsDialog::adviceFor(network, QStringLiteral("/models"));
    QVERIFY2(advice.contains(QStringLiteral("proxy")) &&
                 advice.contains(QStringLiteral("/models")) &&
                 advice.contains(QStringLiteral("tiny/pose_guider.pth")),
             qPrintable(advice));
    QVERIFY(!advice.contains(QStringLiteral("curl")));
    const genstereo::DownloadError offline(genstereo::DownloadErrorKind::kOffline, "offline",
                                           "a.pth", "");
    QVERIFY(ModelsDialog::adviceFor(offline, QStringLiteral("/m"))
                .contains(QStringLiteral("HF_HUB_OFFLINE")));
  }

  void cancelOnASlowServerKeepsTheWindowResponsive() {
    setRoutes(25);  // about 4.5 s for the whole file
    const QString folder = freshModelsFolder(QStringLiteral("cancel"));
    ModelsDialog dialog(folder, nullptr, catalog());
    dialog.show();
    int ticks = 0;
    QTimer ticker;
    connect(&ticker, &QTimer::timeout, [&] { ++ticks; });
    ticker.start(10);
    QSignalSpy finished(&dialog, &ModelsDialog::downloadFinished);
    auto* box = dialog.findChild<QComboBox*>(QStringLiteral("modelBox"));
    box->setCurrentIndex(box->findData(QStringLiteral("tiny-pose")));
    QTest::mouseClick(dialog.findChild<QPushButton*>(QStringLiteral("downloadButton")),
                      Qt::LeftButton);
    QVERIFY(dialog.isDownloading());
    auto* progress = dialog.findChild<QProgressBar*>(QStringLiteral("downloadProgress"));
    QTRY_VERIFY_WITH_TIMEOUT(progress->value() > 0, 20000);
    const int ticks_while_downloading = ticks;
    QVERIFY2(ticks_while_downloading > 3, qPrintable(QString::number(ticks_while_downloading)));
    QTest::mouseClick(dialog.findChild<QPushButton*>(QStringLiteral("cancelButton")),
                      Qt::LeftButton);
    QVERIFY(finished.wait(10000));
    QCOMPARE(finished.at(0).at(0).toBool(), false);
    QVERIFY2(finished.at(0).at(1).toString().contains(QStringLiteral("cancelled")),
             qPrintable(finished.at(0).at(1).toString()));
    QCOMPARE(cell(dialog, 0, 1), QStringLiteral("missing"));
    // The bytes so far stay in the .part for the next download to resume; no final file.
    QVERIFY(QFileInfo::exists(folder + QStringLiteral("/tiny/pose_guider.pth.part")));
    QVERIFY(!QFileInfo::exists(folder + QStringLiteral("/tiny/pose_guider.pth")));
  }

  void photoWithoutMapOffersTheDepthDownloadOnce() {
    QTemporaryDir models;  // no depth checkpoint
    AppSettings::setModelsFolder(models.path());
    MainWindow window;
    window.show();
    QSignalSpy loaded(&window, &MainWindow::inputLoaded);
    QTemporaryDir dir;  // the photo alone (beside the sample it would find its map)
    const QString photo = QDir(dir.path()).filePath(QStringLiteral("lonely.png"));
    QVERIFY(QFile::copy(test::sampleImage(), photo));
    window.openImage(photo);
    QVERIFY(loaded.wait(20000));
    const QString banner = window.bannerText();
    QVERIFY2(banner.contains(QStringLiteral(
                 "Estimate depth: download Depth Anything V2 Small (Apache-2.0, ~100 MB)")),
             qPrintable(banner));
    QVERIFY(banner.contains(QStringLiteral("or open a disparity/depth map")));
    QVERIFY(banner.contains(QStringLiteral("genstereo:download-depth")));
    QVERIFY(!window.inspection()->view(InspectionPanel::kInput)->image().isNull());
    AppSettings::setModelsFolder(AppSettings::defaultModelsFolder());
  }

  // The dialog and the engine agree (issue 23, 4b): checkpoints of another network are invalid
  // for both, and present for both once architecture files declare models of other sizes; the
  // File column names the files on disk (a .safetensors twin), as the engine finds them.
  void agreesWithTheEngineOnArchitectureFiles() {
    const QByteArray catalog_variable = qgetenv("GENSTEREO_MODEL_CATALOG");
    qunsetenv("GENSTEREO_MODEL_CATALOG");  // the built-in catalogue, as the engine's
    const QDir folder(freshModelsFolder(QStringLiteral("architecture")));
    const QString fixtures = QStringLiteral(GENSTEREO_SOURCE_DIR "/tests/data/checkpoints/");
    const QStringList diffusion = {
        QStringLiteral("genstereo-v2.1/reference_unet.pth"),
        QStringLiteral("genstereo-v2.1/denoising_unet.pth"),
        QStringLiteral("genstereo-v2.1/pose_guider.pth"),
        QStringLiteral("genstereo-v2.1/fusion_layer.pth"),
        QStringLiteral("sd-vae-ft-mse/diffusion_pytorch_model.safetensors"),
        QStringLiteral("image_encoder/pytorch_model.bin")};
    const QString depth = QStringLiteral("depth_anything_v2_vits.safetensors");  // the twin
    for (const QString& file : diffusion + QStringList{depth}) {
      QVERIFY(folder.mkpath(QFileInfo(folder.filePath(file)).path()));
      const bool is_safetensors = file.endsWith(QLatin1String(".safetensors"));
      QVERIFY(QFile::copy(fixtures + (is_safetensors ? QStringLiteral("fusion_layer.safetensors")
                                                     : QStringLiteral("fusion_layer.pth")),
                          folder.filePath(file)));
    }
    const auto stateIn = [](ModelsDialog& dialog, const QString& name) {
      auto* table = dialog.findChild<QTableWidget*>(QStringLiteral("modelsTable"));
      for (int row = 0; row < table->rowCount(); ++row) {
        if (table->item(row, 0)->text() == name) return table->item(row, 1)->text();
      }
      return QStringLiteral("(no row named %1)").arg(name);
    };
    // Every file the engine reports has the engine's state in the dialog, under its name.
    const auto expectAgreement = [&](ModelsDialog& dialog, const WeightsStatus& engine) {
      std::vector<genstereo::EngineModelFile> files = engine.report.diffusion;
      files.insert(files.end(), engine.report.depth.begin(), engine.report.depth.end());
      QCOMPARE(files.size(), std::size_t{7});
      for (const genstereo::EngineModelFile& file : files) {
        const QString name = folder.relativeFilePath(QString::fromStdString(file.path.string()));
        QCOMPARE(stateIn(dialog, name), QString::fromLatin1(genstereo::toString(file.state)));
      }
    };
    {
      ModelsDialog dialog(folder.path(), nullptr, QString());
      const WeightsStatus engine =
          checkModelWeights(folder.path(), QStringLiteral("sd21"), QStringLiteral("vits"));
      QVERIFY(!engine.is_diffusion_found);
      QVERIFY(!engine.is_depth_found);
      QCOMPARE(stateIn(dialog, diffusion[0]), QStringLiteral("invalid"));
      QCOMPARE(stateIn(dialog, depth), QStringLiteral("invalid"));
      expectAgreement(dialog, engine);
    }
    for (const QString& architecture :
         {QStringLiteral("genstereo-v2.1/genstereo_architecture.json"),
          QStringLiteral("depth_anything_v2_architecture.json")}) {
      QFile file(folder.filePath(architecture));
      QVERIFY(file.open(QIODevice::WriteOnly));
      file.write("{}");
    }
    ModelsDialog dialog(folder.path(), nullptr, QString());
    const WeightsStatus engine =
        checkModelWeights(folder.path(), QStringLiteral("sd21"), QStringLiteral("vits"));
    QVERIFY2(engine.is_diffusion_found, qPrintable(engine.message));
    QVERIFY2(engine.is_depth_found, qPrintable(engine.message));
    for (const QString& file : diffusion + QStringList{depth}) {
      QCOMPARE(stateIn(dialog, file), QStringLiteral("present"));
    }
    expectAgreement(dialog, engine);
    // The other variant has no architecture file: its files stay missing, under their names.
    QCOMPARE(stateIn(dialog, QStringLiteral("genstereo-v1.5/reference_unet.pth")),
             QStringLiteral("missing"));
    if (!catalog_variable.isNull()) qputenv("GENSTEREO_MODEL_CATALOG", catalog_variable);
  }

  void cleanupTestCase() { hub_.reset(); }
};

QTEST_MAIN(ModelsDialogTest)
#include "models_dialog_test.moc"
