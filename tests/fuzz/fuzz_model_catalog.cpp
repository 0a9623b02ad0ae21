// The model catalogue (--catalog FILE / GENSTEREO_MODEL_CATALOG): JSON, with an optional
// manifests file next to it; then every query the CLI makes of a parsed catalogue.
#include "errors.h"
#include "fuzz_support.h"
#include "models/model_catalog.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  try {
    const genstereo::ModelCatalog catalog =
        genstereo::parseModelCatalog(text, "fuzz.json", genstereo::fuzz::scratchFolder());
    (void)catalog.modelIdList();
    for (const genstereo::CatalogModel& model : catalog.models) {
      (void)catalog.findModel(model.id);
      for (const genstereo::CatalogFile* file : catalog.filesOf({model.id})) {
        (void)catalog.manifestFor(*file);
      }
    }
  } catch (const genstereo::Error&) {
  }
  return 0;
}
