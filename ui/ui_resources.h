// Registers the resources compiled into the static genstereo_ui library (icons from
// resources/genstereo.qrc). Call once, after the QApplication exists.
#pragma once

namespace genstereo::ui {

void initUiResources();

}  // namespace genstereo::ui
