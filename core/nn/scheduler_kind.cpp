#include "nn/scheduler_kind.h"

#include "errors.h"

namespace genstereo {

namespace {

constexpr SchedulerKind kAllKinds[] = {SchedulerKind::kDdim, SchedulerKind::kDpmSolverMultistep,
                                       SchedulerKind::kDpmSolverMultistepKarras,
                                       SchedulerKind::kEulerDiscrete};

}  // namespace

const char* toString(SchedulerKind kind) {
  switch (kind) {
    case SchedulerKind::kDdim:
      return "ddim";
    case SchedulerKind::kDpmSolverMultistep:
      return "dpm++2m";
    case SchedulerKind::kDpmSolverMultistepKarras:
      return "dpm++2m-karras";
    case SchedulerKind::kEulerDiscrete:
      return "euler";
  }
  return "unknown";
}

std::vector<std::string> schedulerKindNames() {
  std::vector<std::string> names;
  for (const SchedulerKind kind : kAllKinds) names.emplace_back(toString(kind));
  return names;
}

std::optional<SchedulerKind> schedulerKindFromString(const std::string& text) {
  for (const SchedulerKind kind : kAllKinds) {
    if (text == toString(kind)) return kind;
  }
  return std::nullopt;
}

SchedulerKind parseSchedulerKind(const std::string& text) {
  std::string accepted;
  for (const SchedulerKind kind : kAllKinds) {
    if (text == toString(kind)) return kind;
    accepted += accepted.empty() ? "" : ", ";
    accepted += toString(kind);
  }
  throw InputError("unknown scheduler \"" + text + "\"; expected one of: " + accepted);
}

}  // namespace genstereo
