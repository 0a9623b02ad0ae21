// Tiled generation's geometry, as the official test_arbitrary_size.py does it: square patches
// cut with a stride from an image whose sides are multiples of the patch, then stitched back
// row by row and the rows top to bottom, each new patch (row) joining the mosaic so far at the
// straight column (row) of least L1 difference inside their overlap. Torch-free.
//
// Placement: origins 0, s, 2s, ... with s = int(patch * (1 - overlap)) (F.unfold's); when the
// last patch does not reach the end, one more patch flush with the end is added (the official
// script leaves that strip out; it never happens when the sides are multiples of the patch and
// the patch is a multiple of the stride, e.g. the default overlap 0.5).
// Seams: inside the overlap of the mosaic and the new patch (official: it computes that
// overlap as W + P - (W // s + 1) * s, which equals the true overlap when P is a multiple of
// s; other overlaps are misaligned there and correct here), the offset j of least
// sum |mosaic - patch| over channels and the other axis (first one on ties, as torch.argmin);
// the mosaic keeps its pixels before the seam, the patch gives the seam column and after.
// Optional (not in the official script; off by default): a feathered seam, where the two
// cross-fade linearly over `feather_px` pixels centred on the cut (clipped to the overlap),
// which hides a step in tone between patches that disagree (docs/diffusion.md, measured there).
#pragma once

#include <vector>

#include <opencv2/core.hpp>

namespace genstereo {

// int(patch_px * (1 - overlap_ratio)); throws InputError unless overlap is in [0, 1) and the
// stride is at least 1 px.
int tileStride(int patch_px, double overlap_ratio);

// Patch origins along a side of `length_px` (>= patch_px).
std::vector<int> tileOrigins(int length_px, int patch_px, int stride_px);

struct TileGrid {
  int patch_px = 0;
  std::vector<int> xs;  // column origins
  std::vector<int> ys;  // row origins
  cv::Size size;        // the image tiled
  int count() const { return static_cast<int>(xs.size() * ys.size()); }
  // Patch `index` (row-major, the official unfold order).
  cv::Rect rect(int index) const;
};

TileGrid makeTileGrid(cv::Size size, int patch_px, double overlap_ratio);

// Absolute positions where each later patch (row) starts to be used.
struct TileSeams {
  std::vector<std::vector<int>> column_cuts;  // per row: cut x of columns 1.. (xs[c] + offset)
  std::vector<int> row_cuts;                  // cut y of rows 1.. (ys[r] + offset)
};

// Stitches a grid row by row as the patches come (only the mosaics so far and one row of
// patches are held). Several layers share the seams, which layer 0 decides (the official
// script stitches the fused view; we carry the generated view and the fusion share along).
class TileStitcher {
 public:
  // `feather_px` 0: the official straight seams; > 0: a linear cross-fade that wide (at most
  // the overlap) centred on each cut. Seams are chosen by the same L1 rule either way.
  TileStitcher(TileGrid grid, int layers, int feather_px = 0);
  // The next row: `row[layer][column]`, patch_px square float images, one type per layer.
  // Throws InputError on a patch of another size or type, or a row too many.
  void addRow(const std::vector<std::vector<cv::Mat>>& row);
  bool isComplete() const { return rows_added_ == static_cast<int>(grid_.ys.size()); }
  const TileSeams& seams() const { return seams_; }
  const cv::Mat& mosaic(int layer) const { return mosaics_.at(static_cast<std::size_t>(layer)); }

 private:
  TileGrid grid_;
  std::vector<cv::Mat> mosaics_;
  TileSeams seams_;
  int feather_px_ = 0;
  int rows_added_ = 0;
};

// The seams of a whole grid of patches (row-major), and the mosaic.
TileSeams findTileSeams(const std::vector<cv::Mat>& patches, const TileGrid& grid,
                        cv::Mat* mosaic = nullptr, int feather_px = 0);

// The patch's weight at offset `i` of a cross-fade `band_px` wide: (i + 0.5) / band_px.
float featherWeight(int i, int band_px);

}  // namespace genstereo
