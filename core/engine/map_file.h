// Geometry from map files (MapFile, genstereo/engine.h): the one reader the engine uses, and
// the check of a disparity map's scale. StereoEngine::run reads a MapFile with it;
// StereoEngine::readMapFile is the same reader without the notes.
#pragma once

#include <string>
#include <vector>

#include "genstereo/engine.h"

namespace genstereo {

// Disparities far beyond the map's width (1e6 px, a byte-swapped PFM, a wrong PNG divisor)
// would leave every pixel outside the picture and give a flat view: InputError naming `origin`
// when the median magnitude exceeds the width; when at least 1 % of the valid pixels do, a
// RunNoteKind::kMapScaleSuspect note is appended to `notes` (may be null).
void checkDisparityScale(const DisparityMap& map, const std::string& origin,
                         std::vector<RunNote>* notes);

// `file` read (io/disparity_io.h; an unset PNG divisor from meta.json beside the map) as a
// DisparityInput (scale checked as above) or a DepthInput, origin "'PATH'". Throws InputError
// naming the file.
GeometrySource readGeometryFile(const MapFile& file, std::vector<RunNote>* notes);

}  // namespace genstereo
