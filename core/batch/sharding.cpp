#include "batch/sharding.h"

#include "errors.h"

namespace genstereo {

std::uint64_t fnv1a64(std::string_view text) {
  std::uint64_t hash = 14695981039346656037ull;
  for (unsigned char c : text) {
    hash ^= c;
    hash *= 1099511628211ull;
  }
  return hash;
}

ShardSpec parseShardSpec(const std::string& text) {
  const std::string expected = "--shard expects I/N with 0 <= I < N (e.g. 3/8), got '" + text + "'";
  const std::size_t slash = text.find('/');
  if (slash == std::string::npos || slash == 0 || slash + 1 >= text.size())
    throw InputError(expected);
  auto parse = [&](const std::string& part) {
    if (part.empty() || part.size() > 6 ||
        part.find_first_not_of("0123456789") != std::string::npos) {
      throw InputError(expected);
    }
    return std::stoi(part);
  };
  ShardSpec spec;
  spec.index = parse(text.substr(0, slash));
  spec.count = parse(text.substr(slash + 1));
  if (spec.count < 1 || spec.count > 100000 || spec.index >= spec.count) throw InputError(expected);
  return spec;
}

int shardOfId(const std::string& id, int count) {
  return static_cast<int>(fnv1a64(id) % static_cast<std::uint64_t>(count));
}

std::vector<BatchItem> selectShard(const std::vector<BatchItem>& items, const ShardSpec& shard) {
  std::vector<BatchItem> selected;
  for (const BatchItem& item : items) {
    if (shardOfId(item.id, shard.count) == shard.index) selected.push_back(item);
  }
  return selected;
}

}  // namespace genstereo
