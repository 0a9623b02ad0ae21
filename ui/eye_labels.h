// The texts that name the eye(s) a run generates (Controls > Eye: right, left or both), in one
// place: the status bar after a run, the progress stage, the inspection views' titles, the
// pixel inspector and the before/after caption. Whole sentences per eye, so that a translation
// never has to assemble "left"/"right" into a sentence.
#pragma once

#include <QString>

#include "stereo/stereo_synthesis.h"

namespace genstereo::ui {

enum class EyeLabel {
  kGenerated,           // status bar: "Right view generated in %1 s."
  kGeneratedEstimated,  // ... "(depth estimated from the photo)."
  kSynthesizingStage,   // progress: "Synthesising the right view"
  kInputTitle,          // inspection: "Input (left view)"
  kFinalTitle,          // inspection: "Final right view"
  kAfterCaption,        // before/after: "<b>After:</b> the generated right view"
  kInspectorDisparity,  // pixel inspector: "\nDisparity (left view): %1 px"
  kInspectorWarped,     // "\nMask (right view): warped"
  kInspectorHole,       // "\nMask (right view): hole, filled"
  kInspectorFusion,     // "\nFusion weight (right view): %1"
};

// `label` for a run that generated `eye` (kRight: the photo is the left view; kLeft: the photo
// is the right view; kBoth: the photo is the centre, the inspection views show the new right
// view and the stereo preview both). Translated (context "EyeLabels").
QString eyeLabel(EyeLabel label, SynthesisEye eye);

}  // namespace genstereo::ui
