// Sharding: deterministic, disjoint, covering; the I/N parser.
#include <gtest/gtest.h>

#include <set>
#include <string>

#include "batch/sharding.h"
#include "errors.h"

namespace genstereo {
namespace {

std::vector<BatchItem> makeItems(int count) {
  std::vector<BatchItem> items;
  for (int i = 0; i < count; ++i) {
    BatchItem item;
    item.id = "scene" + std::to_string(i % 4) + "__img" + std::to_string(i);
    items.push_back(item);
  }
  return items;
}

TEST(Shard, UnionIsEverythingWithoutOverlap) {
  const std::vector<BatchItem> items = makeItems(21);
  for (int count = 1; count <= 5; ++count) {
    std::multiset<std::string> seen;
    for (int index = 0; index < count; ++index) {
      for (const BatchItem& item : selectShard(items, {index, count})) {
        seen.insert(item.id);
        EXPECT_EQ(shardOfId(item.id, count), index);
      }
    }
    ASSERT_EQ(seen.size(), items.size()) << "N = " << count;
    for (const BatchItem& item : items)
      EXPECT_EQ(seen.count(item.id), 1u) << item.id << ", N = " << count;
  }
}

TEST(Shard, StableHashValues) {
  // FNV-1a 64 reference values: the split must not change across machines or releases.
  EXPECT_EQ(fnv1a64(""), 14695981039346656037ull);
  EXPECT_EQ(fnv1a64("a"), 0xaf63dc4c8601ec8cull);
  EXPECT_EQ(fnv1a64("foobar"), 0x85944171f73967e8ull);
  EXPECT_EQ(shardOfId("foobar", 7), static_cast<int>(0x85944171f73967e8ull % 7));
}

TEST(Shard, ParseSpec) {
  const ShardSpec spec = parseShardSpec("3/8");
  EXPECT_EQ(spec.index, 3);
  EXPECT_EQ(spec.count, 8);
  for (const char* bad : {"8/8", "1", "/2", "1/", "-1/2", "a/b", "1/0", "1/2/3", "0/1000000"}) {
    EXPECT_THROW(parseShardSpec(bad), InputError) << bad;
  }
}

}  // namespace
}  // namespace genstereo
