#include "io/jps_writer.h"

#include "io/image_io.h"
#include "io/mpo_writer.h"
#include "stereo/stereo_composition.h"

namespace genstereo {

namespace {

constexpr std::uint8_t kApp3 = 0xE3;

// The JPS stereoscopic descriptor, a big-endian 32-bit word after the 8-byte identifier and
// a 16-bit block length (as read by FFmpeg's mjpegdec and StereoPhoto Maker):
//   bits 31..24  separation (pixels between the views; 0)
//   bits 23..16  flags: 0x01 half height, 0x02 half width, 0x04 left field first
//   bits 15..8   layout: 0x01 interleaved, 0x02 side-by-side, 0x03 over-under, 0x04 anaglyph
//   bits 7..0    media type: 0x00 monoscopic, 0x01 stereoscopic
// Cross-eyed full-size side-by-side: flags 0 (right view first), layout 0x02, type 0x01.
constexpr std::uint8_t kSeparationPx = 0;
constexpr std::uint8_t kFlags = 0x00;
constexpr std::uint8_t kLayoutSideBySide = 0x02;
constexpr std::uint8_t kTypeStereoscopic = 0x01;
constexpr std::uint16_t kDescriptorLength = 4;

std::vector<std::uint8_t> jpsPayload() {
  std::vector<std::uint8_t> payload = {'_', 'J', 'P', 'S', 'J', 'P', 'S', '_'};
  payload.push_back(static_cast<std::uint8_t>(kDescriptorLength >> 8));
  payload.push_back(static_cast<std::uint8_t>(kDescriptorLength & 0xFF));
  payload.push_back(kSeparationPx);
  payload.push_back(kFlags);
  payload.push_back(kLayoutSideBySide);
  payload.push_back(kTypeStereoscopic);
  // Length of the optional comment that may follow the descriptor: none.
  payload.push_back(0);
  payload.push_back(0);
  return payload;
}

}  // namespace

std::vector<std::uint8_t> buildJps(const cv::Mat& left01, const cv::Mat& right01, int quality) {
  const cv::Mat cross_eyed = composeStereo(left01, right01, StereoLayout::kCrossEyed);
  return insertJpegAppSegment(encodeJpeg(cross_eyed, quality), kApp3, jpsPayload());
}

}  // namespace genstereo
