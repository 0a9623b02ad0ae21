// The final file: the encoded stereo segments joined by stream copy, with every other stream
// of the source (audio, subtitles, attachments), its chapters and metadata, and the stereo
// signalling of the layout. Written to a temporary and renamed at the end.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "video/media_source.h"
#include "video/video_encoding.h"

namespace genstereo {

enum class StreamAction { kCopy, kTranscode, kDrop };
const char* toString(StreamAction action);  // "copy", "transcode", "drop"

struct StreamDecision {
  int source_index = -1;
  MediaStreamKind kind = MediaStreamKind::kUnknown;
  std::string codec;  // the source's codec
  StreamAction action = StreamAction::kCopy;
  std::string output_codec;  // what is written: the same codec (copy), "aac", "opus", "mov_text"
  std::string reason;        // for kTranscode / kDrop: why, in words a user can act on
};

// The container a run writes: `requested` ("mp4", "mkv", "mov") when given, else mkv when the
// source has subtitle or attachment streams, else mp4.
std::string resolveContainer(const VideoSourceInfo& source, const std::string& requested);

// What will happen to each non-video stream of `source` in `container` (copy when the muxer
// accepts the codec, else transcode: audio to AAC (mp4/mov) or Opus (mkv), text subtitles to
// mov_text (mp4/mov); else drop, with the reason). The main video stream is not listed.
std::vector<StreamDecision> planStreams(const VideoSourceInfo& source,
                                        const std::string& container);

struct MuxRequest {
  std::filesystem::path source;                 // the original video
  std::vector<std::filesystem::path> segments;  // video-only parts (SegmentEncoder), in order
  std::filesystem::path output;                 // final path
  std::string container;                        // resolved (resolveContainer)
  VideoStereoPacking packing = VideoStereoPacking::kSideBySideLeftFirst;
  double start_s = 0.0;  // the time range of the source the segments cover:
  double end_s = -1.0;   // other streams are cut to it (< 0: to the end)
  // A constant output rate (the segments were encoded on its grid): the video's time base is
  // fps_den / fps_num and its timestamps are not snapped to the source's. 0: source timestamps.
  int fps_num = 0;
  int fps_den = 1;
};

struct MuxReport {
  std::vector<StreamDecision> streams;
  std::vector<std::string>
      notes;  // e.g. "audio stream 2 (pcm_s24le) transcoded to AAC: mp4 cannot hold PCM"
  double video_duration_s = 0.0;
  double longest_other_duration_s = 0.0;
};

// The video keeps the source's timestamps exactly: segment timestamps (Matroska milliseconds)
// are snapped to the source's video packet timestamps they round from (one extra demux pass over
// the source). Matroska gets a "stereo_mode" tag (left_right, right_left, top_bottom) and, like
// MP4/MOV, AVStereo3D side data (MP4 st3d cannot mark right-first: a note says so); VR180 adds
// equirectangular AVSphericalMapping (sv3d / Projection).
// Throws InputError (a segment missing or unreadable), OutputError (naming the output; the
// previous file under that name is left as it was).
MuxReport muxStereoVideo(const MuxRequest& request);

}  // namespace genstereo
