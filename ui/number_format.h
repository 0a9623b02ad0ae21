// Numbers shown to the user: one decimal separator everywhere, the default locale's (the
// language's, see translation.h), never QString::number's C locale.
#pragma once

#include <QLocale>
#include <QString>

namespace genstereo::ui {

// `value` with `decimals` digits after the locale's decimal separator, e.g. "1,25" in German.
inline QString formatDecimal(double value, int decimals) {
  return QLocale().toString(value, 'f', decimals);
}

}  // namespace genstereo::ui
