#include "batch/batch_inputs.h"

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstdint>
#include <cstring>
#include <fstream>
#include <map>
#include <system_error>

#include <unistd.h>

#include <nlohmann/json.hpp>

#include "errors.h"
#include "io/map_discovery.h"

namespace genstereo {
namespace fs = std::filesystem;

namespace {

std::string lower(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return text;
}

bool isFile(const fs::path& path) {
  std::error_code ec;
  return fs::is_regular_file(path, ec);
}

bool isInside(const fs::path& path, const fs::path& folder) {
  const fs::path relative = path.lexically_relative(folder);
  return !relative.empty() && *relative.begin() != "..";
}

fs::path canonicalOrAbsolute(const fs::path& path) {
  std::error_code ec;
  fs::path result = fs::weakly_canonical(path, ec);
  if (ec) result = fs::absolute(path, ec);
  return result;
}

// A pair folder of the eval layout (core/eval/stereo_dataset.h): left.<image> beside
// disp_left.<map>. Only its left view is a photo; right.*, masks and the rest are not.
bool isEvalPairFolder(const fs::path& folder) {
  bool has_left = false;
  for (const std::string& ext : batchImageExtensions()) {
    if (isFile(folder / ("left" + ext))) {
      has_left = true;
      break;
    }
  }
  if (!has_left) return false;
  for (const std::string& ext : batchMapExtensions()) {
    if (isFile(folder / ("disp_left" + ext))) return true;
  }
  return false;
}

void sortAndCheckUnique(std::vector<BatchItem>& items, const std::string& what) {
  std::sort(items.begin(), items.end(),
            [](const BatchItem& a, const BatchItem& b) { return a.id < b.id; });
  for (std::size_t i = 1; i < items.size(); ++i) {
    if (items[i].id == items[i - 1].id) {
      throw InputError(what + ": " + items[i - 1].origin + " and " + items[i].origin +
                       " both give the item id '" + items[i].id +
                       "'; ids must be unique (rename a file or set the id column)");
    }
  }
}

// --- manifests -----------------------------------------------------------------------------

struct ManifestRow {
  std::string image, disparity, depth, id;
};

class ManifestReader {
 public:
  explicit ManifestReader(const fs::path& manifest)
      : manifest_(manifest), folder_(manifest.parent_path()) {}

  std::string where(int line) const {
    return manifest_.filename().string() + " line " + std::to_string(line);
  }

  [[noreturn]] void fail(int line, const std::string& message) const {
    throw InputError(manifest_.string() + " line " + std::to_string(line) + ": " + message);
  }

  fs::path resolve(const std::string& text) const {
    const fs::path path(text);
    return path.is_absolute() || folder_.empty() ? path : folder_ / path;
  }

  BatchItem makeItem(const ManifestRow& row, int line) const {
    if (row.image.empty()) fail(line, "column 'image' is empty");
    if (!row.disparity.empty() && !row.depth.empty()) {
      fail(line, "both 'disparity' and 'depth' are given; give one of them");
    }
    BatchItem item;
    item.origin = where(line);
    item.image = resolve(row.image);
    if (!isFile(item.image)) {
      fail(line,
           "image '" + row.image + "' does not exist (looked for '" + item.image.string() + "')");
    }
    auto resolveMap = [&](const std::string& text, const char* column) {
      const fs::path path = resolve(text);
      if (!isFile(path)) {
        fail(line, std::string(column) + " '" + text + "' does not exist (looked for '" +
                       path.string() + "')");
      }
      return path;
    };
    if (!row.disparity.empty()) item.disparity = resolveMap(row.disparity, "disparity");
    if (!row.depth.empty()) item.depth = resolveMap(row.depth, "depth");
    if (!item.disparity && !item.depth) {
      item.missing_maps = "no disparity or depth given (" + item.origin + ")";
    }
    if (row.id.empty()) {
      item.id = makeItemId(fs::path(row.image).replace_extension());
    } else if (!isValidItemId(row.id)) {
      fail(line, "id '" + row.id +
                     "' may only hold letters, digits, '.', '_' and '-' and must "
                     "not start with '.'");
    } else {
      item.id = row.id;
    }
    return item;
  }

 private:
  fs::path manifest_;
  fs::path folder_;
};

// Splits one CSV line (RFC 4180 quoting, no line breaks inside fields).
std::vector<std::string> splitCsvLine(const std::string& line, const ManifestReader& reader,
                                      int line_number) {
  std::vector<std::string> fields;
  std::string field;
  bool quoted = false;
  bool was_quoted = false;
  for (std::size_t i = 0; i < line.size(); ++i) {
    const char c = line[i];
    if (quoted) {
      if (c == '"') {
        if (i + 1 < line.size() && line[i + 1] == '"') {
          field += '"';
          ++i;
        } else {
          quoted = false;
        }
      } else {
        field += c;
      }
    } else if (c == '"' && field.find_first_not_of(" \t") == std::string::npos) {
      field.clear();
      quoted = true;
      was_quoted = true;
    } else if (c == ',') {
      fields.push_back(field);
      field.clear();
      was_quoted = false;
    } else if (!(was_quoted && (c == ' ' || c == '\t'))) {
      if (was_quoted)
        reader.fail(line_number,
                    "text after a closing quote in field " + std::to_string(fields.size() + 1));
      field += c;
    }
  }
  if (quoted) reader.fail(line_number, "unterminated quoted field");
  fields.push_back(field);
  for (std::string& f : fields) {
    const std::size_t first = f.find_first_not_of(" \t");
    const std::size_t last = f.find_last_not_of(" \t");
    f = first == std::string::npos ? std::string() : f.substr(first, last - first + 1);
  }
  return fields;
}

std::vector<BatchItem> readCsvManifest(std::istream& in, const ManifestReader& reader) {
  const std::vector<std::string> known = {"image", "disparity", "depth", "id"};
  std::map<std::string, std::size_t> columns;
  std::size_t column_count = 0;
  std::vector<BatchItem> items;
  std::string line;
  int line_number = 0;
  while (std::getline(in, line)) {
    ++line_number;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line_number == 1 && line.rfind("\xEF\xBB\xBF", 0) == 0) line.erase(0, 3);  // UTF-8 BOM
    if (line.find_first_not_of(" \t") == std::string::npos || line[0] == '#') continue;
    const std::vector<std::string> fields = splitCsvLine(line, reader, line_number);
    if (columns.empty()) {
      for (std::size_t i = 0; i < fields.size(); ++i) {
        const std::string name = lower(fields[i]);
        if (std::find(known.begin(), known.end(), name) == known.end()) {
          reader.fail(line_number, "unknown column '" + fields[i] +
                                       "' in the header (known: image, disparity, depth, id)");
        }
        if (columns.count(name)) reader.fail(line_number, "column '" + name + "' appears twice");
        columns[name] = i;
      }
      if (!columns.count("image")) {
        reader.fail(line_number,
                    "the header has no 'image' column (expected a header such as "
                    "'image,disparity' or 'image,depth,id')");
      }
      column_count = fields.size();
      continue;
    }
    if (fields.size() != column_count) {
      reader.fail(line_number, std::to_string(fields.size()) + " fields, but the header has " +
                                   std::to_string(column_count));
    }
    auto get = [&](const char* name) {
      const auto it = columns.find(name);
      return it == columns.end() ? std::string() : fields[it->second];
    };
    items.push_back(
        reader.makeItem({get("image"), get("disparity"), get("depth"), get("id")}, line_number));
  }
  if (columns.empty())
    reader.fail(std::max(1, line_number), "no header line (expected e.g. 'image,disparity')");
  return items;
}

std::vector<BatchItem> readJsonLinesManifest(std::istream& in, const ManifestReader& reader) {
  std::vector<BatchItem> items;
  std::string line;
  int line_number = 0;
  while (std::getline(in, line)) {
    ++line_number;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.find_first_not_of(" \t") == std::string::npos) continue;
    nlohmann::json object;
    try {
      object = nlohmann::json::parse(line);
    } catch (const nlohmann::json::exception& e) {  // parse_error, and out_of_range for 1e5151
      reader.fail(line_number, std::string("not valid JSON (") + e.what() + ")");
    }
    if (!object.is_object())
      reader.fail(line_number,
                  "expected a JSON object such as "
                  "{\"image\": \"a.png\", \"disparity\": \"a.pfm\"}");
    ManifestRow row;
    for (const auto& [key, value] : object.items()) {
      std::string* target = key == "image"       ? &row.image
                            : key == "disparity" ? &row.disparity
                            : key == "depth"     ? &row.depth
                            : key == "id"        ? &row.id
                                                 : nullptr;
      if (target == nullptr) {
        reader.fail(line_number, "unknown key '" + key + "' (known: image, disparity, depth, id)");
      }
      if (value.is_null()) continue;
      if (!value.is_string()) reader.fail(line_number, "'" + key + "' must be a string");
      *target = value.get<std::string>();
      if (target->find('\0') != std::string::npos) {
        reader.fail(line_number,
                    "'" + key + "' holds a NUL character (\\u0000); a file name cannot");
      }
    }
    if (!object.contains("image")) reader.fail(line_number, "key 'image' is missing");
    items.push_back(reader.makeItem(row, line_number));
  }
  return items;
}

}  // namespace

const std::vector<std::string>& batchImageExtensions() {
  static const std::vector<std::string> extensions = {".png",  ".jpg",  ".jpeg", ".tif",
                                                      ".tiff", ".webp", ".bmp"};
  return extensions;
}

const std::vector<std::string>& batchMapExtensions() { return mapExtensions(); }

std::string makeItemId(const fs::path& relative_path) {
  std::string id;
  std::string kept_path;  // the components used, for the hash of non-ASCII names
  bool has_non_ascii = false;
  for (const fs::path& component : relative_path) {
    const std::string part = component.string();
    if (part.empty() || part == "." || part == ".." || part == "/") continue;
    if (!id.empty()) id += "__";
    kept_path += part + "/";
    for (std::size_t i = 0; i < part.size(); ++i) {
      const auto c = static_cast<unsigned char>(part[i]);
      if (c >= 0x80) {
        // One '_' per non-ASCII character (a UTF-8 lead byte and its continuation bytes).
        has_non_ascii = true;
        while (i + 1 < part.size() && (static_cast<unsigned char>(part[i + 1]) & 0xC0) == 0x80) ++i;
        id += '_';
        continue;
      }
      const bool keep = std::isalnum(c) || c == '.' || c == '_' || c == '-';
      id += keep ? static_cast<char>(c) : '_';
    }
  }
  if (id.empty()) return "item";
  if (id[0] == '.') id[0] = '_';
  // Names in other scripts would all collapse to underscores ("写真.jpg" and "風景.jpg" both
  // to "__"): a short hash of the original name keeps such ids distinct and stable.
  if (has_non_ascii) {
    std::uint64_t hash = 0xcbf29ce484222325ULL;  // FNV-1a, 64 bits
    for (const char c : kept_path) {
      hash ^= static_cast<unsigned char>(c);
      hash *= 0x100000001b3ULL;
    }
    static const char* digits = "0123456789abcdef";
    id += '-';
    for (int shift = 60; shift >= 28; shift -= 4) id += digits[(hash >> shift) & 0xF];
  }
  return id;
}

bool isValidItemId(const std::string& id) {
  if (id.empty() || id[0] == '.') return false;
  return std::all_of(id.begin(), id.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '.' || c == '_' || c == '-';
  });
}

std::vector<BatchItem> scanBatchFolder(const FolderScanOptions& options) {
  std::error_code ec;
  if (!fs::is_directory(options.root, ec)) {
    throw InputError("input folder '" + options.root.string() +
                     "' does not exist or is not a folder");
  }
  std::vector<fs::path> excluded;
  for (const fs::path& folder : options.excluded) excluded.push_back(canonicalOrAbsolute(folder));
  for (const auto& dir : {options.disparity_dir, options.depth_dir}) {
    if (dir) excluded.push_back(canonicalOrAbsolute(*dir));
  }
  const auto& image_extensions = batchImageExtensions();
  std::vector<BatchItem> items;
  fs::recursive_directory_iterator it(options.root, fs::directory_options::skip_permission_denied,
                                      ec);
  if (ec)
    throw InputError("cannot list the input folder '" + options.root.string() +
                     "': " + ec.message());
  for (; it != fs::recursive_directory_iterator(); it.increment(ec)) {
    if (ec)
      throw InputError("cannot list the input folder '" + options.root.string() +
                       "': " + ec.message());
    const fs::path& path = it->path();
    const std::string name = path.filename().string();
    const bool is_dir = it->is_directory(ec);
    if (!name.empty() && name[0] == '.') {
      if (is_dir) it.disable_recursion_pending();
      continue;
    }
    if (is_dir) {
      if (::access(path.c_str(), R_OK | X_OK) != 0) {
        const std::string reason = std::strerror(errno);
        it.disable_recursion_pending();
        if (options.unreadable_folders == nullptr) {
          throw InputError("cannot read the sub-folder '" + path.string() +
                           "' of the input folder (" + reason + ")");
        }
        options.unreadable_folders->push_back("'" + path.string() + "' (" + reason + ")");
        continue;
      }
      const fs::path canonical = canonicalOrAbsolute(path);
      for (const fs::path& folder : excluded) {
        if (canonical == folder || isInside(canonical, folder)) {
          it.disable_recursion_pending();
          break;
        }
      }
      continue;
    }
    if (!it->is_regular_file(ec)) continue;
    const std::string ext = lower(path.extension().string());
    if (std::find(image_extensions.begin(), image_extensions.end(), ext) == image_extensions.end())
      continue;
    const std::string stem = path.stem().string();
    if (isMapOrSidecar(path)) continue;
    if (lower(stem) != "left" && isEvalPairFolder(path.parent_path())) continue;

    const fs::path relative = path.lexically_relative(options.root);
    const fs::path relative_base = fs::path(relative).replace_extension();
    BatchItem item;
    item.id = makeItemId(relative_base);
    item.image = path;
    item.origin = "'" + path.string() + "'";
    std::vector<std::string> tried;
    MapSearch search;
    search.disparity_dir = options.disparity_dir;
    search.depth_dir = options.depth_dir;
    search.relative_base = relative_base;
    if (const auto map = findMapOfPhoto(path, search, &tried)) {
      if (map->kind == MapKind::kDisparity)
        item.disparity = map->path;
      else
        item.depth = map->path;
    } else {
      std::string list;
      for (const std::string& t : tried) list += (list.empty() ? "" : ", ") + t;
      item.missing_maps =
          "no disparity or depth map found for '" + path.string() + "' (looked for " + list + ")";
    }
    items.push_back(item);
  }
  if (items.empty()) {
    throw InputError("no image found under '" + options.root.string() +
                     "' (looked recursively for .png .jpg .jpeg .tif .tiff .webp .bmp)");
  }
  sortAndCheckUnique(items, "input folder '" + options.root.string() + "'");
  return items;
}

std::vector<BatchItem> readBatchManifest(const fs::path& manifest) {
  std::error_code ec;
  const std::string ext = lower(manifest.extension().string());
  const bool has_manifest_extension =
      ext == ".csv" || ext == ".jsonl" || ext == ".ndjson" || ext == ".json";
  if (!fs::exists(manifest, ec)) {
    // Without a manifest extension the user most likely meant an input folder.
    throw InputError(
        has_manifest_extension
            ? "manifest '" + manifest.string() + "' does not exist"
            : "batch input '" + manifest.string() +
                  "' does not exist (expected a folder of photos or a .csv/.jsonl manifest)");
  }
  if (!fs::is_regular_file(manifest, ec)) {
    throw InputError("manifest '" + manifest.string() +
                     "' is not a regular file (a FIFO, socket or device?)");
  }
  const bool is_csv = ext == ".csv";
  if (!is_csv && ext != ".jsonl" && ext != ".ndjson" && ext != ".json") {
    throw InputError(
        "manifest '" + manifest.string() +
        "': unknown extension (expected .csv, or .jsonl/.ndjson/.json for JSON Lines)");
  }
  std::ifstream in(manifest, std::ios::binary);
  if (!in) throw InputError("cannot open the manifest '" + manifest.string() + "'");
  const ManifestReader reader(manifest);
  std::vector<BatchItem> items =
      is_csv ? readCsvManifest(in, reader) : readJsonLinesManifest(in, reader);
  if (items.empty()) throw InputError("manifest '" + manifest.string() + "' lists no item");
  sortAndCheckUnique(items, "manifest '" + manifest.string() + "'");
  return items;
}

}  // namespace genstereo
