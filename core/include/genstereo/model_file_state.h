// The state of a model file the engine needs: present, missing or invalid (models/
// model_file_check.h checks a file; the engine's ModelReport and RunPlan report it).
#pragma once

namespace genstereo {

enum class ModelFileState { kPresent, kMissing, kInvalid };

// "present", "missing", "invalid".
const char* toString(ModelFileState state);

}  // namespace genstereo
