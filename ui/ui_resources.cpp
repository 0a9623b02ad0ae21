#include "ui_resources.h"

#include <QtGlobal>

// Q_INIT_RESOURCE must be used outside any namespace.
static void initGenstereoQrc() { Q_INIT_RESOURCE(genstereo); }

namespace genstereo::ui {

void initUiResources() { initGenstereoQrc(); }

}  // namespace genstereo::ui
