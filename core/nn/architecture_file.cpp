#include "nn/architecture_file.h"

#include <fstream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "errors.h"

namespace genstereo {
namespace fs = std::filesystem;
using nlohmann::json;

namespace {

json readJson(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw InputError("cannot read the architecture file '" + path.string() + "'");
  json doc = json::parse(in, nullptr, /*allow_exceptions=*/false);
  if (doc.is_discarded() || !doc.is_object()) {
    throw InputError("'" + path.string() + "' is not a JSON object (an architecture file)");
  }
  return doc;
}

class Reader {
 public:
  Reader(const fs::path& path, const json& object, std::string prefix)
      : path_(path), object_(object), prefix_(std::move(prefix)) {}

  void positive(const char* key, int& value) const {
    if (!object_.contains(key)) return;
    const json& v = object_.at(key);
    if (!v.is_number_integer() || v.get<long long>() < 1 || v.get<long long>() > 1000000) {
      fail(key, "a positive integer", v);
    }
    value = v.get<int>();
  }
  void number(const char* key, double& value) const {
    if (!object_.contains(key)) return;
    const json& v = object_.at(key);
    if (!v.is_number()) fail(key, "a number", v);
    value = v.get<double>();
  }
  void boolean(const char* key, bool& value) const {
    if (!object_.contains(key)) return;
    const json& v = object_.at(key);
    if (!v.is_boolean()) fail(key, "true or false", v);
    value = v.get<bool>();
  }
  void positives(const char* key, std::vector<int>& values, std::size_t required_size = 0) const {
    if (!object_.contains(key)) return;
    const json& v = object_.at(key);
    const std::string expected =
        required_size > 0 ? "a list of " + std::to_string(required_size) + " positive integers"
                          : "a non-empty list of positive integers";
    if (!v.is_array() || v.empty() || (required_size > 0 && v.size() != required_size))
      fail(key, expected, v);
    std::vector<int> parsed;
    for (const json& item : v) {
      if (!item.is_number_integer() || item.get<long long>() < 0 ||
          item.get<long long>() > 1000000) {
        fail(key, expected, v);
      }
      parsed.push_back(item.get<int>());
    }
    values = parsed;
  }
  Reader child(const char* key) const {
    static const json empty = json::object();
    if (!object_.contains(key)) return Reader(path_, empty, prefix_ + key + ".");
    if (!object_.at(key).is_object()) fail(key, "an object", object_.at(key));
    return Reader(path_, object_.at(key), prefix_ + key + ".");
  }

 private:
  [[noreturn]] void fail(const char* key, const std::string& expected, const json& found) const {
    throw InputError("'" + path_.string() + "': " + prefix_ + key + " must be " + expected +
                     ", found " + found.dump());
  }
  const fs::path& path_;
  const json& object_;
  std::string prefix_;
};

}  // namespace

GenStereoConfig readGenStereoArchitecture(const fs::path& path, GenStereoConfig c) {
  const json doc = readJson(path);
  const Reader root(path, doc, "");
  root.positive("working_size", c.working_size);
  if (c.working_size % 8 != 0) {
    throw InputError("'" + path.string() + "': working_size must be a multiple of 8, found " +
                     std::to_string(c.working_size));
  }
  const Reader unet = root.child("unet");
  unet.positives("block_out_channels", c.unet.block_out_channels);
  unet.positive("layers_per_block", c.unet.layers_per_block);
  unet.positives("attention_heads", c.unet.attention_heads);
  unet.positive("cross_attention_dim", c.unet.cross_attention_dim);
  unet.boolean("use_linear_projection", c.unet.use_linear_projection);
  const Reader vae = root.child("vae");
  vae.positives("block_out_channels", c.vae.block_out_channels);
  vae.positive("layers_per_block", c.vae.layers_per_block);
  const Reader clip = root.child("clip");
  clip.positive("hidden_size", c.clip.hidden_size);
  clip.positive("intermediate_size", c.clip.intermediate_size);
  clip.positive("projection_dim", c.clip.projection_dim);
  clip.positive("num_hidden_layers", c.clip.num_hidden_layers);
  clip.positive("num_attention_heads", c.clip.num_attention_heads);
  clip.positive("image_size", c.clip.image_size);
  clip.positive("patch_size", c.clip.patch_size);
  return c;
}

DepthAnythingV2Config readDepthArchitecture(const fs::path& path, DepthAnythingV2Config c) {
  const json doc = readJson(path);
  const Reader root(path, doc, "");
  const Reader encoder = root.child("encoder");
  encoder.positive("embed_dim", c.encoder.embed_dim);
  encoder.positive("depth", c.encoder.depth);
  encoder.positive("num_heads", c.encoder.num_heads);
  encoder.positive("mlp_ratio", c.encoder.mlp_ratio);
  encoder.positive("patch_size", c.encoder.patch_size);
  encoder.positive("img_size", c.encoder.img_size);
  encoder.number("layer_scale_init", c.encoder.layer_scale_init);
  encoder.number("interpolate_offset", c.encoder.interpolate_offset);
  root.positive("features", c.features);
  std::vector<int> out(c.out_channels.begin(), c.out_channels.end());
  root.positives("out_channels", out, 4);
  std::copy(out.begin(), out.end(), c.out_channels.begin());
  root.positives("intermediate_layers", c.intermediate_layers, 4);
  return c;
}

}  // namespace genstereo
