#include "nn_test_support.h"

#include <system_error>
#include <vector>

#include <ATen/ATen.h>

namespace genstereo::test {

at::Tensor fixtureTensor(const SafetensorsFile& file, const std::string& name) {
  const TensorInfo& info = file.info(name);
  std::vector<float> values = file.readAsFloat32(name);
  return at::from_blob(values.data(), at::IntArrayRef(info.shape), at::kFloat).clone();
}

double maxAbsDiff(const at::Tensor& a, const at::Tensor& b) {
  if (a.sizes() != b.sizes()) return 1e30;
  return (a.to(at::kFloat) - b.to(at::kFloat)).abs().max().item<double>();
}

GenStereoConfig tinyGenStereoConfig() {
  GenStereoConfig c;
  c.working_size = 64;
  c.unet.block_out_channels = {32, 32, 64, 64};
  c.unet.layers_per_block = 1;
  c.unet.attention_heads = {2, 2, 4, 4};
  c.unet.cross_attention_dim = 272;
  c.vae.block_out_channels = {32, 32, 64, 64};
  c.vae.layers_per_block = 1;
  c.clip.hidden_size = 32;
  c.clip.intermediate_size = 64;
  c.clip.projection_dim = 16;
  c.clip.num_hidden_layers = 2;
  c.clip.num_attention_heads = 4;
  return c;
}

}  // namespace genstereo::test
