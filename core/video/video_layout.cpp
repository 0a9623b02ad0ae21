#include "video/video_layout.h"

#include <array>
#include <cctype>
#include <cmath>

#include <opencv2/imgproc.hpp>

#include "errors.h"

namespace genstereo {

namespace {

struct LayoutName {
  VideoOutputLayout layout;
  const char* name;
  const char* suffix;
};

constexpr std::array<LayoutName, 7> kLayouts = {{
    {VideoOutputLayout::kSideBySideFull, "sbs", "_LRF_Full_SBS"},
    {VideoOutputLayout::kSideBySideHalf, "sbs-half", "_LR"},
    {VideoOutputLayout::kTopBottomFull, "tb", "_TBF_fulltb"},
    {VideoOutputLayout::kTopBottomHalf, "tb-half", "_TB"},
    {VideoOutputLayout::kCrossEyed, "cross", "_RLF_cross"},
    {VideoOutputLayout::kAnaglyph, "anaglyph", "_redcyan"},
    {VideoOutputLayout::kVr180, "vr180", "_180x180_LR"},
}};

const LayoutName& entryOf(VideoOutputLayout layout) {
  for (const LayoutName& entry : kLayouts) {
    if (entry.layout == layout) return entry;
  }
  return kLayouts[0];
}

// Equirectangular 180x180 half of `size` x `size` sampling a pinhole view of `view` size.
void vr180Maps(cv::Size view, int size, cv::Mat& map_x, cv::Mat& map_y) {
  map_x.create(size, size, CV_32F);
  map_y.create(size, size, CV_32F);
  const double focal = (view.width / 2.0) / std::tan(kVr180ViewFieldOfViewDeg * M_PI / 360.0);
  const double cx = (view.width - 1) / 2.0;
  const double cy = (view.height - 1) / 2.0;
  for (int row = 0; row < size; ++row) {
    const double lat = ((row + 0.5) / size - 0.5) * M_PI;  // -90 (up) .. 90 (down)
    float* mx = map_x.ptr<float>(row);
    float* my = map_y.ptr<float>(row);
    for (int col = 0; col < size; ++col) {
      const double lon = ((col + 0.5) / size - 0.5) * M_PI;  // -90 (left) .. 90 (right)
      const double x = std::cos(lat) * std::sin(lon);
      const double y = std::sin(lat);
      const double z = std::cos(lat) * std::cos(lon);
      if (z <= 1e-6) {
        mx[col] = my[col] = -1.0f;
        continue;
      }
      mx[col] = static_cast<float>(cx + focal * x / z);
      my[col] = static_cast<float>(cy + focal * y / z);
    }
  }
}

cv::Mat toVr180(const cv::Mat& view01) {
  thread_local cv::Size cached_view;
  thread_local cv::Mat map_x, map_y;
  const int size = view01.rows;
  if (cached_view != view01.size() || map_x.rows != size) {
    vr180Maps(view01.size(), size, map_x, map_y);
    cached_view = view01.size();
  }
  cv::Mat out;
  cv::remap(view01, out, map_x, map_y, cv::INTER_LINEAR, cv::BORDER_CONSTANT, cv::Scalar::all(0));
  return out;
}

}  // namespace

const char* toString(VideoOutputLayout layout) { return entryOf(layout).name; }

std::optional<VideoOutputLayout> videoOutputLayoutFromString(const std::string& text) {
  std::string lower;
  for (char c : text) lower += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  for (const LayoutName& entry : kLayouts) {
    if (lower == entry.name) return entry.layout;
  }
  return std::nullopt;
}

const char* videoFileSuffix(VideoOutputLayout layout) { return entryOf(layout).suffix; }

std::filesystem::path videoOutputPath(const std::filesystem::path& input,
                                      const std::filesystem::path& out_dir,
                                      VideoOutputLayout layout, const std::string& container) {
  return out_dir / (input.stem().string() + videoFileSuffix(layout) + "." + container);
}

cv::Size videoFrameSize(cv::Size view, VideoOutputLayout layout) {
  switch (layout) {
    case VideoOutputLayout::kSideBySideFull:
    case VideoOutputLayout::kCrossEyed:
      return {view.width * 2, view.height};
    case VideoOutputLayout::kTopBottomFull:
      return {view.width, view.height * 2};
    case VideoOutputLayout::kSideBySideHalf:
    case VideoOutputLayout::kTopBottomHalf:
    case VideoOutputLayout::kAnaglyph:
      return view;
    case VideoOutputLayout::kVr180:
      return {view.height * 2, view.height};
  }
  return view;
}

cv::Mat composeVideoFrame(const cv::Mat& left01, const cv::Mat& right01, VideoOutputLayout layout) {
  switch (layout) {
    case VideoOutputLayout::kSideBySideFull:
      return composeStereo(left01, right01, StereoLayout::kSideBySideFull);
    case VideoOutputLayout::kSideBySideHalf:
      return composeStereo(left01, right01, StereoLayout::kSideBySideHalf);
    case VideoOutputLayout::kTopBottomFull:
      return composeStereo(left01, right01, StereoLayout::kTopBottomFull);
    case VideoOutputLayout::kTopBottomHalf:
      return composeStereo(left01, right01, StereoLayout::kTopBottomHalf);
    case VideoOutputLayout::kCrossEyed:
      return composeStereo(left01, right01, StereoLayout::kCrossEyed);
    case VideoOutputLayout::kAnaglyph:
      return composeStereo(left01, right01, StereoLayout::kAnaglyphDubois);
    case VideoOutputLayout::kVr180: {
      checkStereoViews(left01, right01);
      cv::Mat out;
      cv::hconcat(toVr180(left01), toVr180(right01), out);
      return out;
    }
  }
  throw InputError("unknown video layout");
}

VideoStereoPacking stereoPackingOf(VideoOutputLayout layout) {
  switch (layout) {
    case VideoOutputLayout::kSideBySideFull:
    case VideoOutputLayout::kSideBySideHalf:
      return VideoStereoPacking::kSideBySideLeftFirst;
    case VideoOutputLayout::kTopBottomFull:
    case VideoOutputLayout::kTopBottomHalf:
      return VideoStereoPacking::kTopBottomLeftFirst;
    case VideoOutputLayout::kCrossEyed:
      return VideoStereoPacking::kSideBySideRightFirst;
    case VideoOutputLayout::kAnaglyph:
      return VideoStereoPacking::kMono;
    case VideoOutputLayout::kVr180:
      return VideoStereoPacking::kVr180SideBySide;
  }
  return VideoStereoPacking::kMono;
}

}  // namespace genstereo
