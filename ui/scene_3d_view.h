// Qt3D view of a result: the photo as a mesh displaced by its disparity (nearer surfaces come
// forward), or the two views of the pair side by side in the scene. Right-drag orbits around
// the scene, left-drag moves the camera, the wheel zooms (Qt3D's orbit camera controller).
//
// Qt3D needs an OpenGL context: under QT_QPA_PLATFORM=offscreen without an X display it
// crashes, so the window creates this view only when its 3D tab is first shown and
// canRender3D() holds.
#pragma once

#include <QWidget>

#include "engine_types.h"

namespace Qt3DCore {
class QEntity;
class QTransform;
}  // namespace Qt3DCore
namespace Qt3DExtras {
class Qt3DWindow;
}  // namespace Qt3DExtras
namespace Qt3DRender {
class QCamera;
class QGeometryRenderer;
class QRenderCapture;
class QRenderCaptureReply;
}  // namespace Qt3DRender

class QComboBox;

namespace genstereo::ui {

class ImageTexture;

class Scene3DView : public QWidget {
  Q_OBJECT

 public:
  enum Mode { kDepthMesh, kStereoPair };

  explicit Scene3DView(QWidget* parent = nullptr);

  // False where Qt3D cannot get an OpenGL context (offscreen platform without a display).
  static bool canRender3D();

  void setResult(const EngineResultPtr& result);
  void setMode(Mode mode);
  Mode mode() const;
  void resetCamera();
  // Reads back the next rendered frame (tests, screenshots).
  Qt3DRender::QRenderCaptureReply* requestCapture();
  // The widget that hosts the Qt3D window (its pixels are not in QWidget::grab()).
  QWidget* renderArea() const { return render_area_; }
  // Vertices of the displaced mesh (0 before the first result).
  int meshVertexCount() const { return mesh_vertex_count_; }

 private:
  void buildMesh(const EngineResult& result);

  QComboBox* mode_box_ = nullptr;
  Qt3DExtras::Qt3DWindow* window_ = nullptr;
  QWidget* render_area_ = nullptr;
  Qt3DRender::QRenderCapture* capture_ = nullptr;
  Qt3DRender::QCamera* camera_ = nullptr;
  Qt3DCore::QEntity* root_ = nullptr;
  Qt3DCore::QEntity* mesh_entity_ = nullptr;
  Qt3DCore::QEntity* pair_entity_ = nullptr;
  Qt3DRender::QGeometryRenderer* mesh_renderer_ = nullptr;
  Qt3DCore::QTransform* left_plane_transform_ = nullptr;
  Qt3DCore::QTransform* right_plane_transform_ = nullptr;
  ImageTexture* mesh_texture_ = nullptr;
  ImageTexture* left_texture_ = nullptr;
  ImageTexture* right_texture_ = nullptr;
  int mesh_vertex_count_ = 0;
};

}  // namespace genstereo::ui
