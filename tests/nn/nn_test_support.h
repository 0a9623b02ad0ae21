// Helpers of the neural-module tests: fixture tensors as at::Tensor, and comparisons.
#pragma once

#include <filesystem>
#include <string>

#include <ATen/core/Tensor.h>

#include "io/safetensors_reader.h"
#include "nn/genstereo_models.h"

namespace genstereo::test {

// A float tensor of the fixture file with its stored shape (any stored dtype, as float32).
at::Tensor fixtureTensor(const SafetensorsFile& file, const std::string& name);

// max |a - b| (shapes must match; reported by the caller's EXPECT).
double maxAbsDiff(const at::Tensor& a, const at::Tensor& b);

// The architecture of the e2e_tiny fixture weights (64 px working size).
GenStereoConfig tinyGenStereoConfig();

}  // namespace genstereo::test
