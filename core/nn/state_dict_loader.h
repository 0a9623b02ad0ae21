// Strict loading of checkpoint tensors into a LibTorch module's parameters and buffers.
//
// The official code loads the denoising U-Net with strict=False and silently half-loads a
// wrong file; here every missing or unexpected key and every shape mismatch is an error that
// names the file, the key, the expected and the found shape.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <torch/nn/module.h>

#include "io/checkpoint_file.h"

namespace genstereo {

struct StateDictLoadOptions {
  // Only checkpoint keys starting with this are used, with the prefix removed.
  std::string prefix;
  // Checkpoint keys that may be present without a matching parameter (e.g. transformers'
  // "vision_model.embeddings.position_ids"), compared after the prefix is removed.
  std::vector<std::string> ignored_keys;
  // Checkpoint key fragments renamed before matching (e.g. the legacy diffusers VAE attention
  // names ".query." -> ".to_q."), applied in order.
  std::vector<std::pair<std::string, std::string>> renames;
  // Accept a [out, in, 1, 1] checkpoint tensor for an [out, in] parameter (legacy 1x1 convs).
  bool accept_pointwise_conv_as_linear = false;
};

// The bytes of checkpoint tensors copied into modules by loadStateDict so far in this process
// (their size in the file): the models' loading progress (core/engine/torch).
std::uint64_t checkpointBytesLoaded();

// The renames that map the legacy VAE attention names to the current ones.
std::vector<std::pair<std::string, std::string>> legacyVaeAttentionRenames();

// Copies every tensor of `checkpoint` into the same-named parameter or buffer of `module`
// (converted to the parameter's dtype and device). Throws CheckpointError when a key is
// missing, unexpected or of another shape; nothing is partly loaded in that case (all
// checks happen before the first copy).
void loadStateDict(torch::nn::Module& module, const CheckpointFile& checkpoint,
                   const StateDictLoadOptions& options = {});

// The state-dict keys and shapes of a module, in registration order (for manifest checks).
std::vector<CheckpointEntry> describeStateDict(const torch::nn::Module& module);

}  // namespace genstereo
