#include "nn/state_dict_loader.h"

#include <atomic>
#include <map>
#include <set>

#include <ATen/ATen.h>
#include <torch/csrc/autograd/grad_mode.h>

#include "errors.h"

namespace genstereo {

namespace {

std::atomic<std::uint64_t> g_bytes_loaded{0};

std::map<std::string, at::Tensor> stateOf(const torch::nn::Module& module) {
  std::map<std::string, at::Tensor> state;
  for (const auto& item : module.named_parameters(true)) state[item.key()] = item.value();
  for (const auto& item : module.named_buffers(true)) state[item.key()] = item.value();
  return state;
}

std::string listSome(const std::vector<std::string>& keys) {
  std::string text;
  for (std::size_t i = 0; i < keys.size() && i < 5; ++i) text += (i ? ", '" : "'") + keys[i] + "'";
  if (keys.size() > 5) text += " and " + std::to_string(keys.size() - 5) + " more";
  return text;
}

}  // namespace

void loadStateDict(torch::nn::Module& module, const CheckpointFile& checkpoint,
                   const StateDictLoadOptions& options) {
  const std::string file = checkpoint.path().string();
  const std::map<std::string, at::Tensor> state = stateOf(module);
  const std::set<std::string> ignored(options.ignored_keys.begin(), options.ignored_keys.end());
  std::set<std::string> seen;
  std::vector<std::string> unexpected;
  std::vector<std::pair<std::string, const CheckpointEntry*>> to_load;
  for (const CheckpointEntry& entry : checkpoint.entries()) {
    if (entry.name.compare(0, options.prefix.size(), options.prefix) != 0) continue;
    std::string key = entry.name.substr(options.prefix.size());
    for (const auto& [from, to] : options.renames) {
      const std::size_t at = key.find(from);
      if (at != std::string::npos) key.replace(at, from.size(), to);
    }
    const auto it = state.find(key);
    if (it == state.end()) {
      if (ignored.count(key) == 0) unexpected.push_back(key);
      continue;
    }
    const std::vector<std::int64_t> expected(it->second.sizes().begin(), it->second.sizes().end());
    const bool is_pointwise_conv = options.accept_pointwise_conv_as_linear &&
                                   expected.size() == 2 && entry.shape.size() == 4 &&
                                   entry.shape[0] == expected[0] && entry.shape[1] == expected[1] &&
                                   entry.shape[2] == 1 && entry.shape[3] == 1;
    if (expected != entry.shape && !is_pointwise_conv) {
      throw CheckpointError("'" + file + "': tensor '" + entry.name + "' has shape " +
                            shapeToString(entry.shape) + " but the model expects " +
                            shapeToString(expected) + " (wrong model size or variant?)");
    }
    seen.insert(key);
    to_load.emplace_back(key, &entry);
  }
  std::vector<std::string> missing;
  for (const auto& [key, tensor] : state) {
    if (seen.count(key) == 0) missing.push_back(key);
  }
  if (!missing.empty() || !unexpected.empty()) {
    std::string message = "'" + file + "' does not match the model:";
    if (!missing.empty())
      message +=
          " " + std::to_string(missing.size()) + " missing key(s) " + listSome(missing) + ";";
    if (!unexpected.empty()) {
      message += " " + std::to_string(unexpected.size()) + " unexpected key(s) " +
                 listSome(unexpected) + ";";
    }
    message += " is it the right file for this model?";
    throw CheckpointError(message);
  }
  torch::NoGradGuard no_grad;
  for (const auto& [key, entry] : to_load) {
    std::vector<float> values = checkpoint.readAsFloat32(entry->name);
    at::Tensor target = state.at(key);
    at::Tensor source = at::from_blob(values.data(), target.sizes(), at::kFloat);
    target.copy_(source);
    g_bytes_loaded += values.size() * dtypeSize(entry->dtype);
  }
}

std::uint64_t checkpointBytesLoaded() { return g_bytes_loaded.load(); }

std::vector<std::pair<std::string, std::string>> legacyVaeAttentionRenames() {
  return {{".attentions.0.query.", ".attentions.0.to_q."},
          {".attentions.0.key.", ".attentions.0.to_k."},
          {".attentions.0.value.", ".attentions.0.to_v."},
          {".attentions.0.proj_attn.", ".attentions.0.to_out.0."}};
}

std::vector<CheckpointEntry> describeStateDict(const torch::nn::Module& module) {
  std::vector<CheckpointEntry> entries;
  for (const auto& item : module.named_parameters(true)) {
    entries.push_back({item.key(), TensorDtype::kF32, item.value().sizes().vec()});
  }
  for (const auto& item : module.named_buffers(true)) {
    entries.push_back({item.key(), TensorDtype::kF32, item.value().sizes().vec()});
  }
  return entries;
}

}  // namespace genstereo
