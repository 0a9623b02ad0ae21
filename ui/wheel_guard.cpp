#include "wheel_guard.h"

#include <QAbstractSlider>
#include <QAbstractSpinBox>
#include <QComboBox>
#include <QEvent>
#include <QWidget>

namespace genstereo::ui {

void WheelGuard::guardChildrenOf(QWidget* root) {
  QList<QWidget*> fields;
  for (QWidget* child : root->findChildren<QWidget*>()) {
    if (qobject_cast<QAbstractSpinBox*>(child) || qobject_cast<QComboBox*>(child) ||
        qobject_cast<QAbstractSlider*>(child)) {
      fields << child;
    }
  }
  for (QWidget* field : fields) {
    field->setFocusPolicy(Qt::StrongFocus);
    field->removeEventFilter(this);
    field->installEventFilter(this);
  }
}

bool WheelGuard::eventFilter(QObject* watched, QEvent* event) {
  if (event->type() == QEvent::Wheel) {
    auto* field = qobject_cast<QWidget*>(watched);
    if (field != nullptr && !field->hasFocus()) {
      event->ignore();  // not accepted: it goes on to the parents (the dock's scroll area)
      return true;      // and the field does not see it
    }
  }
  return QObject::eventFilter(watched, event);
}

}  // namespace genstereo::ui
