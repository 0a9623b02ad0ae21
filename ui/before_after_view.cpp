#include "before_after_view.h"

#include <QHBoxLayout>
#include <QVBoxLayout>

namespace genstereo::ui {

BeforeAfterView::BeforeAfterView(QWidget* parent) : QWidget(parent) {
  auto* layout = new QVBoxLayout(this);
  layout->setContentsMargins(0, 0, 0, 0);
  bar_ = new QWidget(this);
  bar_->setObjectName(QStringLiteral("beforeAfterBar"));
  auto* bar = new QHBoxLayout(bar_);
  bar->setContentsMargins(6, 4, 6, 0);
  caption_ = new QLabel(this);
  caption_->setObjectName(QStringLiteral("beforeAfterCaption"));
  bar->addWidget(caption_, 1);
  toggle_button_ = new QPushButton(this);
  toggle_button_->setObjectName(QStringLiteral("beforeAfterButton"));
  toggle_button_->setToolTip(
      tr("Switch between the original photo and the generated picture (B)."));
  bar->addWidget(toggle_button_);
  layout->addWidget(bar_);
  view_ = new ImageView(this);
  layout->addWidget(view_, 1);
  connect(toggle_button_, &QPushButton::clicked, this, &BeforeAfterView::toggle);
  clear();
}

void BeforeAfterView::setImages(const QImage& before, const QImage& after,
                                const QString& after_caption) {
  const bool is_new_size = before.size() != before_.size();
  before_ = before;
  after_ = after;
  after_caption_ = after_caption;
  refresh();
  if (is_new_size) view_->sync()->fit();
}

void BeforeAfterView::setAfterImage(const QImage& after) {
  after_ = after;
  if (!is_before_) view_->setImage(after_);
}

void BeforeAfterView::clear() {
  before_ = QImage();
  after_ = QImage();
  after_caption_.clear();
  refresh();
  view_->setPlaceholder(tr("Open a photo: the original and the generated view are compared here."));
}

void BeforeAfterView::setShowingBefore(bool is_before) {
  if (is_before == is_before_) return;
  is_before_ = is_before;
  refresh();
  emit toggled(is_before_);
}

void BeforeAfterView::refresh() {
  view_->setImage(is_before_ ? before_ : after_);
  caption_->setText(is_before_ ? tr("<b>Before:</b> the original photo")
                               : (after_caption_.isEmpty() ? tr("<b>After</b>") : after_caption_));
  toggle_button_->setText(is_before_ ? tr("Show after (B)") : tr("Show before (B)"));
  toggle_button_->setEnabled(!before_.isNull() && !after_.isNull());
}

}  // namespace genstereo::ui
