#include "models/default_models_folder.h"

#include <cstdlib>
#include <string>

namespace genstereo {
namespace fs = std::filesystem;

namespace {

std::string environment(const char* name) {
  const char* value = std::getenv(name);
  return value == nullptr ? std::string() : std::string(value);
}

}  // namespace

fs::path defaultModelsFolder() {
  const std::string explicit_folder = environment("GENSTEREO_MODELS");
  if (!explicit_folder.empty()) return explicit_folder;
  const std::string xdg = environment("XDG_DATA_HOME");
  if (!xdg.empty() && fs::path(xdg).is_absolute()) return fs::path(xdg) / "genstereo" / "models";
  const std::string home = environment("HOME");
  return fs::path(home.empty() ? "." : home) / ".local" / "share" / "genstereo" / "models";
}

}  // namespace genstereo
