// Wheel input for fields only when they have the keyboard focus: scrolling a panel of spin
// boxes, combo boxes and sliders scrolls the panel instead of changing whatever value passes
// under the pointer (issue 23, point 2). Click or Tab into a field first, then the wheel
// changes it.
#pragma once

#include <QObject>

class QWidget;

namespace genstereo::ui {

class WheelGuard : public QObject {
  Q_OBJECT

 public:
  explicit WheelGuard(QObject* parent = nullptr) : QObject(parent) {}

  // Guards every spin box, combo box and slider under `root` (now present; call again for
  // fields added later): Qt::StrongFocus, so that the wheel does not give them the focus, and
  // unfocused wheel events go on to the scroll area around them.
  void guardChildrenOf(QWidget* root);

 protected:
  bool eventFilter(QObject* watched, QEvent* event) override;
};

}  // namespace genstereo::ui
