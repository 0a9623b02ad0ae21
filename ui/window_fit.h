// The first size of a window on the screen it opens on (issue 23, point 8): the size it asks
// for, bounded by the screen's available area (at scale factor 2 a 1280 x 860 window is
// 2560 x 1720 device pixels, more than a 1080p screen), never below its minimum size.
#pragma once

class QWidget;

namespace genstereo::ui {

// Resizes `window` (not yet shown) to fit its screen's available geometry, keeping a margin
// for the window frame, and centres it there.
void fitToAvailableScreen(QWidget& window);

}  // namespace genstereo::ui
