#include "video_test_clips.h"

#include <algorithm>
#include <array>
#include <cstdio>
#include <fstream>
#include <memory>
#include <sstream>
#include <stdexcept>

namespace genstereo::test {

std::string shellQuoted(const std::filesystem::path& path) {
  std::string quoted = "'";
  for (const char c : path.string()) {
    if (c == '\'') {
      quoted += "'\\''";
    } else {
      quoted += c;
    }
  }
  return quoted + "'";
}

std::string runCommand(const std::string& command) {
  std::unique_ptr<FILE, int (*)(FILE*)> pipe(::popen((command + " 2>&1").c_str(), "r"), ::pclose);
  if (!pipe) throw std::runtime_error("cannot run: " + command);
  std::string output;
  std::array<char, 4096> buffer{};
  while (std::fgets(buffer.data(), static_cast<int>(buffer.size()), pipe.get()) != nullptr)
    output += buffer.data();
  const int status = ::pclose(pipe.release());
  if (status != 0) throw std::runtime_error("command failed: " + command + "\n" + output);
  return output;
}

bool hasFfmpegTools() {
  static const bool is_present =
      std::system(
          "ffmpeg -hide_banner -version >/dev/null 2>&1 && ffprobe -version >/dev/null 2>&1") == 0;
  return is_present;
}

std::filesystem::path makeTestClip(const std::filesystem::path& folder, const ClipSpec& spec) {
  const std::filesystem::path output = folder / (spec.name + "." + spec.container);
  const bool needs_rotation_pass = spec.rotation_degrees != 0;
  const std::filesystem::path encoded =
      needs_rotation_pass ? folder / (spec.name + ".unrotated." + spec.container) : output;
  std::ostringstream command;
  command << "ffmpeg -hide_banner -loglevel error -nostdin -y -f lavfi -i testsrc2=size="
          << spec.width << "x" << spec.height << ":rate=" << spec.fps
          << ":duration=" << spec.seconds;
  int input_count = 1;
  std::ostringstream maps;
  maps << " -map 0:v";
  const int audio_tracks = spec.pcm_audio_tracks + spec.aac_audio_tracks;
  for (int i = 0; i < audio_tracks; ++i) {
    command << " -f lavfi -i sine=frequency=" << 300 + 200 * i
            << ":sample_rate=48000:duration=" << spec.seconds;
    maps << " -map " << input_count++ << ":a";
  }
  if (spec.has_srt_subtitles) {
    const std::filesystem::path srt = folder / (spec.name + ".srt");
    std::ofstream(srt) << "1\n00:00:00,100 --> 00:00:00,400\nfirst line\n\n"
                          "2\n00:00:00,500 --> 00:00:00,900\nsecond <i>line</i>\n\n";
    command << " -i " << shellQuoted(srt);
    maps << " -map " << input_count++ << ":s";
  }
  if (spec.has_chapters) {
    const std::filesystem::path chapters = folder / (spec.name + ".chapters.txt");
    std::ofstream(chapters)
        << ";FFMETADATA1\ntitle=test clip\n[CHAPTER]\nTIMEBASE=1/1000\nSTART=0\nEND=500\n"
           "title=one\n[CHAPTER]\nTIMEBASE=1/1000\nSTART=500\nEND=1000\ntitle=two\n";
    command << " -i " << shellQuoted(chapters);
    maps << " -map_metadata " << input_count << " -map_chapters " << input_count;
    ++input_count;
  }
  command << maps.str();
  if (spec.has_font_attachment) {
    const std::filesystem::path font = folder / (spec.name + ".ttf");
    std::ofstream(font, std::ios::binary)
        << std::string("\0\1\0\0fake font for the attachment test", 38);
    command << " -attach " << shellQuoted(font)
            << " -metadata:s:t mimetype=application/x-truetype-font";
  }
  if (spec.is_vfr) command << " -vf \"select='not(eq(mod(n\\,4)\\,1))'\" -vsync vfr";
  command << " -c:v " << spec.video_codec;
  if (spec.video_codec == "libx264") command << " -preset ultrafast";
  if (spec.is_ten_bit_hdr10) {
    command << " -pix_fmt yuv420p10le -color_primaries bt2020 -color_trc smpte2084 -colorspace "
               "bt2020nc";
  } else if (spec.video_codec == "libx264") {
    command << " -pix_fmt yuv420p";
  }
  if (spec.is_interlaced) command << " -flags +ildct+ilme -x264opts tff=1 -field_order tt";
  for (int i = 0; i < audio_tracks; ++i) {
    command << " -c:a:" << i << (i < spec.pcm_audio_tracks ? " pcm_s16le" : " aac")
            << " -metadata:s:a:" << i << " language=" << (i == 0 ? "eng" : "deu");
  }
  if (spec.has_srt_subtitles) command << " -c:s " << (spec.container == "mkv" ? "srt" : "mov_text");
  command << " " << shellQuoted(encoded);
  runCommand(command.str());
  if (needs_rotation_pass) {
    runCommand("ffmpeg -hide_banner -loglevel error -nostdin -y -i " + shellQuoted(encoded) +
               " -map 0 -c copy -metadata:s:v:0 rotate=" + std::to_string(spec.rotation_degrees) +
               " " + shellQuoted(output));
    std::filesystem::remove(encoded);
  }
  return output;
}

std::vector<ProbedPacket> probePackets(const std::filesystem::path& path, int index) {
  const std::string output =
      runCommand("ffprobe -v error -select_streams " + std::to_string(index) +
                 " -show_entries packet=pts,data_hash -show_data_hash MD5 " + shellQuoted(path));
  std::vector<ProbedPacket> packets;
  std::istringstream lines(output);
  std::string line;
  while (std::getline(lines, line)) {
    if (line == "[PACKET]") {
      packets.emplace_back();
    } else if (!packets.empty() && line.rfind("pts=", 0) == 0) {
      packets.back().pts = line == "pts=N/A" ? INT64_MIN : std::stoll(line.substr(4));
    } else if (!packets.empty() && line.rfind("data_hash=", 0) == 0) {
      packets.back().md5 = line.substr(10);
    }
  }
  return packets;
}

std::vector<std::int64_t> probeSortedPts(const std::filesystem::path& path, int index) {
  std::vector<std::int64_t> pts;
  for (const ProbedPacket& packet : probePackets(path, index)) pts.push_back(packet.pts);
  std::sort(pts.begin(), pts.end());
  return pts;
}

std::vector<double> probeSortedTimesS(const std::filesystem::path& path, int index) {
  const std::string time_base =
      runCommand("ffprobe -v error -select_streams " + std::to_string(index) +
                 " -show_entries stream=time_base -of default=nw=1:nk=1 " + shellQuoted(path));
  const auto slash = time_base.find('/');
  const double unit_s =
      std::stod(time_base.substr(0, slash)) / std::stod(time_base.substr(slash + 1));
  std::vector<double> times;
  for (const std::int64_t pts : probeSortedPts(path, index))
    times.push_back(static_cast<double>(pts) * unit_s);
  return times;
}

std::vector<std::string> probeStreamEntries(const std::filesystem::path& path,
                                            const std::string& entry) {
  // Streams without the entry print nothing, so ask stream by stream.
  std::vector<std::string> values;
  const std::string count_text =
      runCommand("ffprobe -v error -show_entries format=nb_streams -of default=nw=1:nk=1 " +
                 shellQuoted(path));
  const int count = std::stoi(count_text);
  for (int i = 0; i < count; ++i) {
    std::string value =
        runCommand("ffprobe -v error -select_streams " + std::to_string(i) + " -show_entries " +
                   entry + " -of default=nw=1:nk=1 " + shellQuoted(path));
    while (!value.empty() && (value.back() == '\n' || value.back() == '\r')) value.pop_back();
    values.push_back(value);
  }
  return values;
}

}  // namespace genstereo::test
