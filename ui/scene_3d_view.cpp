#include "scene_3d_view.h"

#include "app_settings.h"
#include "number_format.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <vector>

#include <QComboBox>
#include <QGuiApplication>
#include <QHBoxLayout>
#include <QLabel>
#include <QMouseEvent>
#include <QPainter>
#include <QPushButton>
#include <QSlider>
#include <QTimer>
#include <QVBoxLayout>
#include <QWheelEvent>
#include <Qt3DCore/QAttribute>
#include <Qt3DCore/QBuffer>
#include <Qt3DCore/QEntity>
#include <Qt3DCore/QGeometry>
#include <Qt3DCore/QTransform>
#include <Qt3DExtras/QForwardRenderer>
#include <Qt3DExtras/QPlaneMesh>
#include <Qt3DExtras/QTextureMaterial>
#include <Qt3DExtras/Qt3DWindow>
#include <Qt3DRender/QCamera>
#include <Qt3DRender/QGeometryRenderer>
#include <Qt3DRender/QPaintedTextureImage>
#include <Qt3DRender/QRenderCapture>
#include <Qt3DRender/QRenderSettings>
#include <Qt3DRender/QTexture>

namespace genstereo::ui {

namespace {

constexpr int kMaxGridSide = 256;  // mesh vertices along the longer image side
// The longer side of the textures: the view is never larger than a screen, and the three
// textures of a 4000 x 2724 photo at full size hold about 130 MB of painted images, and as
// much again in their OpenGL copies (system memory under a software renderer).
constexpr int kMaxTextureSidePx = 2048;
constexpr float kDepthExtent = 0.45f;  // depth of the nearest surface, in image widths / 2
constexpr float kPairGap = 0.06f;      // gap between the two views of the pair
constexpr float kNearPlane = 0.05f;    // camera near plane (scene units)
// The Orbit slider: hundredths of a degree per pixel of a drag.
constexpr int kOrbitSliderMin = 5;
constexpr int kOrbitSliderMax = 100;
constexpr float kMovePerPixel = 0.0015f;  // scene units per pixel at distance 1
constexpr float kMinDistance = 0.3f;
constexpr float kMaxDistance = 20.0f;

}  // namespace

// A texture that shows a QImage.
class ImageTexture : public Qt3DRender::QPaintedTextureImage {
 public:
  using Qt3DRender::QPaintedTextureImage::QPaintedTextureImage;
  void setImage(const QImage& image) {
    image_ = image;
    setSize(image.size());
    update();
  }

 protected:
  void paint(QPainter* painter) override {
    painter->drawImage(QRect(QPoint(0, 0), image_.size()), image_);
  }

 private:
  QImage image_;
};

namespace {

// `image`, scaled down to kMaxTextureSidePx on its longer side when it is larger.
QImage textureImageOf(const QImage& image) {
  if (std::max(image.width(), image.height()) <= kMaxTextureSidePx) return image;
  return image.scaled(kMaxTextureSidePx, kMaxTextureSidePx, Qt::KeepAspectRatio,
                      Qt::SmoothTransformation);
}

Qt3DRender::QTexture2D* makeTexture(ImageTexture* image, Qt3DCore::QNode* parent) {
  auto* texture = new Qt3DRender::QTexture2D(parent);
  texture->addTextureImage(image);
  texture->setMinificationFilter(Qt3DRender::QAbstractTexture::Linear);
  texture->setMagnificationFilter(Qt3DRender::QAbstractTexture::Linear);
  return texture;
}

Qt3DCore::QEntity* makePlane(Qt3DCore::QEntity* parent, ImageTexture* image,
                             Qt3DCore::QTransform* transform) {
  auto* entity = new Qt3DCore::QEntity(parent);
  auto* mesh = new Qt3DExtras::QPlaneMesh(entity);
  mesh->setWidth(1.0f);
  mesh->setHeight(1.0f);
  auto* material = new Qt3DExtras::QTextureMaterial(entity);
  material->setTexture(makeTexture(image, material));
  entity->addComponent(mesh);
  entity->addComponent(material);
  entity->addComponent(transform);
  return entity;
}

}  // namespace

bool Scene3DView::canRender3D() {
  return QGuiApplication::platformName() != QLatin1String("offscreen") ||
         !qEnvironmentVariableIsEmpty("DISPLAY");
}

Scene3DView::Scene3DView(QWidget* parent) : QWidget(parent) {
  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(4, 4, 4, 4);
  auto* bar = new QHBoxLayout;
  auto* mode_label = new QLabel(tr("&Scene:"), this);
  mode_box_ = new QComboBox(this);
  mode_box_->setObjectName(QStringLiteral("sceneMode"));
  mode_box_->addItem(tr("Photo as a depth mesh"), kDepthMesh);
  mode_box_->addItem(tr("Stereo pair side by side"), kStereoPair);
  mode_label->setBuddy(mode_box_);
  auto* reset_button = new QPushButton(tr("&Reset camera"), this);
  auto* orbit_label = new QLabel(tr("&Orbit:"), this);
  orbit_slider_ = new QSlider(Qt::Horizontal, this);
  orbit_slider_->setObjectName(QStringLiteral("orbitSlider"));
  orbit_slider_->setRange(kOrbitSliderMin, kOrbitSliderMax);
  orbit_slider_->setMaximumWidth(140);
  orbit_slider_->setToolTip(tr("How far a right-drag turns the scene"));
  orbit_label->setBuddy(orbit_slider_);
  orbit_value_ = new QLabel(this);
  auto* hint = new QLabel(tr("Right-drag: orbit · left-drag: move · wheel: zoom"), this);
  hint->setWordWrap(true);
  bar->addWidget(mode_label);
  bar->addWidget(mode_box_);
  bar->addWidget(reset_button);
  bar->addSpacing(16);
  bar->addWidget(orbit_label);
  bar->addWidget(orbit_slider_);
  bar->addWidget(orbit_value_);
  bar->addSpacing(16);
  bar->addWidget(hint, 1);
  layout->addLayout(bar);

  window_ = new Qt3DExtras::Qt3DWindow;
  window_->defaultFrameGraph()->setClearColor(QColor(40, 42, 48));
  // Draw a frame only when something changed (camera, scene, a capture request).
  window_->renderSettings()->setRenderPolicy(Qt3DRender::QRenderSettings::OnDemand);
  window_->installEventFilter(this);
  capture_ = new Qt3DRender::QRenderCapture;
  window_->activeFrameGraph()->setParent(capture_);
  window_->setActiveFrameGraph(capture_);
  render_area_ = QWidget::createWindowContainer(window_, this);
  layout->addWidget(render_area_, 1);

  root_ = new Qt3DCore::QEntity;
  camera_ = window_->camera();
  camera_->lens()->setPerspectiveProjection(40.0f, 16.0f / 9.0f, kNearPlane, 100.0f);

  mesh_entity_ = new Qt3DCore::QEntity(root_);
  mesh_renderer_ = new Qt3DRender::QGeometryRenderer(mesh_entity_);
  mesh_renderer_->setPrimitiveType(Qt3DRender::QGeometryRenderer::Triangles);
  mesh_texture_ = new ImageTexture;
  auto* mesh_material = new Qt3DExtras::QTextureMaterial(mesh_entity_);
  mesh_material->setTexture(makeTexture(mesh_texture_, mesh_material));
  mesh_entity_->addComponent(mesh_renderer_);
  mesh_entity_->addComponent(mesh_material);

  pair_entity_ = new Qt3DCore::QEntity(root_);
  left_texture_ = new ImageTexture;
  right_texture_ = new ImageTexture;
  left_plane_transform_ = new Qt3DCore::QTransform;
  right_plane_transform_ = new Qt3DCore::QTransform;
  makePlane(pair_entity_, left_texture_, left_plane_transform_);
  makePlane(pair_entity_, right_texture_, right_plane_transform_);
  pair_entity_->setEnabled(false);
  mesh_entity_->setEnabled(false);
  window_->setRootEntity(root_);
  resetCamera();
  // A texture ready (uploaded) draws a frame with it.
  for (Qt3DRender::QAbstractTexture* texture :
       root_->findChildren<Qt3DRender::QAbstractTexture*>()) {
    connect(texture, &Qt3DRender::QAbstractTexture::statusChanged, this,
            [this](Qt3DRender::QAbstractTexture::Status status) {
              if (status == Qt3DRender::QAbstractTexture::Ready) requestFrame();
            });
  }

  connect(mode_box_, &QComboBox::currentIndexChanged, this, [this] { setMode(mode()); });
  connect(reset_button, &QPushButton::clicked, this, &Scene3DView::resetCamera);
  setOrbitDegreesPerPixel(AppSettings::orbitDegreesPerPixel());
  connect(orbit_slider_, &QSlider::valueChanged, this, [this](int hundredths) {
    orbit_degrees_per_px_ = hundredths / 100.0;
    orbit_value_->setText(tr("%1°/px").arg(formatDecimal(orbit_degrees_per_px_, 2)));
    AppSettings::setOrbitDegreesPerPixel(orbit_degrees_per_px_);
  });
}

QWindow* Scene3DView::window3D() const { return window_; }

bool Scene3DView::isRenderedOnDemand() const {
  return window_->renderSettings()->renderPolicy() == Qt3DRender::QRenderSettings::OnDemand;
}

bool Scene3DView::isSceneActive() const { return root_->isEnabled(); }

void Scene3DView::setOrbitDegreesPerPixel(double degrees) {
  orbit_degrees_per_px_ = std::clamp(degrees, kOrbitSliderMin / 100.0, kOrbitSliderMax / 100.0);
  const QSignalBlocker block(orbit_slider_);
  orbit_slider_->setValue(static_cast<int>(std::lround(orbit_degrees_per_px_ * 100.0)));
  orbit_value_->setText(tr("%1°/px").arg(formatDecimal(orbit_degrees_per_px_, 2)));
}

void Scene3DView::showEvent(QShowEvent* event) {
  root_->setEnabled(true);
  QWidget::showEvent(event);
}

void Scene3DView::hideEvent(QHideEvent* event) {
  root_->setEnabled(false);  // nothing to draw or to update while another tab is shown
  drag_button_ = Qt::NoButton;
  QWidget::hideEvent(event);
}

bool Scene3DView::eventFilter(QObject* watched, QEvent* event) {
  if (watched != window_) return QWidget::eventFilter(watched, event);
  switch (event->type()) {
    case QEvent::MouseButtonPress: {
      auto* mouse = static_cast<QMouseEvent*>(event);
      drag_button_ = mouse->button();
      last_mouse_px_ = mouse->position();
      return true;
    }
    case QEvent::MouseMove: {
      auto* mouse = static_cast<QMouseEvent*>(event);
      const QPointF delta = mouse->position() - last_mouse_px_;
      last_mouse_px_ = mouse->position();
      if (drag_button_ == Qt::RightButton) orbit(delta);
      if (drag_button_ == Qt::LeftButton) move(delta);
      return drag_button_ != Qt::NoButton;
    }
    case QEvent::MouseButtonRelease:
      drag_button_ = Qt::NoButton;
      return true;
    case QEvent::Wheel:
      zoom(static_cast<QWheelEvent*>(event)->angleDelta().y() / 120.0);
      return true;
    default:
      return QWidget::eventFilter(watched, event);
  }
}

void Scene3DView::orbit(QPointF delta_px) {
  const float degrees = static_cast<float>(orbit_degrees_per_px_);
  camera_->panAboutViewCenter(-static_cast<float>(delta_px.x()) * degrees,
                              QVector3D(0.0f, 1.0f, 0.0f));
  camera_->tiltAboutViewCenter(-static_cast<float>(delta_px.y()) * degrees);
}

void Scene3DView::move(QPointF delta_px) {
  const float distance = (camera_->position() - camera_->viewCenter()).length();
  const float step = kMovePerPixel * distance;
  camera_->translate(QVector3D(-static_cast<float>(delta_px.x()) * step,
                               static_cast<float>(delta_px.y()) * step, 0.0f));
}

void Scene3DView::zoom(double steps) {
  const QVector3D center = camera_->viewCenter();
  const QVector3D offset = camera_->position() - center;
  const float distance = std::clamp(offset.length() * std::pow(0.85f, static_cast<float>(steps)),
                                    kMinDistance, kMaxDistance);
  camera_->setPosition(center + offset.normalized() * distance);
}

void Scene3DView::clear() {
  mesh_vertex_count_ = 0;
  mesh_entity_->setEnabled(false);
  pair_entity_->setEnabled(false);
  // The last photo's textures are not kept while the next one is computed.
  QImage blank(1, 1, QImage::Format_RGB32);
  blank.fill(Qt::black);
  for (ImageTexture* texture : {mesh_texture_, left_texture_, right_texture_}) {
    texture->setImage(blank);
  }
}

QSize Scene3DView::textureSizePx() const { return left_texture_->size(); }

Scene3DView::Mode Scene3DView::mode() const {
  return static_cast<Mode>(mode_box_->currentData().toInt());
}

void Scene3DView::setMode(Mode mode) {
  const int index = mode_box_->findData(mode);
  if (mode_box_->currentIndex() != index) mode_box_->setCurrentIndex(index);
  const bool has_result = mesh_vertex_count_ > 0;
  mesh_entity_->setEnabled(has_result && mode == kDepthMesh);
  pair_entity_->setEnabled(has_result && mode == kStereoPair);
  resetCamera();
}

void Scene3DView::resetCamera() {
  // The mesh is seen slightly from the side so that its relief shows; the pair face on.
  camera_->setPosition(mode() == kStereoPair ? QVector3D(0.0f, 0.0f, 2.6f)
                                             : QVector3D(0.9f, 0.35f, 2.9f));
  camera_->setUpVector(QVector3D(0.0f, 1.0f, 0.0f));
  camera_->setViewCenter(QVector3D(0.0f, 0.0f, 0.0f));
}

Qt3DRender::QRenderCaptureReply* Scene3DView::requestCapture() {
  return capture_->requestCapture();
}

void Scene3DView::setResult(const EngineResultPtr& result) {
  buildMesh(*result);
  const QImage input = textureImageOf(result->input);
  mesh_texture_->setImage(input);
  left_texture_->setImage(input);
  right_texture_->setImage(textureImageOf(result->final_view));
  // The planes are 1 x 1 in X-Z; stand them up facing the camera at the image's aspect.
  const float aspect = static_cast<float>(result->input.height()) / result->input.width();
  for (auto [transform, sign] :
       {std::pair{left_plane_transform_, -1.0f}, std::pair{right_plane_transform_, 1.0f}}) {
    transform->setScale3D(QVector3D(1.0f, 1.0f, aspect));
    transform->setRotationX(90.0f);
    transform->setTranslation(QVector3D(sign * (0.5f + kPairGap / 2.0f), 0.0f, 0.0f));
  }
  setMode(mode());
  // And a few frames while a large photo's textures are painted and uploaded (single frames:
  // the idle view stays at no CPU).
  for (int delay_ms : {100, 500, 1500, 4000}) {
    QTimer::singleShot(delay_ms, this, &Scene3DView::requestFrame);
  }
}

void Scene3DView::requestFrame() {
  is_frame_nudged_ = !is_frame_nudged_;
  camera_->setNearPlane(is_frame_nudged_ ? kNearPlane * 1.000001f : kNearPlane);
}

void Scene3DView::buildMesh(const EngineResult& result) {
  const cv::Mat& disparity = result.disparity_px;
  const int width = disparity.cols;
  const int height = disparity.rows;
  const int step = std::max(1, (std::max(width, height) + kMaxGridSide - 1) / kMaxGridSide);
  // Every step-th pixel plus the last row and column.
  const int columns = (width - 1 + step - 1) / step + 1;
  const int rows = (height - 1 + step - 1) / step + 1;
  const double range = std::max(1e-6, result.disparity_max_px - result.disparity_min_px);
  const float half_height = static_cast<float>(height) / width;

  std::vector<float> vertices;
  vertices.reserve(static_cast<size_t>(columns) * rows * 5);
  for (int r = 0; r < rows; ++r) {
    const int y = std::min(r * step, height - 1);
    const float* row = disparity.ptr<float>(y);
    for (int c = 0; c < columns; ++c) {
      const int x = std::min(c * step, width - 1);
      const float u = static_cast<float>(x) / std::max(1, width - 1);
      const float v = static_cast<float>(y) / std::max(1, height - 1);
      const float near01 = static_cast<float>((row[x] - result.disparity_min_px) / range);
      vertices.insert(vertices.end(), {2.0f * u - 1.0f, half_height * (1.0f - 2.0f * v),
                                       kDepthExtent * near01, u, v});
    }
  }
  std::vector<quint32> indices;
  indices.reserve(static_cast<size_t>(columns - 1) * (rows - 1) * 6);
  for (int r = 0; r + 1 < rows; ++r) {
    for (int c = 0; c + 1 < columns; ++c) {
      const quint32 i = static_cast<quint32>(r * columns + c);
      const quint32 below = i + static_cast<quint32>(columns);
      indices.insert(indices.end(), {i, below, i + 1, i + 1, below, below + 1});
    }
  }

  QByteArray vertex_bytes(static_cast<qsizetype>(vertices.size() * sizeof(float)),
                          Qt::Uninitialized);
  std::memcpy(vertex_bytes.data(), vertices.data(), static_cast<size_t>(vertex_bytes.size()));
  QByteArray index_bytes(static_cast<qsizetype>(indices.size() * sizeof(quint32)),
                         Qt::Uninitialized);
  std::memcpy(index_bytes.data(), indices.data(), static_cast<size_t>(index_bytes.size()));

  Qt3DCore::QGeometry* old_geometry = mesh_renderer_->geometry();
  auto* geometry = new Qt3DCore::QGeometry(mesh_entity_);
  auto* vertex_buffer = new Qt3DCore::QBuffer(geometry);
  vertex_buffer->setData(vertex_bytes);
  auto* index_buffer = new Qt3DCore::QBuffer(geometry);
  index_buffer->setData(index_bytes);
  const uint stride = 5 * sizeof(float);
  const uint vertex_count = static_cast<uint>(columns * rows);
  auto* position =
      new Qt3DCore::QAttribute(vertex_buffer, Qt3DCore::QAttribute::defaultPositionAttributeName(),
                               Qt3DCore::QAttribute::Float, 3, vertex_count, 0, stride);
  auto* texcoord = new Qt3DCore::QAttribute(
      vertex_buffer, Qt3DCore::QAttribute::defaultTextureCoordinateAttributeName(),
      Qt3DCore::QAttribute::Float, 2, vertex_count, 3 * sizeof(float), stride);
  auto* index = new Qt3DCore::QAttribute(geometry);
  index->setAttributeType(Qt3DCore::QAttribute::IndexAttribute);
  index->setVertexBaseType(Qt3DCore::QAttribute::UnsignedInt);
  index->setBuffer(index_buffer);
  index->setCount(static_cast<uint>(indices.size()));
  geometry->addAttribute(position);
  geometry->addAttribute(texcoord);
  geometry->addAttribute(index);
  mesh_renderer_->setGeometry(geometry);
  delete old_geometry;
  mesh_vertex_count_ = static_cast<int>(vertex_count);
}

}  // namespace genstereo::ui
