// A models module of "another build" (engine_models_test.cpp): its entry refuses every caller
// and names its own build id, as the module of another GenStereo build does.
extern "C" __attribute__((visibility("default"))) void* genstereo_models_entry(
    const char* /*build_id*/, const char** module_build_id) {
  if (module_build_id != nullptr) *module_build_id = "0.0.0-another-build";
  return nullptr;
}
