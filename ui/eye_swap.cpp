#include "eye_swap.h"

#include <memory>
#include <utility>

namespace genstereo::ui {

EngineResultPtr withEyesSwapped(const EngineResultPtr& result) {
  if (!result) return result;
  auto swapped = std::make_shared<EngineResult>(*result);
  std::swap(swapped->left, swapped->right);
  std::swap(swapped->input, swapped->final_view);
  return swapped;
}

}  // namespace genstereo::ui
