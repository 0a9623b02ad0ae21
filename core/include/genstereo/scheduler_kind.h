// The samplers the diffusion pipeline can run, and their command-line names. Torch-free, so
// option parsers (CLI, batch files, GUI settings) can include it cheaply.
#pragma once

#include <optional>
#include <string>
#include <vector>

namespace genstereo {

enum class SchedulerKind {
  kDdim,                // "ddim": diffusers' DDIMScheduler, GenStereo's (and the paper's) sampler
  kDpmSolverMultistep,  // "dpm++2m": DPM-Solver++ 2M (diffusers' DPMSolverMultistepScheduler
                        // defaults)
  kDpmSolverMultistepKarras,  // "dpm++2m-karras": the same on Karras sigmas
  kEulerDiscrete,             // "euler": diffusers' EulerDiscreteScheduler
};

// "ddim", "dpm++2m", "dpm++2m-karras", "euler".
const char* toString(SchedulerKind kind);

// The names above, in the order of the enum (for help texts and combo boxes).
std::vector<std::string> schedulerKindNames();

// Inverse of toString; throws InputError naming the accepted values otherwise.
SchedulerKind parseSchedulerKind(const std::string& text);
// Inverse of toString; nullopt otherwise.
std::optional<SchedulerKind> schedulerKindFromString(const std::string& text);

}  // namespace genstereo
