#include "nn/dpt_head_temporal.h"

#include <algorithm>
#include <string>

#include <ATen/ops/arange.h>
#include <ATen/ops/cat.h>

#include "errors.h"
#include "nn/temporal_motion_module.h"

namespace genstereo {

namespace {

// The official head runs refinenet2, refinenet1 and the output convolutions over groups of 4
// frames (micro_batch_size); per frame the result is the same, the peak memory is lower.
constexpr std::int64_t kMicroBatch = 4;

std::array<std::int64_t, 2> hw(const at::Tensor& t) { return {t.size(2), t.size(3)}; }

}  // namespace

DptHeadTemporalImpl::DptHeadTemporalImpl(const DptHeadConfig& config, int max_frames)
    : DptHeadImpl(config) {
  motion_modules_ = register_module("motion_modules", torch::nn::ModuleList());
  const std::array<int, kNumModules> channels = {config.out_channels[2], config.out_channels[3],
                                                 config.features, config.features};
  for (int c : channels) {
    TemporalModuleConfig module;
    module.channels = c;
    module.max_frames = max_frames;
    motion_modules_->push_back(TemporalModule(module));
  }
}

int DptHeadTemporalImpl::statesPerFrame() const {
  int count = 0;
  for (const auto& module : *motion_modules_)
    count += module->as<TemporalModuleImpl>()->statesPerFrame();
  return count;
}

at::Tensor DptHeadTemporalImpl::forward(const std::vector<at::Tensor>& patch_tokens,
                                        std::int64_t patch_h, std::int64_t patch_w,
                                        std::int64_t num_frames,
                                        const std::vector<at::Tensor>& caches,
                                        std::vector<at::Tensor>* states, bool is_last_frame_only) {
  if (!caches.empty() && static_cast<int>(caches.size()) != statesPerFrame()) {
    throw InputError("temporal DPT head: expected " + std::to_string(statesPerFrame()) +
                     " cached states, got " + std::to_string(caches.size()));
  }
  std::size_t next_cache = 0;
  const auto temporal = [&](int index, const at::Tensor& x) {
    auto* module = motion_modules_[index]->as<TemporalModuleImpl>();
    const std::size_t count = static_cast<std::size_t>(module->statesPerFrame());
    std::vector<at::Tensor> module_caches;
    if (!caches.empty()) {
      module_caches.assign(caches.begin() + next_cache, caches.begin() + next_cache + count);
    }
    next_cache += count;
    return module->forward(x, num_frames, module_caches, states);
  };
  const std::array<at::Tensor, 4> projected = projectTokens(patch_tokens, patch_h, patch_w);
  const at::Tensor layer_3 = temporal(0, projected[2]);
  const at::Tensor layer_4 = temporal(1, projected[3]);
  const at::Tensor layer_3_rn = reduce(2, layer_3);
  const at::Tensor layer_4_rn = reduce(3, layer_4);
  const at::Tensor path_4 = temporal(2, fuse(3, layer_4_rn, at::Tensor(), hw(layer_3_rn)));
  at::Tensor path_3 = temporal(3, fuse(2, path_4, layer_3_rn, hw(projected[1])));
  at::Tensor projected_1 = projected[0];
  at::Tensor projected_2 = projected[1];
  if (is_last_frame_only) {
    const at::Tensor last =
        at::arange(num_frames - 1, path_3.size(0), num_frames, path_3.options().dtype(at::kLong));
    path_3 = path_3.index_select(0, last);
    projected_1 = projected_1.index_select(0, last);
    projected_2 = projected_2.index_select(0, last);
  }
  const at::Tensor layer_1_rn = reduce(0, projected_1);
  const at::Tensor layer_2_rn = reduce(1, projected_2);
  std::vector<at::Tensor> outputs;
  const std::int64_t count = path_3.size(0);
  for (std::int64_t start = 0; start < count; start += kMicroBatch) {
    const std::int64_t end = std::min(count, start + kMicroBatch);
    const at::Tensor layer_1 = layer_1_rn.slice(0, start, end);
    const at::Tensor path_2 =
        fuse(1, path_3.slice(0, start, end), layer_2_rn.slice(0, start, end), hw(layer_1));
    const at::Tensor path_1 = fuse(0, path_2, layer_1, {2 * layer_1.size(2), 2 * layer_1.size(3)});
    outputs.push_back(output(path_1, patch_h, patch_w));
  }
  return outputs.size() == 1 ? outputs[0] : at::cat(outputs, 0);
}

}  // namespace genstereo
