// Linked into the torch-free unit tests (genstereo_models_none): their engines have no models,
// whatever the build's default, and never load LibTorch.
#include "engine/models_runtime.h"

namespace genstereo {
namespace {

[[maybe_unused]] const bool g_installed = [] {
  installModelsRuntime(&noModelsRuntime());
  return true;
}();

}  // namespace
}  // namespace genstereo
