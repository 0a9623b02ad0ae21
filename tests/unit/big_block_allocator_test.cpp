// The allocator of big images: big blocks are reused after free, small images and user data
// stay with OpenCV's standard allocator, data survives as in any Mat.
#include <gtest/gtest.h>

#include "big_block_allocator.h"

namespace genstereo {
namespace {

TEST(BigBlockAllocator, ReusesAFreedBigBlock) {
  const int rows = 2000;
  const int cols = 2000;  // 2000 x 2000 x 12 bytes = 48 MB
  const uchar* first_data = nullptr;
  {
    cv::Mat big;
    big.allocator = bigBlockAllocator();
    big.create(rows, cols, CV_32FC3);
    ASSERT_TRUE(big.isContinuous());
    EXPECT_EQ(big.u->currAllocator, bigBlockAllocator());
    big.setTo(cv::Scalar(0.25, 0.5, 0.75));
    EXPECT_EQ(big.at<cv::Vec3f>(rows - 1, cols - 1), cv::Vec3f(0.25f, 0.5f, 0.75f));
    first_data = big.data;
  }
  cv::Mat again;
  again.allocator = bigBlockAllocator();
  again.create(rows - 10, cols, CV_32FC3);  // a little smaller: the cached block fits
  EXPECT_EQ(again.data, first_data);
  EXPECT_EQ(again.step[0], static_cast<std::size_t>(cols) * 12);
}

TEST(BigBlockAllocator, SmallImagesAndUserDataGoToTheStandardAllocator) {
  cv::Mat small;
  small.allocator = bigBlockAllocator();
  small.create(100, 100, CV_32FC3);
  EXPECT_EQ(small.u->currAllocator, cv::Mat::getStdAllocator());
  float user[12] = {};
  const cv::Mat wrapped(2, 2, CV_32FC3, user);
  EXPECT_EQ(wrapped.data, reinterpret_cast<uchar*>(user));
}

}  // namespace
}  // namespace genstereo
