// Reading MPO and JPS stereo files (io/stereo_file_reader.h): the files of our own writers give
// back their left and right views; the JPS descriptor's layouts; files that are not stereo pairs
// are refused with messages naming the file.
#include "io/stereo_file_reader.h"

#include <algorithm>
#include <cstdint>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <opencv2/imgproc.hpp>

#include "errors.h"
#include "io/atomic_write.h"
#include "io/image_io.h"
#include "io/jps_writer.h"
#include "io/mpo_writer.h"
#include "test_support.h"

namespace genstereo {
namespace {
namespace fs = std::filesystem;

using Bytes = std::vector<std::uint8_t>;

constexpr int kWidth = 64;
constexpr int kHeight = 40;

// Two clearly different views (the test images of two seeds look alike: the right one is a
// negative), so that a swapped pair cannot pass.
struct Views {
  cv::Mat left = test::makeTestImage(kWidth, kHeight, 1);
  cv::Mat right = cv::Scalar::all(1.0) - test::makeTestImage(kWidth, kHeight, 2);
};

double psnr(const cv::Mat& a, const cv::Mat& b) { return cv::PSNR(a, b, 1.0); }

// Each view is close to its own original (JPEG) and not to the other one.
void expectViews(const StereoViews& read, const Views& views) {
  ASSERT_EQ(read.left.size(), cv::Size(kWidth, kHeight));
  ASSERT_EQ(read.right.size(), cv::Size(kWidth, kHeight));
  EXPECT_EQ(read.left.type(), CV_32FC3);
  EXPECT_GT(psnr(read.left, views.left), 30.0);
  EXPECT_GT(psnr(read.right, views.right), 30.0);
  EXPECT_LT(psnr(read.left, views.right), 25.0);
  EXPECT_LT(psnr(read.right, views.left), 25.0);
}

void writeBytes(const fs::path& path, const Bytes& bytes) { writeBytesAtomically(path, bytes); }

// A JPS of `pair` (any layout) with a descriptor of the given flags, layout and media type.
Bytes jpsWith(const cv::Mat& pair, std::uint8_t flags, std::uint8_t layout, std::uint8_t type) {
  const Bytes payload = {'_', 'J', 'P', 'S',   'J',    'P',  'S', '_',
                         0,   4,   0,   flags, layout, type, 0,   0};
  return insertJpegAppSegment(encodeJpeg(pair, 95), 0xE3, payload);
}

template <typename F>
std::string errorOf(F&& f) {
  try {
    f();
  } catch (const InputError& error) {
    return error.what();
  }
  return {};
}

TEST(StereoFileReaderTest, FormatFromTheExtension) {
  EXPECT_EQ(stereoFileFormatOf("a/photo.mpo"), StereoFileFormat::kMpo);
  EXPECT_EQ(stereoFileFormatOf("DSCF0001.MPO"), StereoFileFormat::kMpo);
  EXPECT_EQ(stereoFileFormatOf("pair.JpS"), StereoFileFormat::kJps);
  EXPECT_EQ(stereoFileFormatOf("photo.jpg"), StereoFileFormat::kNone);
  EXPECT_EQ(stereoFileFormatOf("mpo"), StereoFileFormat::kNone);
  EXPECT_STREQ(toString(StereoFileFormat::kJps), "JPS");
}

TEST(StereoFileReaderTest, ReadsTheViewsOfOurMpo) {
  const Views views;
  test::TempDir dir;
  const fs::path path = dir / "pair.mpo";
  writeBytes(path, buildStereoMpo(encodeJpeg(views.left, 95), encodeJpeg(views.right, 95)));
  const StereoViews read = readStereoFile(path);
  EXPECT_EQ(read.format, StereoFileFormat::kMpo);
  expectViews(read, views);
  // readImage gives the left view, as the CLI and the workbench use it.
  EXPECT_GT(psnr(readImage(path), views.left), 30.0);
}

TEST(StereoFileReaderTest, ReadsTheViewsOfOurJps) {
  const Views views;
  test::TempDir dir;
  const fs::path path = dir / "pair.jps";
  writeBytes(path, buildJps(views.left, views.right, 95));
  const StereoViews read = readStereoFile(path);
  EXPECT_EQ(read.format, StereoFileFormat::kJps);
  expectViews(read, views);
  EXPECT_GT(psnr(readImage(path), views.left), 30.0);
}

TEST(StereoFileReaderTest, JpsWithoutDescriptorIsCrossEyedSideBySide) {
  const Views views;
  cv::Mat pair;
  cv::hconcat(views.right, views.left, pair);
  const StereoViews read = decodeStereoFile(encodeJpeg(pair, 95), StereoFileFormat::kJps, "x.jps");
  expectViews(read, views);
}

TEST(StereoFileReaderTest, JpsDescriptorLayouts) {
  const Views views;
  cv::Mat parallel;
  cv::hconcat(views.left, views.right, parallel);
  expectViews(decodeStereoFile(jpsWith(parallel, 0x04, 0x02, 1), StereoFileFormat::kJps, "p.jps"),
              views);
  cv::Mat over_under;
  cv::vconcat(views.right, views.left, over_under);
  expectViews(decodeStereoFile(jpsWith(over_under, 0x00, 0x03, 1), StereoFileFormat::kJps, "o.jps"),
              views);
  // Half width: each view squeezed to half its width, stretched back on reading.
  cv::Mat half_left, half_right, half;
  cv::resize(views.left, half_left, cv::Size(kWidth / 2, kHeight), 0, 0, cv::INTER_AREA);
  cv::resize(views.right, half_right, cv::Size(kWidth / 2, kHeight), 0, 0, cv::INTER_AREA);
  cv::hconcat(half_left, half_right, half);
  const StereoViews read =
      decodeStereoFile(jpsWith(half, 0x04 | 0x02, 0x02, 1), StereoFileFormat::kJps, "h.jps");
  ASSERT_EQ(read.left.size(), cv::Size(kWidth, kHeight));
  EXPECT_GT(psnr(read.left, views.left), psnr(read.left, views.right));
  EXPECT_GT(psnr(read.right, views.right), psnr(read.right, views.left));
}

TEST(StereoFileReaderTest, RefusesWhatIsNotAStereoPairNamingTheFile) {
  const Views views;
  cv::Mat pair;
  cv::hconcat(views.right, views.left, pair);
  const Bytes jpeg = encodeJpeg(views.left, 90);

  std::string error = errorOf(
      [&] { decodeStereoFile(jpsWith(pair, 0, 0x02, 0), StereoFileFormat::kJps, "mono.jps"); });
  EXPECT_NE(error.find("'mono.jps'"), std::string::npos) << error;
  EXPECT_NE(error.find("monoscopic"), std::string::npos) << error;
  error = errorOf(
      [&] { decodeStereoFile(jpsWith(pair, 0, 0x04, 1), StereoFileFormat::kJps, "anaglyph.jps"); });
  EXPECT_NE(error.find("anaglyph"), std::string::npos) << error;
  // An odd width cannot split into two equal views.
  error = errorOf([&] {
    decodeStereoFile(encodeJpeg(views.left(cv::Rect(0, 0, 63, 40)).clone(), 90),
                     StereoFileFormat::kJps, "odd.jps");
  });
  EXPECT_NE(error.find("odd width"), std::string::npos) << error;

  // A JPEG without an MP index, a truncated MPO, a JPEG renamed .jps that is not a JPEG.
  error = errorOf([&] { decodeStereoFile(jpeg, StereoFileFormat::kMpo, "plain.mpo"); });
  EXPECT_NE(error.find("'plain.mpo'"), std::string::npos) << error;
  EXPECT_NE(error.find("MPF"), std::string::npos) << error;
  Bytes mpo = buildStereoMpo(jpeg, encodeJpeg(views.right, 90));
  mpo.resize(mpo.size() - 200);
  error = errorOf([&] { decodeStereoFile(mpo, StereoFileFormat::kMpo, "cut.mpo"); });
  EXPECT_NE(error.find("'cut.mpo'"), std::string::npos) << error;
  error = errorOf([&] {
    decodeStereoFile(Bytes{'n', 'o', 't', ' ', 'J', 'P', 'E', 'G'}, StereoFileFormat::kJps,
                     "text.jps");
  });
  EXPECT_NE(error.find("'text.jps'"), std::string::npos) << error;

  // An MPO whose second image is a large thumbnail: a photo, not a stereo pair.
  Bytes thumbnail_mpo = buildStereoMpo(jpeg, encodeJpeg(views.right, 90));
  const std::vector<MpoImageInfo> images = parseMpoIndex(thumbnail_mpo);
  // The first MP entry's attribute (representative image, disparity view); the second entry
  // follows it 16 bytes later.
  const Bytes first_attribute = {0x20, 0x02, 0x00, 0x02};
  const Bytes thumbnail_type = {0x00, 0x01, 0x00, 0x01};
  const auto at = std::search(thumbnail_mpo.begin(), thumbnail_mpo.end(), first_attribute.begin(),
                              first_attribute.end());
  ASSERT_NE(at, thumbnail_mpo.end());
  std::copy(thumbnail_type.begin(), thumbnail_type.end(), at + 16);
  ASSERT_EQ(parseMpoIndex(thumbnail_mpo)[1].attribute & 0xFFFFFFu, 0x010001u);
  ASSERT_EQ(images.size(), 2u);
  error = errorOf([&] { decodeStereoFile(thumbnail_mpo, StereoFileFormat::kMpo, "thumb.mpo"); });
  EXPECT_NE(error.find("not a stereo MPO"), std::string::npos) << error;
  EXPECT_NE(error.find("large thumbnail"), std::string::npos) << error;

  // Views of different sizes.
  const Bytes uneven = buildStereoMpo(jpeg, encodeJpeg(test::makeTestImage(32, 40, 3), 90));
  error = errorOf([&] { decodeStereoFile(uneven, StereoFileFormat::kMpo, "uneven.mpo"); });
  EXPECT_NE(error.find("64x40"), std::string::npos) << error;
  EXPECT_NE(error.find("32x40"), std::string::npos) << error;

  // A missing file, and a path of another extension.
  test::TempDir dir;
  error = errorOf([&] { readStereoFile(dir / "missing.mpo"); });
  EXPECT_NE(error.find("missing.mpo"), std::string::npos) << error;
  error = errorOf([&] { readStereoFile(dir / "photo.jpg"); });
  EXPECT_NE(error.find("photo.jpg"), std::string::npos) << error;
}

}  // namespace
}  // namespace genstereo
