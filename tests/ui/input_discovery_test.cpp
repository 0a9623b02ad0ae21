// The rule the workbench uses to find the disparity or depth map beside a photo, and
// meta.json's divisor: the core's one rule (io/map_discovery.h), on the layouts the window
// opens.
#include <fstream>

#include <QtTest>

#include "errors.h"
#include "io/map_discovery.h"

using namespace genstereo;
namespace fs = std::filesystem;

namespace {

void touch(const fs::path& path, const std::string& content = "x") {
  std::ofstream(path) << content;
}

}  // namespace

class InputDiscoveryTest : public QObject {
  Q_OBJECT

 private slots:
  void sampleLayoutFindsDispLeft() {
    const fs::path sample = GENSTEREO_SOURCE_DIR "/resources/sample/left.png";
    const auto candidate = findMapOfPhoto(sample);
    QVERIFY(candidate.has_value());
    QCOMPARE(QString::fromStdString(candidate->path.filename().string()),
             QStringLiteral("disp_left.png"));
    QVERIFY(candidate->kind == MapKind::kDisparity);
    QCOMPARE(readPngDivisor(sample.parent_path()).value_or(0.0), 4.0);
    QCOMPARE(candidate->read_options.png_divisor.value_or(0.0), 4.0);
  }

  void ruleOrder() {
    QTemporaryDir dir;
    const fs::path folder = dir.path().toStdString();
    const fs::path photo = folder / "photo.jpg";
    touch(photo);
    QVERIFY(!findMapOfPhoto(photo).has_value());
    touch(folder / "photo_depth.png");
    QVERIFY(findMapOfPhoto(photo)->kind == MapKind::kInverseDepth);
    touch(folder / "photo.pfm");
    QCOMPARE(findMapOfPhoto(photo)->path, folder / "photo.pfm");
    touch(folder / "disp_photo.tif");
    QCOMPARE(findMapOfPhoto(photo)->path, folder / "disp_photo.tif");
    touch(folder / "photo_disparity.npy");
    QCOMPARE(findMapOfPhoto(photo)->path, folder / "photo_disparity.npy");
    touch(folder / "photo_disp.png");
    touch(folder / "photo_disp.pfm");
    QCOMPARE(findMapOfPhoto(photo)->path, folder / "photo_disp.pfm");
  }

  void neverThePhotoItself() {
    QTemporaryDir dir;
    const fs::path photo = fs::path(dir.path().toStdString()) / "scan.pfm";
    touch(photo);
    QVERIFY(!findMapOfPhoto(photo).has_value());
  }

  void guessKindFromName() {
    QVERIFY(guessMapKind("a/b/photo_depth.png") == MapKind::kInverseDepth);
    QVERIFY(guessMapKind("a/b/Depth-Anything.PNG") == MapKind::kInverseDepth);
    QVERIFY(guessMapKind("a/b/disp_left.png") == MapKind::kDisparity);
  }

  void metaJsonErrorsNameTheFile() {
    QTemporaryDir dir;
    const fs::path folder = dir.path().toStdString();
    QVERIFY(!readPngDivisor(folder).has_value());
    touch(folder / "meta.json", R"({"name": "x"})");
    QVERIFY(!readPngDivisor(folder).has_value());
    touch(folder / "meta.json", R"({"disparity_encoding": {"scale_divisor": 16}})");
    QCOMPARE(readPngDivisor(folder).value_or(0.0), 16.0);
    touch(folder / "meta.json", R"({"disparity_encoding": {"scale_divisor": -1}})");
    QVERIFY_THROWS_EXCEPTION(genstereo::InputError, readPngDivisor(folder));
    touch(folder / "meta.json", "{not json");
    try {
      readPngDivisor(folder);
      QFAIL("no exception");
    } catch (const genstereo::InputError& error) {
      QVERIFY(QString::fromUtf8(error.what()).contains(QStringLiteral("meta.json")));
    }
  }
};

QTEST_GUILESS_MAIN(InputDiscoveryTest)
#include "input_discovery_test.moc"
