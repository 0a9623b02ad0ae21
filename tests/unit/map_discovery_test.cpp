// The one rule for the map of a photo (io/map_discovery.h) as batch uses it: a folder in the
// eval layout is a batch input as it is.
#include <gtest/gtest.h>

#include <fstream>

#include "batch/batch_inputs.h"
#include "errors.h"
#include "io/disparity_io.h"
#include "io/image_io.h"
#include "io/map_discovery.h"
#include "test_support.h"

namespace genstereo {
namespace {

namespace fs = std::filesystem;

void writePair(const fs::path& folder, unsigned seed) {
  fs::create_directories(folder);
  writeImage(folder / "left.png", test::makeTestImage(32, 16, seed));
  writeImage(folder / "right.png", test::makeTestImage(32, 16, seed + 1));
  writeDisparity(folder / "disp_left.pfm",
                 makeDisparityMap(cv::Mat(16, 32, CV_32FC1, cv::Scalar(2.0f))));
}

TEST(MapDiscovery, EvalLayoutFolderIsABatchInput) {
  test::TempDir dir;
  writePair(dir / "data" / "a", 1);
  writePair(dir / "data" / "b", 3);
  std::ofstream(dir / "data" / "b" / "meta.json")
      << R"({"disparity_encoding": {"scale_divisor": 4}})";
  FolderScanOptions scan;
  scan.root = dir / "data";
  const std::vector<BatchItem> items = scanBatchFolder(scan);
  ASSERT_EQ(items.size(), 2u) << "right.png of a pair folder is the real right view, not a photo";
  EXPECT_EQ(items[0].id, "a__left");
  ASSERT_TRUE(items[0].disparity.has_value());
  EXPECT_EQ(items[0].disparity->filename(), "disp_left.pfm");
  EXPECT_TRUE(items[1].missing_maps.empty());
  EXPECT_EQ(mapReadOptions(*items[1].disparity).png_divisor, 4.0);
}

TEST(MapDiscovery, RuleOrderAndSidecars) {
  test::TempDir dir;
  writeImage(dir / "photo.png", test::makeTestImage(8, 8));
  EXPECT_FALSE(findMapOfPhoto(dir / "photo.png").has_value());
  writeImage(dir / "photo_depth.png", test::makeTestImage(8, 8));
  auto map = findMapOfPhoto(dir / "photo.png");
  ASSERT_TRUE(map.has_value());
  EXPECT_EQ(map->kind, MapKind::kInverseDepth);
  writeDisparity(dir / "photo_disp.pfm",
                 makeDisparityMap(cv::Mat(8, 8, CV_32FC1, cv::Scalar(1.0f))));
  map = findMapOfPhoto(dir / "photo.png");
  ASSERT_TRUE(map.has_value());
  EXPECT_EQ(map->kind, MapKind::kDisparity) << "a disparity map wins over a depth map";
  EXPECT_EQ(map->path.filename(), "photo_disp.pfm");
  EXPECT_TRUE(isMapOrSidecar(dir / "photo_depth.png"));
  EXPECT_TRUE(isMapOrSidecar(dir / "disp_left.png"));
  EXPECT_FALSE(isMapOrSidecar(dir / "photo.png"));
  std::vector<std::string> tried;
  EXPECT_FALSE(findMapOfPhoto(dir / "other.png", {}, &tried).has_value());
  EXPECT_GE(tried.size(), 6u);
  std::ofstream(dir / "meta.json") << "{not json";
  EXPECT_THROW(findMapOfPhoto(dir / "photo.png"), InputError);
}

}  // namespace
}  // namespace genstereo
