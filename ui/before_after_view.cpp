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
  truth_button_ = new QPushButton(tr("Real right view"), this);
  truth_button_->setObjectName(QStringLiteral("truthButton"));
  truth_button_->setCheckable(true);
  truth_button_->setToolTip(
      tr("The right view stored in the stereo file (MPO or JPS), to "
         "compare the generated right view with."));
  bar->addWidget(truth_button_);
  layout->addWidget(bar_);
  view_ = new ImageView(this);
  layout->addWidget(view_, 1);
  connect(toggle_button_, &QPushButton::clicked, this, &BeforeAfterView::toggle);
  connect(truth_button_, &QPushButton::clicked, this,
          [this] { setShowingTruth(!isShowingTruth()); });
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
  if (picture_ == Picture::kAfter) view_->setImage(after_);
}

void BeforeAfterView::setTruthImage(const QImage& truth) {
  truth_ = truth;
  if (truth_.isNull() && picture_ == Picture::kTruth) picture_ = Picture::kAfter;
  refresh();
}

void BeforeAfterView::clear() {
  before_ = QImage();
  after_ = QImage();
  truth_ = QImage();
  after_caption_.clear();
  if (picture_ == Picture::kTruth) picture_ = Picture::kAfter;
  refresh();
  view_->setPlaceholder(tr("Open a photo: the original and the generated view are compared here."));
}

void BeforeAfterView::setShowingBefore(bool is_before) {
  showPicture(is_before ? Picture::kBefore : Picture::kAfter);
}

void BeforeAfterView::setShowingTruth(bool is_truth) {
  if (is_truth && truth_.isNull()) return;
  showPicture(is_truth ? Picture::kTruth : Picture::kAfter);
}

void BeforeAfterView::showPicture(Picture picture) {
  if (picture == picture_) return;
  const bool was_before = isShowingBefore();
  picture_ = picture;
  refresh();
  if (isShowingBefore() != was_before) emit toggled(isShowingBefore());
}

void BeforeAfterView::refresh() {
  switch (picture_) {
    case Picture::kBefore:
      view_->setImage(before_);
      caption_->setText(tr("<b>Before:</b> the original photo"));
      break;
    case Picture::kAfter:
      view_->setImage(after_);
      caption_->setText(after_caption_.isEmpty() ? tr("<b>After</b>") : after_caption_);
      break;
    case Picture::kTruth:
      view_->setImage(truth_);
      caption_->setText(tr("<b>Truth:</b> the real right view of the stereo file"));
      break;
  }
  toggle_button_->setText(isShowingBefore() ? tr("Show after (B)") : tr("Show before (B)"));
  toggle_button_->setEnabled(!before_.isNull() && !after_.isNull());
  truth_button_->setVisible(!truth_.isNull());
  truth_button_->setChecked(isShowingTruth());
}

}  // namespace genstereo::ui
