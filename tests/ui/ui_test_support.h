// Shared set-up of the QTest suite: settings isolated in a temporary folder, test inputs.
#pragma once

#include <functional>

#include <QImage>
#include <QString>
#include <QTemporaryDir>

namespace genstereo::ui {
class MainWindow;
}

namespace genstereo::ui::test {

// Application name, resources, and QSettings redirected into `settings_dir`.
void initTestApplication(const QTemporaryDir& settings_dir);

// resources/sample/left.png and disp_left.png of the source tree.
QString sampleImage();
QString sampleDisparity();

// Writes the sample scaled to width x height as DIR/NAME.png with its disparity (scaled
// with it) as DIR/NAME_disp.pfm; returns the image's path.
QString writeScaledSample(const QString& dir, const QString& name, int width, int height);

// Opens `image` (and `map`, when given) in `window` and waits up to a minute for the result
// on screen.
bool openAndWait(MainWindow& window, const QString& image, const QString& map = QString());

// Share of pixels whose R+G+B exceeds 30 (not black).
double nonBlackFraction(const QImage& image);

// For the screenshot programs (no QTest event loop): runs the event loop for `ms`.
void settle(int ms);
// Runs `change` and waits (60 s at most) for the window's next resultShown.
bool waitForResult(MainWindow& window, const std::function<void()>& change);
// Saves the whole screen (window manager frame included) as FOLDER/NAME (PNG) and prints its size.
void shootScreen(const QString& folder, const QString& name);

}  // namespace genstereo::ui::test
