#include "io/stereo_export.h"

#include <algorithm>
#include <cstdint>
#include <filesystem>
#include <set>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <unistd.h>
#include <opencv2/imgcodecs.hpp>

#include "animation_decoding.h"
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

constexpr int kWidth = 48;
constexpr int kHeight = 32;

struct Views {
  cv::Mat left = test::makeTestImage(kWidth, kHeight, 1);
  cv::Mat right = test::makeTestImage(kWidth, kHeight, 2);
};

cv::Mat toFloat(const cv::Mat& image_8u) {
  cv::Mat out;
  image_8u.convertTo(out, CV_32FC3, 1.0 / 255.0);
  return out;
}

Bytes slice(const Bytes& bytes, std::size_t offset, std::size_t size) {
  return Bytes(bytes.begin() + static_cast<std::ptrdiff_t>(offset),
               bytes.begin() + static_cast<std::ptrdiff_t>(offset + size));
}

bool contains(const Bytes& haystack, const Bytes& needle) {
  return std::search(haystack.begin(), haystack.end(), needle.begin(), needle.end()) !=
         haystack.end();
}

std::vector<std::string> fileNames(const std::vector<fs::path>& paths) {
  std::vector<std::string> names;
  for (const fs::path& path : paths) names.push_back(path.filename().string());
  return names;
}

// --- Names ---------------------------------------------------------------------------------

TEST(StereoExportTest, FormatNamesRoundTrip) {
  const std::vector<std::string> names = allExportFormatNames();
  ASSERT_EQ(names.size(), 14u);  // the still formats (rows, columns, checkerboard since issue 23)
  EXPECT_EQ(std::set<std::string>(names.begin(), names.end()).size(), names.size());
  for (const std::string& name : names) {
    const std::optional<ExportFormat> format = parseExportFormat(name);
    ASSERT_TRUE(format.has_value()) << name;
    EXPECT_EQ(toString(*format), name);
  }
  EXPECT_EQ(parseExportFormat("MPO"), ExportFormat::kMpo);
  EXPECT_EQ(toString(ExportFormat::kSeparatePair), "pair");
  EXPECT_FALSE(parseExportFormat("gif").has_value());
}

TEST(StereoExportTest, WiggleNamesAreSeparateFromTheStillFormats) {
  const std::vector<std::string> wiggles = wiggleExportFormatNames();
  ASSERT_EQ(wiggles, (std::vector<std::string>{"wiggle-gif", "wiggle-apng"}));
  const std::vector<std::string> stills = allExportFormatNames();
  for (const std::string& name : wiggles) {
    EXPECT_EQ(std::count(stills.begin(), stills.end(), name), 0) << name;
    const std::optional<ExportFormat> format = parseExportFormat(name);
    ASSERT_TRUE(format.has_value()) << name;
    EXPECT_TRUE(isWiggle(*format));
    EXPECT_EQ(toString(*format), name);
  }
  EXPECT_EQ(parseExportFormat("Wiggle-GIF"), ExportFormat::kWiggleGif);
  EXPECT_FALSE(isWiggle(ExportFormat::kSideBySideFull));
}

// --- Every format --------------------------------------------------------------------------

struct ExpectedOutput {
  ExportFormat format;
  std::vector<std::string> vr_names;     // with vr_suffix
  std::vector<std::string> plain_names;  // without
  cv::Size decoded_size;                 // of each file, as cv::imread decodes it
};

std::vector<ExpectedOutput> expectedOutputs() {
  const cv::Size one(kWidth, kHeight), wide(2 * kWidth, kHeight), tall(kWidth, 2 * kHeight);
  return {
      {ExportFormat::kAnaglyphDubois, {"photo_anaglyph.png"}, {"photo_anaglyph.png"}, one},
      {ExportFormat::kAnaglyphColor,
       {"photo_anaglyph_color.png"},
       {"photo_anaglyph-color.png"},
       one},
      {ExportFormat::kAnaglyphGray, {"photo_anaglyph_gray.png"}, {"photo_anaglyph-gray.png"}, one},
      {ExportFormat::kSideBySideFull, {"photo_LRF_Full_SBS.png"}, {"photo_sbs.png"}, wide},
      {ExportFormat::kSideBySideHalf, {"photo_3dh.png"}, {"photo_sbs-half.png"}, one},
      {ExportFormat::kTopBottomFull, {"photo_TB.png"}, {"photo_tb.png"}, tall},
      {ExportFormat::kTopBottomHalf, {"photo_3dv.png"}, {"photo_tb-half.png"}, one},
      {ExportFormat::kCrossEyed, {"photo_RL.png"}, {"photo_cross.png"}, wide},
      {ExportFormat::kRowInterleaved, {"photo_rows.png"}, {"photo_rows.png"}, one},
      {ExportFormat::kColumnInterleaved, {"photo_columns.png"}, {"photo_columns.png"}, one},
      {ExportFormat::kCheckerboard, {"photo_checkerboard.png"}, {"photo_checkerboard.png"}, one},
      {ExportFormat::kSeparatePair,
       {"photo_L.png", "photo_R.png"},
       {"photo_L.png", "photo_R.png"},
       one},
      {ExportFormat::kMpo, {"photo.mpo"}, {"photo.mpo"}, one},  // imread decodes the first image
      {ExportFormat::kJps, {"photo.jps"}, {"photo.jps"}, wide},
  };
}

TEST(StereoExportTest, WritesEveryFormatWithVrSuffixes) {
  const Views views;
  for (const ExpectedOutput& expected : expectedOutputs()) {
    test::TempDir dir;
    const std::vector<fs::path> written =
        exportStereo(views.left, views.right, expected.format, dir.path(), "photo", {});
    EXPECT_EQ(fileNames(written), expected.vr_names) << toString(expected.format);
    // Only the outputs: no temporary file left behind.
    EXPECT_EQ(test::countEntries(dir.path()), static_cast<int>(expected.vr_names.size()));
    for (const fs::path& path : written) {
      EXPECT_EQ(path.parent_path(), dir.path());
      const cv::Mat decoded = cv::imread(path.string(), cv::IMREAD_COLOR);
      ASSERT_FALSE(decoded.empty()) << path;
      EXPECT_EQ(decoded.size(), expected.decoded_size) << path;
    }
  }
}

TEST(StereoExportTest, WritesEveryFormatWithPlainSuffixes) {
  const Views views;
  ExportOptions options;
  options.vr_suffix = false;
  for (const ExpectedOutput& expected : expectedOutputs()) {
    test::TempDir dir;
    const std::vector<fs::path> written =
        exportStereo(views.left, views.right, expected.format, dir.path(), "photo", options);
    EXPECT_EQ(fileNames(written), expected.plain_names) << toString(expected.format);
    for (const fs::path& path : written) EXPECT_TRUE(fs::is_regular_file(path)) << path;
  }
}

// --- Wiggles --------------------------------------------------------------------------------

TEST(StereoExportTest, WigglesAreNamedLikeTheGuisAndPlayLeftThenRight) {
  const Views views;
  for (const bool vr_suffix : {true, false}) {
    test::TempDir dir;
    ExportOptions options;
    options.vr_suffix = vr_suffix;
    options.wiggle_frame_ms = 230;
    options.image_extension = "jpg";  // not used by the wiggles
    const std::vector<fs::path> gif = exportStereo(
        views.left, views.right, ExportFormat::kWiggleGif, dir.path(), "photo", options);
    const std::vector<fs::path> apng = exportStereo(
        views.left, views.right, ExportFormat::kWiggleApng, dir.path(), "photo", options);
    EXPECT_EQ(fileNames(gif), std::vector<std::string>{"photo_wiggle.gif"});
    EXPECT_EQ(fileNames(apng), std::vector<std::string>{"photo_wiggle.png"});
    EXPECT_EQ(test::countEntries(dir.path()), 2) << "no temporary left behind";
    if (gif.size() != 1 || apng.size() != 1) continue;

    const test::DecodedGif decoded = test::decodeGif(test::readBinaryFile(gif[0]));
    ASSERT_EQ(decoded.frames_bgr8.size(), 2u);
    EXPECT_EQ(decoded.frame_delays_cs, (std::vector<int>{23, 23}));
    EXPECT_TRUE(decoded.loops_forever);
    for (std::size_t i = 0; i < 2; ++i) {
      cv::Mat expected;
      (i == 0 ? views.left : views.right).convertTo(expected, CV_8UC3, 255.0);
      ASSERT_EQ(decoded.frames_bgr8[i].size(), expected.size());
      EXPECT_LT(cv::norm(decoded.frames_bgr8[i], expected, cv::NORM_L1) / expected.total() / 3.0,
                6.0)
          << "frame " << i;
    }

    const test::ApngSummary summary = test::summariseApng(test::readBinaryFile(apng[0]));
    EXPECT_EQ(summary.width, kWidth);
    EXPECT_EQ(summary.height, kHeight);
    EXPECT_EQ(summary.declared_frames, 2);
    EXPECT_EQ(summary.plays, 0);
    EXPECT_EQ(summary.frame_delays_ms, (std::vector<double>{230.0, 230.0}));
    cv::Mat left8;
    views.left.convertTo(left8, CV_8UC3, 255.0);
    const cv::Mat first = cv::imread(apng[0].string(), cv::IMREAD_COLOR);  // the first frame
    ASSERT_EQ(first.size(), left8.size());
    EXPECT_EQ(cv::norm(first, left8, cv::NORM_INF), 0.0);
  }
}

TEST(StereoExportTest, WiggleFrameTimeOutOfRangeIsAnInputErrorAndLeavesNothing) {
  const Views views;
  test::TempDir dir;
  const fs::path out = dir / "fresh";
  ExportOptions options;
  options.wiggle_frame_ms = kMinFrameMs - 1;
  try {
    exportStereo(views.left, views.right, ExportFormat::kWiggleApng, out, "x", options);
    FAIL() << "a frame time of " << options.wiggle_frame_ms << " ms was accepted";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("found " + std::to_string(kMinFrameMs - 1)),
              std::string::npos)
        << e.what();
  }
  EXPECT_FALSE(fs::exists(out)) << "the folder the call created is removed again";
  // The still formats do not look at the wiggle's frame time.
  EXPECT_EQ(exportStereo(views.left, views.right, ExportFormat::kSideBySideFull, out, "x", options)
                .size(),
            1u);
}

TEST(StereoExportTest, PairKeepsBothViewsAndHonoursTheExtension) {
  const Views views;
  test::TempDir dir;
  const std::vector<fs::path> png =
      exportStereo(views.left, views.right, ExportFormat::kSeparatePair, dir.path(), "p", {});
  ASSERT_EQ(png.size(), 2u);
  // 8-bit PNG: within half a quantisation step.
  EXPECT_LE(cv::norm(toFloat(cv::imread(png[0].string())), views.left, cv::NORM_INF),
            0.5 / 255 + 1e-6);
  EXPECT_LE(cv::norm(toFloat(cv::imread(png[1].string())), views.right, cv::NORM_INF),
            0.5 / 255 + 1e-6);

  ExportOptions options;
  options.image_extension = ".JPG";
  options.jpeg_quality = 90;
  const std::vector<fs::path> jpg = exportStereo(
      views.left, views.right, ExportFormat::kSideBySideFull, dir.path(), "p", options);
  EXPECT_EQ(fileNames(jpg), std::vector<std::string>{"p_LRF_Full_SBS.jpg"});
  EXPECT_EQ(readFileBytes(jpg[0])[0], 0xFF);
  EXPECT_EQ(readFileBytes(jpg[0])[1], 0xD8);

  options.image_extension = "gif";
  EXPECT_THROW(exportStereo(views.left, views.right, ExportFormat::kSideBySideFull, dir.path(), "p",
                            options),
               InputError);
}

// --- MPO -----------------------------------------------------------------------------------

TEST(MpoWriterTest, IndexPointsAtBothJpegsAndSizesSumToTheFile) {
  const Views views;
  const Bytes left_jpeg = encodeJpeg(views.left, 95);
  const Bytes right_jpeg = encodeJpeg(views.right, 95);
  const Bytes mpo = buildStereoMpo(left_jpeg, right_jpeg);

  const std::vector<MpoImageInfo> images = parseMpoIndex(mpo);
  ASSERT_EQ(images.size(), 2u);
  EXPECT_EQ(images[0].offset, 0u);
  EXPECT_EQ(images[0].size, images[1].offset);
  EXPECT_EQ(images[0].size + images[1].size, mpo.size());
  // Each image grew by exactly its APP2 segment.
  EXPECT_GT(images[0].size, left_jpeg.size());
  EXPECT_GT(images[1].size, right_jpeg.size());

  const std::vector<cv::Mat> expected_views = {views.left, views.right};
  for (std::size_t i = 0; i < images.size(); ++i) {
    const Bytes image = slice(mpo, images[i].offset, images[i].size);
    EXPECT_EQ(image[0], 0xFF);
    EXPECT_EQ(image[1], 0xD8);
    EXPECT_EQ(image[image.size() - 2], 0xFF);
    EXPECT_EQ(image[image.size() - 1], 0xD9);
    const cv::Mat decoded = cv::imdecode(image, cv::IMREAD_COLOR);
    ASSERT_FALSE(decoded.empty()) << "image " << i + 1;
    EXPECT_EQ(decoded.size(), cv::Size(kWidth, kHeight));
    EXPECT_GT(cv::PSNR(toFloat(decoded), expected_views[i], 1.0), 30.0) << "image " << i + 1;
  }
}

TEST(MpoWriterTest, WritesTheMpTags) {
  const Views views;
  const Bytes mpo = buildStereoMpo(encodeJpeg(views.left, 90), encodeJpeg(views.right, 90));
  const std::vector<MpoImageInfo> images = parseMpoIndex(mpo);
  ASSERT_EQ(images.size(), 2u);
  const Bytes first = slice(mpo, images[0].offset, images[0].size);
  const Bytes second = slice(mpo, images[1].offset, images[1].size);

  // APP2 "MPF\0" followed by the big-endian MP header, in each image.
  const Bytes mpf_header = {0xFF, 0xE2};
  const Bytes mpf_id = {'M', 'P', 'F', 0, 'M', 'M', 0, 0x2A, 0, 0, 0, 8};
  EXPECT_TRUE(contains(first, mpf_id));
  EXPECT_TRUE(contains(second, mpf_id));
  EXPECT_TRUE(contains(first, mpf_header));
  // OpenCV writes a JFIF APP0 first; APP2 comes right after it.
  ASSERT_EQ(first[2], 0xFF);
  ASSERT_EQ(first[3], 0xE0);
  const std::size_t app0_end = 4 + ((first[4] << 8) | first[5]);
  EXPECT_EQ(first[app0_end], 0xFF);
  EXPECT_EQ(first[app0_end + 1], 0xE2);

  // MPFVersion "0100", NumberOfImages = 2 in the first image's MP Index IFD.
  EXPECT_TRUE(contains(first, {0xB0, 0x00, 0x00, 0x07, 0, 0, 0, 4, '0', '1', '0', '0'}));
  EXPECT_TRUE(contains(first, {0xB0, 0x01, 0x00, 0x04, 0, 0, 0, 1, 0, 0, 0, 2}));
  // MP Entry: 32 bytes; first entry = representative + disparity image type, offset 0.
  EXPECT_TRUE(contains(first, {0xB0, 0x02, 0x00, 0x07, 0, 0, 0, 32}));
  const std::uint32_t first_size = static_cast<std::uint32_t>(images[0].size);
  EXPECT_TRUE(contains(first, {0x20, 0x02, 0x00, 0x02, static_cast<std::uint8_t>(first_size >> 24),
                               static_cast<std::uint8_t>(first_size >> 16),
                               static_cast<std::uint8_t>(first_size >> 8),
                               static_cast<std::uint8_t>(first_size), 0, 0, 0, 0, 0, 0, 0, 0}));
  // MPIndividualNum 1 and 2, BaseViewpointNum 1.
  EXPECT_TRUE(contains(first, {0xB1, 0x01, 0x00, 0x04, 0, 0, 0, 1, 0, 0, 0, 1}));
  EXPECT_TRUE(contains(second, {0xB1, 0x01, 0x00, 0x04, 0, 0, 0, 1, 0, 0, 0, 2}));
  EXPECT_TRUE(contains(second, {0xB2, 0x04, 0x00, 0x04, 0, 0, 0, 1, 0, 0, 0, 1}));
  EXPECT_FALSE(contains(second, {0xB0, 0x02}));  // no MP Index in the second image
}

TEST(MpoWriterTest, PutsTheMpfSegmentAfterAnExifSegment) {
  const Views views;
  Bytes left = encodeJpeg(views.left, 90);
  // Insert a minimal APP1 "Exif" segment after APP0.
  const Bytes app1 = {0xFF, 0xE1, 0x00, 0x08, 'E', 'x', 'i', 'f', 0x00, 0x00};
  const std::size_t app0_end = 4 + ((left[4] << 8) | left[5]);
  left.insert(left.begin() + static_cast<std::ptrdiff_t>(app0_end), app1.begin(), app1.end());

  const Bytes mpo = buildStereoMpo(left, encodeJpeg(views.right, 90));
  EXPECT_EQ(mpo[app0_end], 0xFF);
  EXPECT_EQ(mpo[app0_end + 1], 0xE1);
  EXPECT_EQ(mpo[app0_end + app1.size()], 0xFF);
  EXPECT_EQ(mpo[app0_end + app1.size() + 1], 0xE2);
  const std::vector<MpoImageInfo> images = parseMpoIndex(mpo);
  ASSERT_EQ(images.size(), 2u);
  EXPECT_EQ(images[0].size + images[1].size, mpo.size());
  EXPECT_FALSE(
      cv::imdecode(slice(mpo, images[1].offset, images[1].size), cv::IMREAD_COLOR).empty());
}

TEST(MpoWriterTest, ParseRejectsMalformedData) {
  const Views views;
  const Bytes jpeg = encodeJpeg(views.left, 90);
  const Bytes mpo = buildStereoMpo(jpeg, encodeJpeg(views.right, 90));

  EXPECT_THROW(parseMpoIndex({}), InputError);
  EXPECT_THROW(parseMpoIndex({'n', 'o', 't', ' ', 'a', 'n', ' ', 'M', 'P', 'O'}), InputError);
  EXPECT_THROW(parseMpoIndex(jpeg), InputError);  // a JPEG without an MPF segment
  // Truncated: the second image runs past the end.
  EXPECT_THROW(parseMpoIndex(slice(mpo, 0, mpo.size() - 100)), InputError);
  // Truncated inside the MPF segment.
  EXPECT_THROW(parseMpoIndex(slice(mpo, 0, 40)), InputError);
  // The second image's offset no longer points at an SOI marker.
  const std::vector<MpoImageInfo> images = parseMpoIndex(mpo);
  Bytes corrupt = mpo;
  corrupt[images[1].offset + 1] = 0x00;
  EXPECT_THROW(parseMpoIndex(corrupt), InputError);
  // Inputs that are not JPEG streams.
  EXPECT_THROW(buildStereoMpo({1, 2, 3, 4}, jpeg), InputError);
  EXPECT_THROW(buildStereoMpo(jpeg, {}), InputError);
}

TEST(MpoWriterTest, ExportedMpoFileParses) {
  const Views views;
  test::TempDir dir;
  const std::vector<fs::path> written =
      exportStereo(views.left, views.right, ExportFormat::kMpo, dir.path(), "pair", {});
  ASSERT_EQ(written.size(), 1u);
  const Bytes mpo = readFileBytes(written[0]);
  const std::vector<MpoImageInfo> images = parseMpoIndex(mpo);
  ASSERT_EQ(images.size(), 2u);
  EXPECT_EQ(images[0].size + images[1].size, mpo.size());
  const cv::Mat right =
      cv::imdecode(slice(mpo, images[1].offset, images[1].size), cv::IMREAD_COLOR);
  ASSERT_FALSE(right.empty());
  EXPECT_GT(cv::PSNR(toFloat(right), views.right, 1.0), 30.0);
}

// --- JPS -----------------------------------------------------------------------------------

TEST(JpsWriterTest, IsACrossEyedFullWidthJpegWithADescriptor) {
  const Views views;
  const Bytes jps = buildJps(views.left, views.right, 95);
  const cv::Mat decoded = cv::imdecode(jps, cv::IMREAD_COLOR);
  ASSERT_FALSE(decoded.empty());
  ASSERT_EQ(decoded.size(), cv::Size(2 * kWidth, kHeight));
  const cv::Mat decoded01 = toFloat(decoded);
  const cv::Rect left_half(0, 0, kWidth, kHeight), right_half(kWidth, 0, kWidth, kHeight);
  EXPECT_GT(cv::PSNR(decoded01(left_half), views.right, 1.0), 30.0);  // right view first
  EXPECT_GT(cv::PSNR(decoded01(right_half), views.left, 1.0), 30.0);

  // APP3, "_JPSJPS_", block length 4, separation 0, flags 0 (right first, full size),
  // layout 2 (side-by-side), type 1 (stereoscopic).
  const Bytes descriptor = {0xFF, 0xE3, 0x00, 0x12, '_',  'J',  'P',  'S',  'J',
                            'P',  'S',  '_',  0x00, 0x04, 0x00, 0x00, 0x02, 0x01};
  EXPECT_TRUE(contains(jps, descriptor));
  ASSERT_EQ(jps[2], 0xFF);
  ASSERT_EQ(jps[3], 0xE0);  // JFIF APP0 stays first
  const std::size_t app0_end = 4 + ((jps[4] << 8) | jps[5]);
  EXPECT_TRUE(std::equal(descriptor.begin(), descriptor.end(),
                         jps.begin() + static_cast<std::ptrdiff_t>(app0_end)));
}

// --- Errors --------------------------------------------------------------------------------

TEST(StereoExportTest, CreatesAMissingFolderWhoseParentExists) {
  const Views views;
  test::TempDir dir;
  const fs::path out = dir / "fresh";
  const std::vector<fs::path> written =
      exportStereo(views.left, views.right, ExportFormat::kCrossEyed, out, "x", {});
  ASSERT_EQ(written.size(), 1u);
  EXPECT_EQ(written[0], out / "x_RL.png");
  EXPECT_TRUE(fs::is_regular_file(written[0]));
}

TEST(StereoExportTest, MissingParentFolderIsAnOutputErrorAndCreatesNothing) {
  const Views views;
  test::TempDir dir;
  const fs::path out = dir / "missing" / "deeper";
  for (const ExportFormat format : {ExportFormat::kSideBySideFull, ExportFormat::kSeparatePair,
                                    ExportFormat::kMpo, ExportFormat::kJps}) {
    try {
      exportStereo(views.left, views.right, format, out, "x", {});
      FAIL() << "expected OutputError for " << toString(format);
    } catch (const OutputError& e) {
      EXPECT_NE(std::string(e.what()).find(out.string()), std::string::npos) << e.what();
    }
  }
  EXPECT_EQ(test::countEntries(dir.path()), 0);
}

TEST(StereoExportTest, NonWritableFolderIsAnOutputErrorAndLeavesNoFile) {
  const Views views;
  test::TempDir dir;
  const fs::path out = test::unwritableFolder(dir);
  const int entries_before = test::countEntries(out);
  for (const ExportFormat format : {ExportFormat::kAnaglyphDubois, ExportFormat::kSeparatePair,
                                    ExportFormat::kMpo, ExportFormat::kJps}) {
    EXPECT_THROW(exportStereo(views.left, views.right, format, out, "x", {}), OutputError)
        << toString(format);
  }
  // A missing folder inside it cannot be created either.
  EXPECT_THROW(exportStereo(views.left, views.right, ExportFormat::kMpo, out / "sub", "x", {}),
               OutputError);
  EXPECT_EQ(test::countEntries(out), entries_before);
}

TEST(StereoExportTest, FailedPairRemovesTheFirstView) {
  const Views views;
  test::TempDir dir;
  // A folder where the right view should go makes the second rename fail.
  fs::create_directory(dir / "x_R.png");
  fs::create_directory(dir / "x_R.png" / "keep");
  EXPECT_THROW(
      exportStereo(views.left, views.right, ExportFormat::kSeparatePair, dir.path(), "x", {}),
      OutputError);
  EXPECT_FALSE(fs::exists(dir / "x_L.png"));
  EXPECT_EQ(test::countEntries(dir.path()), 1);
}

TEST(StereoExportTest, RejectsMismatchedViewsAndBadNames) {
  const Views views;
  test::TempDir dir;
  const cv::Mat smaller = test::makeTestImage(kWidth - 2, kHeight, 3);
  EXPECT_THROW(exportStereo(views.left, smaller, ExportFormat::kMpo, dir.path(), "x", {}),
               InputError);
  EXPECT_THROW(exportStereo(views.left, views.right, ExportFormat::kMpo, dir.path(), "a/b", {}),
               InputError);
  EXPECT_THROW(exportStereo(views.left, views.right, ExportFormat::kMpo, dir.path(), "", {}),
               InputError);
  ExportOptions options;
  options.jpeg_quality = 0;
  EXPECT_THROW(exportStereo(views.left, views.right, ExportFormat::kJps, dir.path(), "x", options),
               InputError);
  EXPECT_EQ(test::countEntries(dir.path()), 0);
}

}  // namespace
}  // namespace genstereo
