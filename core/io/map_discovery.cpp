#include "io/map_discovery.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <system_error>

#include <sys/stat.h>

#include <fcntl.h>
#include <unistd.h>

#include <nlohmann/json.hpp>

#include "errors.h"

namespace genstereo {
namespace fs = std::filesystem;

namespace {

std::string lower(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return text;
}

bool endsWith(const std::string& text, const std::string& suffix) {
  return text.size() >= suffix.size() &&
         text.compare(text.size() - suffix.size(), suffix.size(), suffix) == 0;
}

bool startsWith(const std::string& text, const std::string& prefix) {
  return text.rfind(prefix, 0) == 0;
}

bool isFile(const fs::path& path) {
  std::error_code ec;
  return fs::is_regular_file(path, ec);
}

bool isSame(const fs::path& a, const fs::path& b) {
  std::error_code ec;
  return fs::equivalent(a, b, ec);
}

// BASE + each map extension; the first regular file that is not the photo.
std::optional<fs::path> firstExisting(const fs::path& base, const fs::path& photo,
                                      std::vector<std::string>* tried) {
  for (const std::string& extension : mapExtensions()) {
    fs::path candidate = base;
    candidate += extension;
    if (isFile(candidate) && !isSame(candidate, photo)) return candidate;
  }
  if (tried != nullptr) tried->push_back(base.string() + ".{pfm,png,tif,tiff,npy}");
  return std::nullopt;
}

MapLocation located(const fs::path& path, MapKind kind) {
  MapLocation location;
  location.path = path;
  location.kind = kind;
  location.read_options = mapReadOptions(path);
  return location;
}

}  // namespace

const char* toString(MapKind kind) {
  switch (kind) {
    case MapKind::kDisparity:
      return "disparity";
    case MapKind::kInverseDepth:
      return "inverse-depth";
    case MapKind::kMetricDepth:
      return "metric-depth";
  }
  return "disparity";
}

const std::vector<std::string>& mapExtensions() {
  static const std::vector<std::string> extensions = {".pfm", ".png", ".tif", ".tiff", ".npy"};
  return extensions;
}

std::optional<MapLocation> findMapOfPhoto(const fs::path& photo, const MapSearch& search,
                                          std::vector<std::string>* tried) {
  const fs::path folder = photo.parent_path().empty() ? fs::path(".") : photo.parent_path();
  const std::string name = photo.stem().string();
  const fs::path relative = search.relative_base.empty() ? fs::path(name) : search.relative_base;
  if (search.disparity_dir) {
    if (auto path = firstExisting(*search.disparity_dir / relative, photo, tried)) {
      return located(*path, MapKind::kDisparity);
    }
  }
  if (search.depth_dir) {
    if (auto path = firstExisting(*search.depth_dir / relative, photo, tried)) {
      return located(*path, MapKind::kInverseDepth);
    }
  }
  for (const std::string& stem :
       {name + "_disp", name + "_disparity", name + ".disp", "disp_" + name}) {
    if (auto path = firstExisting(folder / stem, photo, tried))
      return located(*path, MapKind::kDisparity);
  }
  for (const char* extension : {".pfm", ".npy"}) {
    const fs::path candidate = folder / (name + extension);
    if (isFile(candidate) && !isSame(candidate, photo))
      return located(candidate, MapKind::kDisparity);
  }
  for (const std::string& stem : {name + "_depth", name + ".depth", "depth_" + name}) {
    if (auto path = firstExisting(folder / stem, photo, tried))
      return located(*path, MapKind::kInverseDepth);
  }
  return std::nullopt;
}

bool isMapOrSidecar(const fs::path& file) {
  const std::string stem = lower(file.stem().string());
  for (const char* suffix : {"_disp", "_disparity", ".disp", "_depth", ".depth"}) {
    if (endsWith(stem, suffix)) return true;
  }
  if (startsWith(stem, "disp_") || startsWith(stem, "depth_")) return true;
  const std::string extension = lower(file.extension().string());
  if (extension == ".pfm" || extension == ".npy") return true;
  if (stem == "right") {
    const fs::path folder = file.parent_path();
    for (const std::string& ext : mapExtensions()) {
      if (isFile(folder / ("disp_left" + ext))) return true;
    }
  }
  return false;
}

MapKind guessMapKind(const fs::path& map) {
  return lower(map.filename().string()).find("depth") != std::string::npos ? MapKind::kInverseDepth
                                                                           : MapKind::kDisparity;
}

namespace {

constexpr std::size_t kMaxMetaBytes = 1 << 20;
constexpr std::size_t kMaxMetaDepth = 64;

// Checks the structure of a meta.json before it is parsed into a tree: no object nested
// deeper than kMaxMetaDepth (10^6 levels would exhaust the stack when the tree is freed) and
// no key twice in one object (nlohmann keeps the last one silently).
class MetaShapeCheck : public nlohmann::json_sax<nlohmann::json> {
 public:
  std::string problem;

  bool null() override { return true; }
  bool boolean(bool) override { return true; }
  bool number_integer(number_integer_t) override { return true; }
  bool number_unsigned(number_unsigned_t) override { return true; }
  bool number_float(number_float_t, const string_t&) override { return true; }
  bool string(string_t&) override { return true; }
  bool binary(binary_t&) override { return true; }
  bool start_object(std::size_t) override { return push(true); }
  bool end_object() override { return pop(); }
  bool start_array(std::size_t) override { return push(false); }
  bool end_array() override { return pop(); }
  bool key(string_t& name) override {
    std::vector<std::string>& keys = keys_.back();
    if (std::find(keys.begin(), keys.end(), name) != keys.end()) {
      problem = "the key \"" + name + "\" appears twice in one object";
      return false;
    }
    keys.push_back(name);
    return true;
  }
  bool parse_error(std::size_t, const std::string&, const nlohmann::detail::exception&) override {
    problem = "not valid JSON";
    return false;
  }

 private:
  bool push(bool is_object) {
    if (keys_.size() >= kMaxMetaDepth) {
      problem = "nested more than " + std::to_string(kMaxMetaDepth) + " levels deep";
      return false;
    }
    keys_.emplace_back();
    if (!is_object) keys_.back().push_back(std::string(1, '\0'));  // arrays have no keys
    return true;
  }
  bool pop() {
    keys_.pop_back();
    return true;
  }
  std::vector<std::vector<std::string>> keys_;
};

// The bytes of a meta.json that is a regular file of at most kMaxMetaBytes; nullopt when
// there is none. Throws InputError for a folder, FIFO, device or socket of that name (opened
// without blocking and checked on the open file), or a bigger file.
std::optional<std::string> readMetaBytes(const fs::path& meta_path) {
  struct stat link_info {};
  if (::lstat(meta_path.c_str(), &link_info) != 0) return std::nullopt;
  const int fd = ::open(meta_path.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
  if (fd < 0) {
    throw InputError("cannot read '" + meta_path.string() + "': " + std::strerror(errno));
  }
  struct stat info {};
  if (::fstat(fd, &info) != 0 || !S_ISREG(info.st_mode)) {
    ::close(fd);
    throw InputError(
        "'" + meta_path.string() +
        "' is not a regular file (a folder, FIFO, socket or device); expected a JSON object "
        "such as {\"disparity_encoding\": {\"scale_divisor\": 256}}");
  }
  if (static_cast<std::uint64_t>(info.st_size) > kMaxMetaBytes) {
    ::close(fd);
    throw InputError("'" + meta_path.string() + "' has " + std::to_string(info.st_size) +
                     " bytes; a meta.json has at most " + std::to_string(kMaxMetaBytes));
  }
  std::string bytes(static_cast<std::size_t>(info.st_size), '\0');
  std::size_t done = 0;
  while (done < bytes.size()) {
    const ssize_t got = ::read(fd, bytes.data() + done, bytes.size() - done);
    if (got < 0 && errno == EINTR) continue;
    if (got <= 0) break;
    done += static_cast<std::size_t>(got);
  }
  ::close(fd);
  bytes.resize(done);
  return bytes;
}

}  // namespace

std::optional<double> readPngDivisor(const fs::path& folder) {
  const fs::path meta_path = folder / "meta.json";
  const std::optional<std::string> bytes = readMetaBytes(meta_path);
  if (!bytes) return std::nullopt;
  MetaShapeCheck shape;
  if (!nlohmann::json::sax_parse(*bytes, &shape)) {
    if (shape.problem.empty() || shape.problem == "not valid JSON") {
      throw InputError("'" + meta_path.string() + "' is not valid JSON");
    }
    throw InputError("'" + meta_path.string() + "' is not a valid meta.json: " + shape.problem);
  }
  const nlohmann::json meta = nlohmann::json::parse(*bytes, nullptr, /*allow_exceptions=*/false);
  if (meta.is_discarded()) throw InputError("'" + meta_path.string() + "' is not valid JSON");
  if (!meta.is_object()) {
    throw InputError("'" + meta_path.string() +
                     "': expected a JSON object such as "
                     "{\"disparity_encoding\": {\"scale_divisor\": 256}}, found a JSON " +
                     meta.type_name());
  }
  if (!meta.contains("disparity_encoding")) return std::nullopt;
  const nlohmann::json& encoding = meta["disparity_encoding"];
  if (!encoding.is_object()) {
    throw InputError("'" + meta_path.string() +
                     "': disparity_encoding must be an object, found a JSON " +
                     encoding.type_name());
  }
  if (!encoding.contains("scale_divisor")) return std::nullopt;
  const nlohmann::json& divisor = encoding["scale_divisor"];
  if (!divisor.is_number() || !std::isfinite(divisor.get<double>()) ||
      divisor.get<double>() < kMinPngDivisor || divisor.get<double>() > kMaxPngDivisor) {
    throw InputError("'" + meta_path.string() +
                     "': disparity_encoding.scale_divisor must be a number in [1e-06, 1e+06] "
                     "(as --disparity-divisor), found " +
                     divisor.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
  }
  return divisor.get<double>();
}

DisparityReadOptions mapReadOptions(const fs::path& map) {
  DisparityReadOptions options;
  const fs::path folder = map.parent_path().empty() ? fs::path(".") : map.parent_path();
  options.png_divisor = readPngDivisor(folder);
  return options;
}

}  // namespace genstereo
