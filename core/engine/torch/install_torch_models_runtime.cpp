// Linked into the neural-module tests (genstereo_models_torch): their engines use LibTorch
// linked in, not the models module.
#include "engine/torch/torch_models_runtime.h"

namespace genstereo {
namespace {

[[maybe_unused]] const bool g_installed = [] {
  installModelsRuntime(&torchModelsRuntime());
  return true;
}();

}  // namespace
}  // namespace genstereo
