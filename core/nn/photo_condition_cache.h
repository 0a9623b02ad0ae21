// Per-photo cache of the diffusion pipeline's photo conditions: what depends only on the left
// image at the models' working size, so that a new run on the same photo with other steps,
// seed, guidance, sampler, baseline or convergence skips those networks.
//
// What the official GenStereo.__call__ computes from the image alone (GENSTEREO.md 1.3):
//   the CLIP image embedding (CLIP preprocessing of the working-size image),
//   the VAE posterior mean * 0.18215 (the reference latents),
//   the source pose features (pose guider of the coordinate embedding + the image; no disparity),
//   the reference U-Net's attention banks (one forward at t = 0 of the three above).
// The target condition (warp, hole mask) and its pose features depend on the disparity, hence
// on baseline and convergence: they are computed every run and never cached.
//
// Keyed on the SHA-256 of the working-size RGB bytes plus the size, device and dtype; one
// cache belongs to one loaded set of networks (one variant). Bounded: the `capacity_photos`
// most recently used photos (banks stored in float16, which they are rounded to anyway:
// ~55 MB per photo for v2.1 at 768 px). A tiled run makes one entry per patch, so it only
// profits when the whole photo's patches fit (they rarely do): see docs/diffusion.md.
#pragma once

#include <cstdint>
#include <list>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include <ATen/core/Tensor.h>
#include <opencv2/core.hpp>

namespace genstereo {

struct PhotoConditions {
  at::Tensor cond_context;             // [1, 1, context_dim] CLIP embedding, zero-padded
  at::Tensor reference_latents;        // [1, 4, S/8, S/8]
  std::vector<at::Tensor> banks_half;  // the reference banks, float16 (exact: they are rounded so)
};

// How many times each photo-only network ran (whether or not a cache is used), and cache hits.
struct PhotoConditionCounters {
  int clip_forwards = 0;
  int vae_encodes = 0;
  int reference_forwards = 0;
  int cache_hits = 0;
};

class PhotoConditionCache {
 public:
  // 0: remembers nothing (every run computes everything; the counters still count).
  explicit PhotoConditionCache(int capacity_photos = 2);

  // "sha256|WxH|device|dtype" of a CV_8UC3 working-size image.
  static std::string keyOf(const cv::Mat& image_rgb8, const std::string& device,
                           const std::string& dtype);

  // nullptr when absent; a hit counts and makes the entry the most recent.
  std::shared_ptr<const PhotoConditions> find(const std::string& key);
  void insert(const std::string& key, std::shared_ptr<const PhotoConditions> conditions);

  int capacityPhotos() const { return capacity_photos_; }
  int size() const;
  PhotoConditionCounters counters() const;
  void countClip();
  void countVaeEncode();
  void countReferenceForward();

 private:
  struct Entry {
    std::string key;
    std::shared_ptr<const PhotoConditions> conditions;
  };
  int capacity_photos_ = 2;
  mutable std::mutex mutex_;
  std::list<Entry> entries_;  // most recent first
  PhotoConditionCounters counters_;
};

}  // namespace genstereo
