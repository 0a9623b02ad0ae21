#include "io/pixel_budget.h"

#include <atomic>
#include <cerrno>
#include <cstdio>
#include <cstdlib>

#include "errors.h"

namespace genstereo {

namespace {

std::atomic<std::int64_t> g_max_pixels_override{0};

std::int64_t limitFromEnvironment() {
  const char* text = std::getenv("GENSTEREO_MAX_PIXELS");
  if (text == nullptr || *text == '\0') return kDefaultMaxInputPixels;
  char* end = nullptr;
  errno = 0;
  const long long value = std::strtoll(text, &end, 10);
  if (errno != 0 || end == text || *end != '\0' || value < 1) {
    throw InputError(
        std::string("GENSTEREO_MAX_PIXELS must be a positive integer (pixels), got '") + text +
        "'");
  }
  return value;
}

// "12.3 MP", "13.5 GB": in floating point, so that any int64 (up to overflowed products
// reported as INT64_MAX) formats without overflow.
std::string withUnit(double value, const char* unit) {
  char text[64];
  std::snprintf(text, sizeof text, "%.1f %s", value, unit);
  return text;
}

std::string megapixels(std::int64_t pixels) {
  return withUnit(static_cast<double>(pixels) / 1e6, "MP");
}

std::string gigabytes(std::int64_t bytes) {
  return withUnit(static_cast<double>(bytes) / 1e9, "GB");
}

}  // namespace

std::int64_t maxInputPixels() {
  const std::int64_t forced = g_max_pixels_override.load();
  return forced > 0 ? forced : limitFromEnvironment();
}

void setMaxInputPixels(std::int64_t max_pixels) {
  g_max_pixels_override.store(max_pixels > 0 ? max_pixels : 0);
}

std::int64_t estimateWorkingMemoryBytes(std::int64_t width_px, std::int64_t height_px) {
  std::int64_t pixels = 0;
  std::int64_t bytes = 0;
  if (width_px <= 0 || height_px <= 0) return 0;
  if (__builtin_mul_overflow(width_px, height_px, &pixels) ||
      __builtin_mul_overflow(pixels, kWorkingBytesPerPixel, &bytes)) {
    return INT64_MAX;
  }
  return bytes;
}

void checkPixelBudget(std::int64_t width_px, std::int64_t height_px,
                      const std::filesystem::path& path, const std::string& what) {
  const std::string size = std::to_string(width_px) + "x" + std::to_string(height_px);
  if (width_px <= 0 || height_px <= 0) {
    throw InputError("'" + path.string() + "': the " + what + " header says " + size + " pixels");
  }
  const std::int64_t limit = maxInputPixels();
  std::int64_t pixels = 0;
  if (__builtin_mul_overflow(width_px, height_px, &pixels) || pixels > limit) {
    throw InputError(
        "'" + path.string() + "': the " + what + " is " + size + " pixels (" +
        megapixels(pixels > 0 ? pixels : INT64_MAX) + "), over the pixel budget of " +
        megapixels(limit) + "; processing it would need about " +
        gigabytes(estimateWorkingMemoryBytes(width_px, height_px)) +
        " of memory. Raise the limit with GENSTEREO_MAX_PIXELS=<pixels> if the machine has it");
  }
}

}  // namespace genstereo
