#include "nn/tile_mosaic.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <string>
#include <utility>

#include "errors.h"

namespace genstereo {

int tileStride(int patch_px, double overlap_ratio) {
  if (!std::isfinite(overlap_ratio) || overlap_ratio < 0.0 || overlap_ratio >= 1.0) {
    throw InputError("tile overlap must be in [0, 1), found " + std::to_string(overlap_ratio));
  }
  const int stride = static_cast<int>(patch_px * (1.0 - overlap_ratio));
  if (stride < 1) {
    throw InputError("tile overlap " + std::to_string(overlap_ratio) + " leaves no stride for " +
                     std::to_string(patch_px) + " px patches");
  }
  return stride;
}

std::vector<int> tileOrigins(int length_px, int patch_px, int stride_px) {
  if (length_px < patch_px || patch_px < 1 || stride_px < 1) {
    throw InputError("tiles: a side of " + std::to_string(length_px) + " px cannot hold " +
                     std::to_string(patch_px) + " px patches");
  }
  std::vector<int> origins;
  for (int at = 0; at + patch_px <= length_px; at += stride_px) origins.push_back(at);
  if (origins.back() + patch_px < length_px) origins.push_back(length_px - patch_px);
  return origins;
}

cv::Rect TileGrid::rect(int index) const {
  const int columns = static_cast<int>(xs.size());
  return {xs[static_cast<std::size_t>(index % columns)],
          ys[static_cast<std::size_t>(index / columns)], patch_px, patch_px};
}

TileGrid makeTileGrid(cv::Size size, int patch_px, double overlap_ratio) {
  const int stride = tileStride(patch_px, overlap_ratio);
  TileGrid grid;
  grid.patch_px = patch_px;
  grid.size = size;
  grid.xs = tileOrigins(size.width, patch_px, stride);
  grid.ys = tileOrigins(size.height, patch_px, stride);
  return grid;
}

namespace {

// Offset in [0, overlap) of least L1 difference between `mosaic` columns from `origin` on and
// the first `overlap` columns of `patch` (both the same height).
int bestColumnSeam(const cv::Mat& mosaic, const cv::Mat& patch, int origin, int overlap) {
  int best = 0;
  double best_l1 = std::numeric_limits<double>::infinity();
  const int channels = mosaic.channels();
  for (int j = 0; j < overlap; ++j) {
    double l1 = 0.0;
    for (int y = 0; y < patch.rows; ++y) {
      const float* a = mosaic.ptr<float>(y) + static_cast<std::ptrdiff_t>(origin + j) * channels;
      const float* b = patch.ptr<float>(y) + static_cast<std::ptrdiff_t>(j) * channels;
      for (int c = 0; c < channels; ++c) l1 += std::abs(static_cast<double>(a[c]) - b[c]);
    }
    if (l1 < best_l1) {
      best_l1 = l1;
      best = j;
    }
  }
  return best;
}

// The same for rows: offset of least L1 difference between `mosaic` rows from `origin` on and
// the first `overlap` rows of `row` (both the same width).
int bestRowSeam(const cv::Mat& mosaic, const cv::Mat& row, int origin, int overlap) {
  int best = 0;
  double best_l1 = std::numeric_limits<double>::infinity();
  const int values = mosaic.cols * mosaic.channels();
  for (int j = 0; j < overlap; ++j) {
    const float* a = mosaic.ptr<float>(origin + j);
    const float* b = row.ptr<float>(j);
    double l1 = 0.0;
    for (int i = 0; i < values; ++i) l1 += std::abs(static_cast<double>(a[i]) - b[i]);
    if (l1 < best_l1) {
      best_l1 = l1;
      best = j;
    }
  }
  return best;
}

// The cross-fade band around `cut`: `feather_px` wide, centred, clipped to the overlap
// [origin, end) where both images have pixels. Empty (first == second) without feathering.
std::pair<int, int> featherBand(int cut, int feather_px, int origin, int end) {
  if (feather_px <= 0) return {cut, cut};
  const int first = std::max(origin, cut - feather_px / 2);
  const int last = std::min(end, first + feather_px);
  return {first, last};
}

enum class JoinAxis { kColumns, kRows };

// Columns [from, to) or rows [from, to) of `image`.
cv::Mat span(const cv::Mat& image, JoinAxis axis, int from, int to) {
  return axis == JoinAxis::kColumns ? image.colRange(from, to) : image.rowRange(from, to);
}

// `next` (a patch, or a stitched row of patches) placed at `origin` along `axis` onto `mosaic`:
// the mosaic's columns (rows) before the band (before `cut` without one), the cross-fade, then
// next's from there on.
cv::Mat join(JoinAxis axis, const cv::Mat& mosaic, const cv::Mat& next, int origin, int cut,
             int feather_px) {
  const bool columns = axis == JoinAxis::kColumns;
  const int length = origin + (columns ? next.cols : next.rows);
  const auto [first, last] =
      featherBand(cut, feather_px, origin, columns ? mosaic.cols : mosaic.rows);
  cv::Mat joined = columns ? cv::Mat(mosaic.rows, length, mosaic.type())
                           : cv::Mat(length, mosaic.cols, mosaic.type());
  span(mosaic, axis, 0, first).copyTo(span(joined, axis, 0, first));
  for (int i = first; i < last; ++i) {
    const float w = featherWeight(i - first, last - first);
    cv::addWeighted(span(mosaic, axis, i, i + 1), 1.0 - w,
                    span(next, axis, i - origin, i - origin + 1), w, 0.0,
                    span(joined, axis, i, i + 1));
  }
  span(next, axis, last - origin, length - origin).copyTo(span(joined, axis, last, length));
  return joined;
}

void checkPatch(const cv::Mat& patch, const cv::Mat& first, int patch_px) {
  if (patch.rows != patch_px || patch.cols != patch_px || patch.depth() != CV_32F ||
      patch.type() != first.type()) {
    throw InputError("tiles: every patch must be a float image of " + std::to_string(patch_px) +
                     " px, found " + std::to_string(patch.cols) + "x" + std::to_string(patch.rows));
  }
}

}  // namespace

float featherWeight(int i, int band_px) {
  return (static_cast<float>(i) + 0.5f) / static_cast<float>(band_px);
}

TileStitcher::TileStitcher(TileGrid grid, int layers, int feather_px)
    : grid_(std::move(grid)), feather_px_(feather_px) {
  if (feather_px < 0 || feather_px > grid_.patch_px) {
    throw InputError("tiles: seam feather must be 0.." + std::to_string(grid_.patch_px) +
                     " px, found " + std::to_string(feather_px));
  }
  mosaics_.resize(static_cast<std::size_t>(layers));
}

void TileStitcher::addRow(const std::vector<std::vector<cv::Mat>>& row) {
  const std::size_t columns = grid_.xs.size();
  if (isComplete())
    throw InputError("tiles: more rows than the grid's " + std::to_string(grid_.ys.size()));
  if (row.size() != mosaics_.size()) {
    throw InputError("tiles: expected " + std::to_string(mosaics_.size()) + " layers, found " +
                     std::to_string(row.size()));
  }
  for (const std::vector<cv::Mat>& layer : row) {
    if (layer.size() != columns) {
      throw InputError("tiles: expected " + std::to_string(columns) + " patches in a row, found " +
                       std::to_string(layer.size()));
    }
    for (const cv::Mat& patch : layer) checkPatch(patch, layer[0], grid_.patch_px);
  }
  // Along the row: seams on layer 0, the same cuts on every layer.
  std::vector<cv::Mat> stitched(row.size());
  for (std::size_t l = 0; l < row.size(); ++l) stitched[l] = row[l][0];
  std::vector<int> cuts;
  for (std::size_t c = 1; c < columns; ++c) {
    const int origin = grid_.xs[c];
    const int overlap = stitched[0].cols - origin;
    const int cut =
        origin + (overlap > 0 ? bestColumnSeam(stitched[0], row[0][c], origin, overlap) : 0);
    cuts.push_back(cut);
    for (std::size_t l = 0; l < row.size(); ++l) {
      stitched[l] = join(JoinAxis::kColumns, stitched[l], row[l][c], origin, cut, feather_px_);
    }
  }
  seams_.column_cuts.push_back(cuts);
  // Onto the mosaic: the row seam on layer 0.
  if (rows_added_ == 0) {
    mosaics_ = stitched;
  } else {
    const int origin = grid_.ys[static_cast<std::size_t>(rows_added_)];
    const int overlap = mosaics_[0].rows - origin;
    const int cut =
        origin + (overlap > 0 ? bestRowSeam(mosaics_[0], stitched[0], origin, overlap) : 0);
    seams_.row_cuts.push_back(cut);
    for (std::size_t l = 0; l < row.size(); ++l) {
      mosaics_[l] = join(JoinAxis::kRows, mosaics_[l], stitched[l], origin, cut, feather_px_);
    }
  }
  ++rows_added_;
}

TileSeams findTileSeams(const std::vector<cv::Mat>& patches, const TileGrid& grid, cv::Mat* mosaic,
                        int feather_px) {
  if (static_cast<int>(patches.size()) != grid.count()) {
    throw InputError("tiles: expected " + std::to_string(grid.count()) + " patches, found " +
                     std::to_string(patches.size()));
  }
  TileStitcher stitcher(grid, 1, feather_px);
  const std::size_t columns = grid.xs.size();
  for (std::size_t r = 0; r < grid.ys.size(); ++r) {
    const auto first = patches.begin() + static_cast<std::ptrdiff_t>(r * columns);
    stitcher.addRow({std::vector<cv::Mat>(first, first + static_cast<std::ptrdiff_t>(columns))});
  }
  if (mosaic != nullptr) *mosaic = stitcher.mosaic(0);
  return stitcher.seams();
}

}  // namespace genstereo
