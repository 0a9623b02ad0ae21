// Qt3D view of a result: the photo as a mesh displaced by its disparity (nearer surfaces come
// forward), or the two views of the pair side by side in the scene. Right-drag orbits around
// the scene (a fixed angle per pixel, the *Orbit* setting: independent of the frame rate),
// left-drag moves the camera, the wheel zooms. Frames are drawn on demand (Qt3D's
// RenderSettings OnDemand: nothing is drawn while nothing changes), and the scene is switched
// off while the view is hidden, so an idle 3D view costs no CPU.
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
class QLabel;
class QSlider;
class QWindow;

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
  // No result (a new photo is on its way): the scene is empty instead of the last photo's, and
  // its textures are released.
  void clear();
  // The size of the pair's textures: the photo's, or smaller (at most 2048 px on the longer
  // side, a bound on the memory a large photo's scene holds); 1 x 1 after clear().
  QSize textureSizePx() const;
  bool hasScene() const { return mesh_vertex_count_ > 0; }
  void setMode(Mode mode);
  Mode mode() const;
  void resetCamera();
  // Reads back the next rendered frame (tests, screenshots).
  Qt3DRender::QRenderCaptureReply* requestCapture();
  // The widget that hosts the Qt3D window (its pixels are not in QWidget::grab()).
  QWidget* renderArea() const { return render_area_; }
  // Vertices of the displaced mesh (0 before the first result).
  int meshVertexCount() const { return mesh_vertex_count_; }
  // The Qt3D window (receives the mouse) and its camera; for tests.
  QWindow* window3D() const;
  Qt3DRender::QCamera* camera() const { return camera_; }
  // True when frames are drawn only when the scene changes.
  bool isRenderedOnDemand() const;
  // True while the scene is switched on (the view is visible).
  bool isSceneActive() const;
  // Degrees the camera orbits per pixel of a right-drag (AppSettings::orbitDegreesPerPixel).
  double orbitDegreesPerPixel() const { return orbit_degrees_per_px_; }
  void setOrbitDegreesPerPixel(double degrees);
  QSlider* orbitSlider() const { return orbit_slider_; }

 protected:
  bool eventFilter(QObject* watched, QEvent* event) override;
  void showEvent(QShowEvent* event) override;
  void hideEvent(QHideEvent* event) override;

 private:
  void buildMesh(const EngineResult& result);
  void orbit(QPointF delta_px);
  void move(QPointF delta_px);
  void zoom(double steps);
  // One more frame under the on-demand policy (an invisible change of the near plane): the
  // texture uploads of a large photo end after the frame that followed setResult, and nothing
  // else would draw them until the user touches the view (issue 23, point 6).
  void requestFrame();

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
  QSlider* orbit_slider_ = nullptr;
  QLabel* orbit_value_ = nullptr;
  int mesh_vertex_count_ = 0;
  bool is_frame_nudged_ = false;
  double orbit_degrees_per_px_ = 0.25;
  Qt::MouseButton drag_button_ = Qt::NoButton;
  QPointF last_mouse_px_;
};

}  // namespace genstereo::ui
