// Deterministic splitting of a batch into N shards: an item belongs to shard
// fnv1a64(id) mod N. The hash depends only on the id's bytes, so every machine computes the
// same split, the shards are disjoint, their union is the whole batch, and adding items to a
// dataset does not move the existing ones between shards.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "batch/batch_inputs.h"

namespace genstereo {

// 64-bit FNV-1a of the bytes of `text`.
std::uint64_t fnv1a64(std::string_view text);

struct ShardSpec {
  int index = 0;  // 0 .. count-1
  int count = 1;
};

// Parses "I/N" (0 <= I < N, 1 <= N <= 100000). Throws InputError with the expected form.
ShardSpec parseShardSpec(const std::string& text);

// The shard of an id among `count` shards.
int shardOfId(const std::string& id, int count);

// The items of `shard`, in the order of `items`.
std::vector<BatchItem> selectShard(const std::vector<BatchItem>& items, const ShardSpec& shard);

}  // namespace genstereo
