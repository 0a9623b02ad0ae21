// The application's persistent settings (QSettings, organisation "GenStereo").
#pragma once

#include <QString>
#include <QStringList>

namespace genstereo::ui {

class AppSettings {
 public:
  static constexpr int kMaxRecentFiles = 8;

  // Folder that holds the model weights; default: <app data>/models.
  static QString modelsFolder();
  static void setModelsFolder(const QString& folder);
  static QString defaultModelsFolder();

  // "cpu" or "cuda".
  static QString device();
  static void setDevice(const QString& device);

  // What the networks compute in: "auto" (bfloat16 on a CPU with native bfloat16 and on
  // CUDA, else float32), "float32", "bfloat16" or "float16" (CUDA only).
  static QString computeDtype();
  static void setComputeDtype(const QString& dtype);

  // The GenStereo variant of the diffusion engine: "sd21" (v2.1, 768 px) or "sd15" (v1.5,
  // 512 px).
  static QString diffusionVariant();
  static void setDiffusionVariant(const QString& variant);

  // The Depth Anything V2 size for photos without a map: "auto", "vits", "vitb" or "vitl".
  static QString depthModelSize();
  static void setDepthModelSize(const QString& size);

  // A stable export format name (genstereo::allExportFormatNames or "disparity").
  static QString defaultExportFormat();
  static void setDefaultExportFormat(const QString& name);

  // "" (follow the system), "en" or "de".
  static QString language();
  static void setLanguage(const QString& language);

  // Each file once, most recent first, as normalised paths (normalizedPath).
  static QStringList recentFiles();
  // Puts `path` (normalised) first and keeps kMaxRecentFiles entries.
  static void addRecentFile(const QString& path);
  // The one spelling of a file: canonical (links and "..", "." resolved) when it exists,
  // otherwise absolute and cleaned.
  static QString normalizedPath(const QString& path);
  static void clearRecentFiles();

  // The first-start hint was shown (it is shown once).
  static bool isFirstStartHintShown();
  static void setFirstStartHintShown();

  // 3D view: degrees the camera orbits per pixel of a drag (default 0.25: a 6-px drag turns
  // the view 1.5 degrees).
  static double orbitDegreesPerPixel();
  static void setOrbitDegreesPerPixel(double degrees);
  static constexpr double kDefaultOrbitDegreesPerPixel = 0.25;

  static QString lastExportFolder();
  static void setLastExportFolder(const QString& folder);
};

}  // namespace genstereo::ui
