#include "eye_labels.h"

#include <iterator>

#include <QCoreApplication>

namespace genstereo::ui {

namespace {

// One label in its three forms (SynthesisEye kRight, kLeft, kBoth), in EyeLabel's order.
struct EyeTexts {
  const char* right;
  const char* left;
  const char* both;
};

constexpr EyeTexts kEyeTexts[] = {
    {QT_TRANSLATE_NOOP("EyeLabels", "Right view generated in %1 s."),
     QT_TRANSLATE_NOOP("EyeLabels", "Left view generated in %1 s."),
     QT_TRANSLATE_NOOP("EyeLabels", "Left and right views generated in %1 s.")},
    {QT_TRANSLATE_NOOP("EyeLabels",
                       "Right view generated in %1 s (depth estimated from the photo)."),
     QT_TRANSLATE_NOOP("EyeLabels",
                       "Left view generated in %1 s (depth estimated from the photo)."),
     QT_TRANSLATE_NOOP("EyeLabels",
                       "Left and right views generated in %1 s (depth estimated from the photo).")},
    {QT_TRANSLATE_NOOP("EyeLabels", "Synthesising the right view"),
     QT_TRANSLATE_NOOP("EyeLabels", "Synthesising the left view"),
     QT_TRANSLATE_NOOP("EyeLabels", "Synthesising the left and right views")},
    {QT_TRANSLATE_NOOP("EyeLabels", "Input (left view)"),
     QT_TRANSLATE_NOOP("EyeLabels", "Input (right view)"),
     QT_TRANSLATE_NOOP("EyeLabels", "Input (centre view)")},
    {QT_TRANSLATE_NOOP("EyeLabels", "Final right view"),
     QT_TRANSLATE_NOOP("EyeLabels", "Final left view"),
     QT_TRANSLATE_NOOP("EyeLabels", "Final right view (the left one: stereo preview)")},
    {QT_TRANSLATE_NOOP("EyeLabels", "<b>After:</b> the generated right view"),
     QT_TRANSLATE_NOOP("EyeLabels", "<b>After:</b> the generated left view"),
     QT_TRANSLATE_NOOP("EyeLabels", "<b>After:</b> the generated right view (of both)")},
    {QT_TRANSLATE_NOOP("EyeLabels", "\nDisparity (left view): %1 px"),
     QT_TRANSLATE_NOOP("EyeLabels", "\nDisparity (right view): %1 px"),
     QT_TRANSLATE_NOOP("EyeLabels", "\nDisparity (centre view): %1 px")},
    {QT_TRANSLATE_NOOP("EyeLabels", "\nMask (right view): warped"),
     QT_TRANSLATE_NOOP("EyeLabels", "\nMask (left view): warped"),
     QT_TRANSLATE_NOOP("EyeLabels", "\nMask (right view): warped")},
    {QT_TRANSLATE_NOOP("EyeLabels", "\nMask (right view): hole, filled"),
     QT_TRANSLATE_NOOP("EyeLabels", "\nMask (left view): hole, filled"),
     QT_TRANSLATE_NOOP("EyeLabels", "\nMask (right view): hole, filled")},
    {QT_TRANSLATE_NOOP("EyeLabels", "\nFusion weight (right view): %1"),
     QT_TRANSLATE_NOOP("EyeLabels", "\nFusion weight (left view): %1"),
     QT_TRANSLATE_NOOP("EyeLabels", "\nFusion weight (right view): %1")},
};
static_assert(std::size(kEyeTexts) == static_cast<std::size_t>(EyeLabel::kInspectorFusion) + 1,
              "one entry per EyeLabel");

}  // namespace

QString eyeLabel(EyeLabel label, SynthesisEye eye) {
  const EyeTexts& texts = kEyeTexts[static_cast<int>(label)];
  const char* text = eye == SynthesisEye::kLeft   ? texts.left
                     : eye == SynthesisEye::kBoth ? texts.both
                                                  : texts.right;
  return QCoreApplication::translate("EyeLabels", text);
}

}  // namespace genstereo::ui
