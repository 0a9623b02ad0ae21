// Tiled full-resolution generation (nn/tile_mosaic.h, nn/tiled_diffusion.h): patch placement,
// seams and stitching against tests/data/tiling/tiling_reference.safetensors, the official
// test_arbitrary_size.py transcribed by make_tiling_fixtures.py around a stand-in for the
// per-patch network (the same stand-in is computed here), and properties of the stitching.
#include <gtest/gtest.h>

#include <cmath>
#include <string>
#include <vector>

#include "errors.h"
#include "io/safetensors_reader.h"
#include "nn/tile_mosaic.h"
#include "nn/tiled_diffusion.h"
#include "test_support.h"

namespace genstereo {
namespace {

// A fixture tensor of shape [H, W] or [H, W, C] as a float Mat of C channels.
cv::Mat fixtureMat(const SafetensorsFile& file, const std::string& name) {
  const TensorInfo& info = file.info(name);
  std::vector<float> values = file.readAsFloat32(name);
  const int channels = info.shape.size() == 3 ? static_cast<int>(info.shape[2]) : 1;
  cv::Mat mat(static_cast<int>(info.shape[0]), static_cast<int>(info.shape[1]), CV_32FC(channels),
              values.data());
  return mat.clone();
}

std::vector<float> fixtureValues(const SafetensorsFile& file, const std::string& name) {
  return file.readAsFloat32(name);
}

cv::Mat toU8(const cv::Mat& values) {
  cv::Mat u8;
  values.convertTo(u8, CV_8U);
  return u8;
}

// make_tiling_fixtures.py's stand_in_patch: multiples of 1/256 from the patch's bytes, its
// local coordinates and the floored disparity.
TilePatchOutput standInPatch(const cv::Mat& patch_rgb8, const cv::Mat& disparity) {
  TilePatchOutput out;
  out.fused.create(patch_rgb8.size(), CV_32FC3);
  out.generated.create(patch_rgb8.size(), CV_32FC3);
  out.warped_share.create(patch_rgb8.size(), CV_32FC1);
  for (int y = 0; y < patch_rgb8.rows; ++y) {
    for (int x = 0; x < patch_rgb8.cols; ++x) {
      const cv::Vec3b img = patch_rgb8.at<cv::Vec3b>(y, x);
      const long d = static_cast<long>(std::floor(disparity.at<float>(y, x)));
      for (int c = 0; c < 3; ++c) {
        out.fused.at<cv::Vec3f>(y, x)[c] =
            static_cast<float>((img[c] + 3 * x + 5 * y + 11 * c + d) % 256) / 256.0f;
        out.generated.at<cv::Vec3f>(y, x)[c] =
            static_cast<float>((2 * img[c] + 7 * x + 3 * y + c) % 256) / 256.0f;
      }
      out.warped_share.at<float>(y, x) = static_cast<float>((x * y + img[0]) % 256) / 256.0f;
    }
  }
  return out;
}

double maxDiff(const cv::Mat& a, const cv::Mat& b) {
  if (a.size() != b.size() || a.channels() != b.channels()) return 1e30;
  cv::Mat a64, b64;
  a.convertTo(a64, CV_64F);
  b.convertTo(b64, CV_64F);
  return cv::norm(a64.reshape(1), b64.reshape(1), cv::NORM_INF);
}

TEST(TiledDiffusion, MatchesTheOfficialScriptWithAStandInNetwork) {
  const SafetensorsFile file(test::testDataDir() / "tiling" / "tiling_reference.safetensors");
  const int cases = std::stoi(file.metadata().at("cases"));
  ASSERT_GE(cases, 5);
  for (int k = 0; k < cases; ++k) {
    const std::string p = "case" + std::to_string(k) + ".";
    const std::vector<float> params = fixtureValues(file, p + "params");
    const int patch_px = static_cast<int>(params[2]);
    const double overlap = params[3];
    SCOPED_TRACE(p + " " + std::to_string(static_cast<int>(params[0])) + "x" +
                 std::to_string(static_cast<int>(params[1])) + ", overlap " +
                 std::to_string(overlap));
    const cv::Mat photo = toU8(fixtureMat(file, p + "photo"));
    const cv::Mat disparity = fixtureMat(file, p + "disparity");
    int patches_made = 0;
    const TiledGeneration tiled =
        generateTiled(photo, disparity, patch_px, overlap,
                      [&](const cv::Mat& patch, const cv::Mat& patch_disparity, int index) {
                        EXPECT_EQ(index, patches_made++);
                        return standInPatch(patch, patch_disparity);
                      });

    // Pillow's LANCZOS up to multiples of the patch: byte for byte.
    EXPECT_EQ(maxDiff(tiled.resized_rgb8, toU8(fixtureMat(file, p + "resized"))), 0.0);
    // F.unfold's grid, row-major.
    const std::vector<float> grid = fixtureValues(file, p + "grid");
    EXPECT_EQ(tiled.grid.xs.size(), static_cast<std::size_t>(grid[0]));
    EXPECT_EQ(tiled.grid.ys.size(), static_cast<std::size_t>(grid[1]));
    EXPECT_EQ(patches_made, tiled.grid.count());
    // The seams: every cut position.
    const std::vector<float> column_cuts = fixtureValues(file, p + "column_cuts");
    std::vector<float> ours;
    for (const std::vector<int>& row : tiled.seams.column_cuts)
      ours.insert(ours.end(), row.begin(), row.end());
    EXPECT_EQ(ours, column_cuts);
    const std::vector<float> row_cuts = fixtureValues(file, p + "row_cuts");
    EXPECT_EQ(std::vector<float>(tiled.seams.row_cuts.begin(), tiled.seams.row_cuts.end()),
              row_cuts);
    // The stitched images (values are multiples of 1/256: exact) and the final 8-bit view.
    EXPECT_EQ(maxDiff(tiled.fused, fixtureMat(file, p + "mosaic")), 0.0);
    EXPECT_EQ(maxDiff(tiled.warped_share, fixtureMat(file, p + "share")), 0.0);
    EXPECT_EQ(maxDiff(tiled.view_rgb8, toU8(fixtureMat(file, p + "view"))), 0.0);
  }
}

TEST(TiledDiffusion, PatchesCoverTheImageWithTheLastOneFlush) {
  EXPECT_EQ(tileStride(768, 0.5), 384);
  EXPECT_EQ(tileStride(512, 0.0), 512);
  EXPECT_EQ(tileStride(768, 0.3), 537);  // int(768 * 0.7)
  EXPECT_THROW(tileStride(768, 1.0), InputError);
  EXPECT_THROW(tileStride(768, -0.1), InputError);
  EXPECT_THROW(tileStride(4, 0.9), InputError);  // int(0.4) = 0
  EXPECT_EQ(tileOrigins(1536, 768, 384), (std::vector<int>{0, 384, 768}));
  // A stride that does not divide the rest: one more patch flush with the end (the official
  // unfold would leave 1536 - 1305 = 231 px out).
  EXPECT_EQ(tileOrigins(1536, 768, 537), (std::vector<int>{0, 537, 768}));
  EXPECT_EQ(tileOrigins(768, 768, 384), (std::vector<int>{0}));
  EXPECT_THROW(tileOrigins(700, 768, 384), InputError);
  EXPECT_EQ(tiledSize({4000, 3000}, 768), cv::Size(4608, 3072));
  const TileGrid grid = makeTileGrid({4608, 3072}, 768, 0.5);
  EXPECT_EQ(grid.xs.size(), 11u);
  EXPECT_EQ(grid.ys.size(), 7u);
  EXPECT_EQ(grid.rect(12), cv::Rect(384, 384, 768, 768));  // row 1, column 1
}

// Patches cut from one image stitch back into that image whatever the seams, at any overlap.
TEST(TiledDiffusion, PatchesOfOneImageStitchBackIntoIt) {
  const cv::Mat image = test::makeTestImage(200, 136, 3);
  for (double overlap : {0.0, 0.3, 0.5, 0.75}) {
    SCOPED_TRACE(overlap);
    const TileGrid grid = makeTileGrid(image.size(), 64, overlap);
    std::vector<cv::Mat> patches, noisy;
    cv::RNG rng(3);
    for (int i = 0; i < grid.count(); ++i) {
      patches.push_back(image(grid.rect(i)).clone());
      cv::Mat n(64, 64, CV_32FC3);
      rng.fill(n, cv::RNG::UNIFORM, 0.0, 1.0);
      noisy.push_back(n);
    }
    cv::Mat mosaic;
    findTileSeams(patches, grid, &mosaic);
    EXPECT_EQ(maxDiff(mosaic, image), 0.0);
    // Seams found on noise (layer 0) still cut inside each overlap and reassemble the image
    // carried along as layer 1.
    TileStitcher stitcher(grid, 2);
    const int columns = static_cast<int>(grid.xs.size());
    for (std::size_t r = 0; r < grid.ys.size(); ++r) {
      const auto at = static_cast<std::ptrdiff_t>(r) * columns;
      stitcher.addRow({std::vector<cv::Mat>(noisy.begin() + at, noisy.begin() + at + columns),
                       std::vector<cv::Mat>(patches.begin() + at, patches.begin() + at + columns)});
    }
    ASSERT_TRUE(stitcher.isComplete());
    EXPECT_EQ(maxDiff(stitcher.mosaic(1), image), 0.0);
    const TileSeams& other = stitcher.seams();
    for (std::size_t r = 0; r < other.column_cuts.size(); ++r) {
      for (std::size_t c = 0; c < other.column_cuts[r].size(); ++c) {
        EXPECT_GE(other.column_cuts[r][c], grid.xs[c + 1]);
        EXPECT_LT(other.column_cuts[r][c], grid.xs[c] + 64 + (overlap == 0.0 ? 1 : 0));
      }
    }
  }
}

// Feathered seams (not official, off by default): patches that agree still give the image back,
// and two patches of different tone meet in a linear ramp centred on the cut, clipped to the
// overlap, with the pixels outside the band untouched.
TEST(TiledDiffusion, FeatheredSeamsCrossFadeInsideTheOverlapOnly) {
  const cv::Mat image = test::makeTestImage(200, 136, 3);
  for (int feather : {1, 8, 32, 64}) {
    SCOPED_TRACE(feather);
    const TileGrid grid = makeTileGrid(image.size(), 64, 0.5);
    std::vector<cv::Mat> patches;
    for (int i = 0; i < grid.count(); ++i) patches.push_back(image(grid.rect(i)).clone());
    cv::Mat mosaic;
    findTileSeams(patches, grid, &mosaic, feather);
    EXPECT_LT(maxDiff(mosaic, image), 1e-6) << "a cross-fade of equal pixels is those pixels";
  }

  // One row of two 64 px patches, stride 32: tone 0.2 then 0.8 (1-channel), a feather of 16.
  const TileGrid row = makeTileGrid({96, 64}, 64, 0.5);
  ASSERT_EQ(row.count(), 2);
  const cv::Mat dark(64, 64, CV_32FC1, cv::Scalar(0.2));
  const cv::Mat light(64, 64, CV_32FC1, cv::Scalar(0.8));
  cv::Mat straight, feathered;
  const TileSeams cut = findTileSeams({dark, light}, row, &straight, 0);
  findTileSeams({dark, light}, row, &feathered, 16);
  const int at = cut.column_cuts[0][0];  // all offsets tie: the first, the overlap's start
  EXPECT_EQ(at, 32);
  // The band [max(32, at - 8), +16) = [32, 48): the patch's weight (i + 0.5) / 16.
  for (int x = 0; x < 96; ++x) {
    const float expected = x < 32    ? 0.2f
                           : x >= 48 ? 0.8f
                                     : 0.2f + (0.8f - 0.2f) * featherWeight(x - 32, 16);
    EXPECT_NEAR(feathered.at<float>(10, x), expected, 1e-6f) << "x " << x;
    EXPECT_EQ(straight.at<float>(10, x), x < at ? 0.2f : 0.8f);
  }
  // Rows feather the same way.
  const TileGrid column = makeTileGrid({64, 96}, 64, 0.5);
  cv::Mat rows_feathered;
  findTileSeams({dark, light}, column, &rows_feathered, 16);
  for (int y = 0; y < 96; ++y) {
    const float expected = y < 32    ? 0.2f
                           : y >= 48 ? 0.8f
                                     : 0.2f + (0.8f - 0.2f) * featherWeight(y - 32, 16);
    EXPECT_NEAR(rows_feathered.at<float>(y, 5), expected, 1e-6f) << "y " << y;
  }
  EXPECT_THROW(TileStitcher(row, 1, -1), InputError);
  EXPECT_THROW(TileStitcher(row, 1, 65), InputError);
}

TEST(TiledDiffusion, PatchesOfAnotherSizeAreRefused) {
  const TileGrid grid = makeTileGrid({128, 64}, 64, 0.5);
  std::vector<cv::Mat> patches(static_cast<std::size_t>(grid.count()),
                               cv::Mat(64, 64, CV_32FC3, cv::Scalar::all(0)));
  EXPECT_NO_THROW(findTileSeams(patches, grid));
  patches.back() = cv::Mat(32, 64, CV_32FC3, cv::Scalar::all(0));
  EXPECT_THROW(findTileSeams(patches, grid), InputError);
  patches.pop_back();
  EXPECT_THROW(findTileSeams(patches, grid), InputError);
  TileStitcher stitcher(grid, 1);
  const std::vector<cv::Mat> row(grid.xs.size(), cv::Mat(64, 64, CV_32FC3, cv::Scalar::all(0)));
  stitcher.addRow({row});
  EXPECT_THROW(stitcher.addRow({row}), InputError) << "one row too many";
}

}  // namespace
}  // namespace genstereo
