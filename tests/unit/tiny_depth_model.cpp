#include "tiny_depth_model.h"

#include <fstream>
#include <stdexcept>

#include <nlohmann/json.hpp>

namespace genstereo::test {

namespace fs = std::filesystem;

// nn/architecture_file.h's kDepthArchitectureFile (that header needs LibTorch; the workbench's
// tests do not have it).
constexpr const char* kDepthArchitectureFileName = "depth_anything_v2_architecture.json";

std::string tinyDepthArchitectureJson(const fs::path& dav2_dir) {
  const fs::path params_path = dav2_dir / "dav2_params.json";
  std::ifstream in(params_path);
  if (!in) throw std::runtime_error("cannot read " + params_path.string());
  const nlohmann::json params = nlohmann::json::parse(in);
  const auto& backbone = params.at("tiny_backbone_DinoVisionTransformer_kwargs");
  const nlohmann::json architecture = {
      {"encoder",
       {{"embed_dim", backbone.at("embed_dim")},
        {"depth", backbone.at("depth")},
        {"num_heads", backbone.at("num_heads")},
        {"mlp_ratio", backbone.at("mlp_ratio")},
        {"patch_size", backbone.at("patch_size")},
        {"img_size", backbone.at("img_size")},
        {"layer_scale_init", backbone.at("init_values")},
        {"interpolate_offset", backbone.at("interpolate_offset")}}},
      {"features", params.at("dpt_head").at("features")},
      {"out_channels", params.at("dpt_head").at("out_channels")},
      {"intermediate_layers", params.at("intermediate_layer_idx")}};
  return architecture.dump();
}

void installTinyDepthModel(const fs::path& dav2_dir, const fs::path& models_dir) {
  const std::string architecture = tinyDepthArchitectureJson(dav2_dir);
  std::ofstream out(models_dir / kDepthArchitectureFileName);
  out << architecture;
  if (!out.flush()) throw std::runtime_error("cannot write into " + models_dir.string());
  fs::create_symlink(dav2_dir / "dav2_vits_random.safetensors",
                     models_dir / "depth_anything_v2_vits.safetensors");
}

}  // namespace genstereo::test
