// Depth shaping, as users of 2D-to-3D converters expect it (iw3's foreground scale and edge
// dilation, the depthmap-script's clip and renormalise), and the edge-preserving resize of a
// model-resolution depth map back to the photo's size. Torch-free.
//
// All shaping works on relative inverse depth (larger = nearer, as Depth Anything V2 outputs
// and GenStereo's depth -> disparity conversion expects). Every parameter is neutral by default.
#pragma once

#include <opencv2/core.hpp>

#include "genstereo/depth_params.h"
#include "stereo/disparity_map.h"

namespace genstereo {

// True when `shaping` leaves a map unchanged (all parameters at their neutral value).
bool isNeutral(const DepthShaping& shaping);

// Applies clip + renormalise, foreground scale, then edge dilation, in that order. A neutral
// `shaping` returns a copy of `inverse_depth`; otherwise the valid values are normalised to
// [0, 1] (min -> 0, max -> 1) first, so the result lies in [0, 1]. Invalid pixels stay invalid.
// Throws InputError for a parameter outside its range (percentiles not 0 <= low < high <= 100,
// foreground scale outside [-3, 3], negative dilation) or when no pixel is valid.
DisparityMap shapeDepth(const DisparityMap& inverse_depth, const DepthShaping& shaping);

// Resizes a low-resolution depth map (CV_32FC1, h x w, e.g. the model's output at its working
// resolution) to guide_full's size without halos at depth discontinuities.
// Sampling positions are those of bilinear interpolation with aligned corners (the official
// Depth Anything V2 resize). Where the 2x2 low-resolution neighbours of an output pixel differ
// by at most `edge_threshold` times the map's value range, the result is the bilinear value
// (identical to the official resize). Across a larger step, bilinear interpolation would
// invent in-between depths (pixels floating between foreground and background that the warp
// smears into a halo); there the pixel takes the depth of the neighbour whose colour in
// `guide_low` (the image at the model's resolution) is closest to its own colour in
// `guide_full`, so every output depth belongs to a surface on one side of the edge and the edge
// follows the full-resolution image.
// guide_low: CV_32FC3 h x w; guide_full: CV_32FC3, the output size. Throws InputError on
// mismatched sizes or types.
cv::Mat upsampleDepthEdgeAware(const cv::Mat& depth_low, const cv::Mat& guide_low,
                               const cv::Mat& guide_full, double edge_threshold = 0.04);

// The official resize: bilinear with aligned corners (F.interpolate(..., align_corners=True)).
cv::Mat upsampleDepthBilinearAligned(const cv::Mat& depth_low, cv::Size size);

}  // namespace genstereo
