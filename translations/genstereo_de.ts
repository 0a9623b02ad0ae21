<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="de_DE">
<context>
    <name>ExportFormat</name>
    <message>
        <source>Anaglyph red-cyan (Dubois)</source>
        <translation>Anaglyphe Rot-Cyan (Dubois)</translation>
    </message>
    <message>
        <source>Anaglyph red-cyan (colour)</source>
        <translation>Anaglyphe Rot-Cyan (Farbe)</translation>
    </message>
    <message>
        <source>Anaglyph red-cyan (grey)</source>
        <translation>Anaglyphe Rot-Cyan (Grau)</translation>
    </message>
    <message>
        <source>Side by side (full width)</source>
        <translation>Nebeneinander (volle Breite)</translation>
    </message>
    <message>
        <source>Side by side (half width)</source>
        <translation>Nebeneinander (halbe Breite)</translation>
    </message>
    <message>
        <source>Top-bottom (full height)</source>
        <translation>Übereinander (volle Höhe)</translation>
    </message>
    <message>
        <source>Top-bottom (half height)</source>
        <translation>Übereinander (halbe Höhe)</translation>
    </message>
    <message>
        <source>Cross-eyed (right | left)</source>
        <translation>Kreuzblick (rechts | links)</translation>
    </message>
    <message>
        <source>Left and right images</source>
        <translation>Linkes und rechtes Bild</translation>
    </message>
    <message>
        <source>MPO (3D camera JPEG)</source>
        <translation>MPO (3D-Kamera-JPEG)</translation>
    </message>
    <message>
        <source>JPS (stereo JPEG)</source>
        <translation>JPS (Stereo-JPEG)</translation>
    </message>
    <message>
        <source>Disparity map (PFM)</source>
        <translation>Disparitätskarte (PFM)</translation>
    </message>
    <message>
        <source>Row-interleaved (passive 3D monitors and TVs)</source>
        <translation>Zeilenweise verschachtelt (passive 3D-Monitore und -Fernseher)</translation>
    </message>
    <message>
        <source>Column-interleaved (passive 3D monitors)</source>
        <translation>Spaltenweise verschachtelt (passive 3D-Monitore)</translation>
    </message>
    <message>
        <source>Checkerboard (DLP projectors)</source>
        <translation>Schachbrett (DLP-Projektoren)</translation>
    </message>
</context>
<context>
    <name>ExportOverwrite</name>
    <message>
        <source>Replace them?</source>
        <translation>Ersetzen?</translation>
    </message>
    <message>
        <source>Replace Files?</source>
        <translation>Dateien ersetzen?</translation>
    </message>
    <message>
        <source>&amp;Replace</source>
        <translation>&amp;Ersetzen</translation>
    </message>
    <message numerus="yes">
        <source>%n file(s) of this export exist already in %1:</source>
        <translation>
            <numerusform>%n Datei dieses Exports existiert bereits in %1:</numerusform>
            <numerusform>%n Dateien dieses Exports existieren bereits in %1:</numerusform>
        </translation>
    </message>
    <message>
        <source>Export cancelled: nothing was written, the existing files in %1 are unchanged.</source>
        <translation>Export abgebrochen: Nichts wurde geschrieben, die vorhandenen Dateien in %1 sind unverändert.</translation>
    </message>
</context>
<context>
    <name>EyeLabels</name>
    <message>
        <source>Right view generated in %1 s.</source>
        <translation>Rechte Ansicht in %1 s erzeugt.</translation>
    </message>
    <message>
        <source>Left view generated in %1 s.</source>
        <translation>Linke Ansicht in %1 s erzeugt.</translation>
    </message>
    <message>
        <source>Left and right views generated in %1 s.</source>
        <translation>Linke und rechte Ansicht in %1 s erzeugt.</translation>
    </message>
    <message>
        <source>Right view generated in %1 s (depth estimated from the photo).</source>
        <translation>Rechte Ansicht in %1 s erzeugt (Tiefe aus dem Foto geschätzt).</translation>
    </message>
    <message>
        <source>Left view generated in %1 s (depth estimated from the photo).</source>
        <translation>Linke Ansicht in %1 s erzeugt (Tiefe aus dem Foto geschätzt).</translation>
    </message>
    <message>
        <source>Left and right views generated in %1 s (depth estimated from the photo).</source>
        <translation>Linke und rechte Ansicht in %1 s erzeugt (Tiefe aus dem Foto geschätzt).</translation>
    </message>
    <message>
        <source>Synthesising the right view</source>
        <translation>Rechte Ansicht wird synthetisiert</translation>
    </message>
    <message>
        <source>Synthesising the left view</source>
        <translation>Linke Ansicht wird synthetisiert</translation>
    </message>
    <message>
        <source>Synthesising the left and right views</source>
        <translation>Linke und rechte Ansicht werden synthetisiert</translation>
    </message>
    <message>
        <source>Input (left view)</source>
        <translation>Eingabe (linke Ansicht)</translation>
    </message>
    <message>
        <source>Input (right view)</source>
        <translation>Eingabe (rechte Ansicht)</translation>
    </message>
    <message>
        <source>Input (centre view)</source>
        <translation>Eingabe (mittlere Ansicht)</translation>
    </message>
    <message>
        <source>Final right view</source>
        <translation>Fertige rechte Ansicht</translation>
    </message>
    <message>
        <source>Final left view</source>
        <translation>Fertige linke Ansicht</translation>
    </message>
    <message>
        <source>Final right view (the left one: stereo preview)</source>
        <translation>Fertige rechte Ansicht (die linke: Stereo-Vorschau)</translation>
    </message>
    <message>
        <source>&lt;b&gt;After:&lt;/b&gt; the generated right view</source>
        <translation>&lt;b&gt;Nachher:&lt;/b&gt; die erzeugte rechte Ansicht</translation>
    </message>
    <message>
        <source>&lt;b&gt;After:&lt;/b&gt; the generated left view</source>
        <translation>&lt;b&gt;Nachher:&lt;/b&gt; die erzeugte linke Ansicht</translation>
    </message>
    <message>
        <source>&lt;b&gt;After:&lt;/b&gt; the generated right view (of both)</source>
        <translation>&lt;b&gt;Nachher:&lt;/b&gt; die erzeugte rechte Ansicht (von beiden)</translation>
    </message>
    <message>
        <source>
Disparity (left view): %1 px</source>
        <translation>
Disparität (linke Ansicht): %1 px</translation>
    </message>
    <message>
        <source>
Disparity (right view): %1 px</source>
        <translation>
Disparität (rechte Ansicht): %1 px</translation>
    </message>
    <message>
        <source>
Disparity (centre view): %1 px</source>
        <translation>
Disparität (mittlere Ansicht): %1 px</translation>
    </message>
    <message>
        <source>
Mask (right view): warped</source>
        <translation>
Maske (rechte Ansicht): verschoben</translation>
    </message>
    <message>
        <source>
Mask (left view): warped</source>
        <translation>
Maske (linke Ansicht): verschoben</translation>
    </message>
    <message>
        <source>
Mask (right view): hole, filled</source>
        <translation>
Maske (rechte Ansicht): Loch, gefüllt</translation>
    </message>
    <message>
        <source>
Mask (left view): hole, filled</source>
        <translation>
Maske (linke Ansicht): Loch, gefüllt</translation>
    </message>
    <message>
        <source>
Fusion weight (right view): %1</source>
        <translation>
Fusionsgewicht (rechte Ansicht): %1</translation>
    </message>
    <message>
        <source>
Fusion weight (left view): %1</source>
        <translation>
Fusionsgewicht (linke Ansicht): %1</translation>
    </message>
</context>
<context>
    <name>ModelWeights</name>
    <message>
        <source>GenStereo weights missing (see Preferences)</source>
        <translation>GenStereo-Gewichte fehlen (siehe Einstellungen)</translation>
    </message>
    <message>
        <source>missing: %1</source>
        <translation>fehlt: %1</translation>
    </message>
    <message>
        <source>Diffusion engine: the GenStereo %1 weights are in %2.</source>
        <translation>Diffusions-Engine: Die GenStereo-%1-Gewichte liegen in %2.</translation>
    </message>
    <message>
        <source>Diffusion engine: not ready. %1</source>
        <translation>Diffusions-Engine: nicht bereit. %1</translation>
    </message>
    <message>
        <source>Depth model for photos without a map: %1.</source>
        <translation>Tiefenmodell für Fotos ohne Karte: %1.</translation>
    </message>
    <message>
        <source>Depth model for photos without a map: none. %1</source>
        <translation>Tiefenmodell für Fotos ohne Karte: keines. %1</translation>
    </message>
    <message>
        <source>The weight-free engine needs no weights.</source>
        <translation>Die gewichtsfreie Engine braucht keine Gewichte.</translation>
    </message>
    <message>
        <source>v1.5 (512 px)</source>
        <translation>v1.5 (512 px)</translation>
    </message>
    <message>
        <source>v2.1 (768 px)</source>
        <translation>v2.1 (768 px)</translation>
    </message>
    <message>
        <source>%1 (missing; from %2)</source>
        <translation>%1 (fehlt; Quelle: %2)</translation>
    </message>
    <message>
        <source>%1 (invalid: %2)</source>
        <translation>%1 (ungültig: %2)</translation>
    </message>
    <message>
        <source>invalid: %1</source>
        <translation>ungültig: %1</translation>
    </message>
    <message>
        <source>No models folder is set.</source>
        <translation>Kein Modellordner festgelegt.</translation>
    </message>
    <message>
        <source>This build has no depth model (built without LibTorch).</source>
        <translation>Dieser Build hat kein Tiefenmodell (ohne LibTorch gebaut).</translation>
    </message>
    <message>
        <source>Not in %1: %2 (from %3)</source>
        <translation>Nicht in %1: %2 (Quelle: %3)</translation>
    </message>
</context>
<context>
    <name>Presets</name>
    <message>
        <source>Paper defaults</source>
        <translation>Wie in der Veröffentlichung</translation>
    </message>
    <message>
        <source>Comfortable</source>
        <translation>Angenehm</translation>
    </message>
    <message>
        <source>Strong 3D</source>
        <translation>Starkes 3D</translation>
    </message>
</context>
<context>
    <name>ProgressEstimate</name>
    <message>
        <source>Tile %1 of %2, step %3 of %4</source>
        <translation>Kachel %1 von %2, Schritt %3 von %4</translation>
    </message>
</context>
<context>
    <name>genstereo::ui::BeforeAfterView</name>
    <message>
        <source>Switch between the original photo and the generated picture (B).</source>
        <translation>Zwischen dem Originalfoto und dem erzeugten Bild umschalten (B).</translation>
    </message>
    <message>
        <source>Open a photo: the original and the generated view are compared here.</source>
        <translation>Öffnen Sie ein Foto: Hier werden das Original und die erzeugte Ansicht verglichen.</translation>
    </message>
    <message>
        <source>&lt;b&gt;Before:&lt;/b&gt; the original photo</source>
        <translation>&lt;b&gt;Vorher:&lt;/b&gt; das Originalfoto</translation>
    </message>
    <message>
        <source>&lt;b&gt;After&lt;/b&gt;</source>
        <translation>&lt;b&gt;Nachher&lt;/b&gt;</translation>
    </message>
    <message>
        <source>Show after (B)</source>
        <translation>Nachher zeigen (B)</translation>
    </message>
    <message>
        <source>Show before (B)</source>
        <translation>Vorher zeigen (B)</translation>
    </message>
    <message>
        <source>Real right view</source>
        <translation>Echte rechte Ansicht</translation>
    </message>
    <message>
        <source>The right view stored in the stereo file (MPO or JPS), to compare the generated right view with.</source>
        <translation>Die in der Stereodatei (MPO oder JPS) gespeicherte rechte Ansicht, zum Vergleich mit der erzeugten rechten Ansicht.</translation>
    </message>
    <message>
        <source>&lt;b&gt;Truth:&lt;/b&gt; the real right view of the stereo file</source>
        <translation>&lt;b&gt;Referenz:&lt;/b&gt; die echte rechte Ansicht der Stereodatei</translation>
    </message>
</context>
<context>
    <name>genstereo::ui::ComfortControls</name>
    <message>
        <source>Comfort</source>
        <translation>Sehkomfort</translation>
    </message>
    <message>
        <source>Nearest and farthest on-screen parallax as a percentage of the width (1st and 99th percentiles of the disparity); negative is in front of the screen.</source>
        <translation>Nächste und fernste Parallaxe auf dem Bildschirm in Prozent der Breite (1. und 99. Perzentil der Disparität); negativ liegt vor dem Bildschirm.</translation>
    </message>
    <message>
        <source>Parallax:</source>
        <translation>Parallaxe:</translation>
    </message>
    <message>
        <source>&amp;Auto convergence</source>
        <translation>Au&amp;tomatische Konvergenz</translation>
    </message>
    <message>
        <source>Put the screen plane through a percentile of the disparity.</source>
        <translation>Die Bildschirmebene durch ein Perzentil der Disparität legen.</translation>
    </message>
    <message>
        <source> th percentile</source>
        <translation>. Perzentil</translation>
    </message>
    <message>
        <source>0 puts the farthest surface on the screen, 100 the nearest; 50 (the median) gives the smallest parallax on average.</source>
        <translation>0 legt die fernste Fläche auf den Bildschirm, 100 die nächste; 50 (der Median) ergibt im Mittel die kleinste Parallaxe.</translation>
    </message>
    <message>
        <source>Screen &amp;plane at:</source>
        <translation>Bildschir&amp;mebene:</translation>
    </message>
    <message>
        <source>Keep the border on the screen</source>
        <translation>Rand auf dem Bildschirm</translation>
    </message>
    <message>
        <source>Crop to the stereo window</source>
        <translation>Auf Stereofenster zuschneiden</translation>
    </message>
    <message>
        <source>Fill the strip</source>
        <translation>Streifen füllen</translation>
    </message>
    <message>
        <source>The strip at the side where no pixel of the photo reaches.</source>
        <translation>Der Streifen am seitlichen Rand, den kein Pixel des Fotos erreicht.</translation>
    </message>
    <message>
        <source>&amp;Border:</source>
        <translation>&amp;Rand:</translation>
    </message>
    <message>
        <source>near %1, far %2, range %3 of the width</source>
        <translation>nah %1, fern %2, Spanne %3 der Breite</translation>
    </message>
    <message>
        <source>Uncomfortable: %1</source>
        <translation>Unangenehm: %1</translation>
    </message>
    <message>
        <source>not measured yet</source>
        <translation>noch nicht gemessen</translation>
    </message>
    <message>
        <source>P&amp;ick screen plane</source>
        <translation>Bildschirmebene &amp;wählen</translation>
    </message>
    <message>
        <source> %</source>
        <translation> %</translation>
    </message>
    <message>
        <source>none</source>
        <translation>keine</translation>
    </message>
    <message>
        <source>Parallax &amp;limit:</source>
        <translation>Parall&amp;axengrenze:</translation>
    </message>
    <message>
        <source>Screen plane at pixel (%1, %2) of the photo</source>
        <translation>Bildschirmebene bei Pixel (%1, %2) des Fotos</translation>
    </message>
    <message>
        <source>baseline narrowed to %1 × by the limit</source>
        <translation>Basis durch die Grenze auf %1 × verkleinert</translation>
    </message>
    <message>
        <source>Then click a point of the photo in the Input or Disparity view (Inspect tab) or in the stereo preview: it goes on the screen plane, marked with a cross. Ctrl+click there does the same at any time.</source>
        <translation>Dann einen Punkt des Fotos in der Eingabe- oder Disparitätsansicht (Reiter Untersuchen) oder in der Stereo-Vorschau anklicken: Er kommt auf die Bildschirmebene und wird mit einem Kreuz markiert. Strg+Klick dort tut jederzeit dasselbe.</translation>
    </message>
    <message>
        <source>parallax range %1 of the width exceeds the comfort limit of %2 (1/30 rule)</source>
        <translation>Parallaxenbereich %1 der Breite überschreitet die Komfortgrenze von %2 (1/30-Regel)</translation>
    </message>
    <message>
        <source>parallax behind the screen %1 of the width exceeds %2 (eyes diverge on screens wider than 2.5 m)</source>
        <translation>Parallaxe hinter dem Bildschirm %1 der Breite überschreitet %2 (die Augen divergieren auf Bildschirmen über 2,5 m Breite)</translation>
    </message>
    <message>
        <source>outside the comfort range</source>
        <translation>außerhalb des Komfortbereichs</translation>
    </message>
    <message>
        <source>A ceiling on the depth: the baseline is narrowed (never widened) so that the parallax range stays within this share of the width; 3 % keeps the pair inside the 1/30 comfort rule. The baseline scale shows the baseline in effect; &quot;none&quot; lets it go past the ceiling.</source>
        <translation>Eine Obergrenze für die Tiefe: Die Basis wird verkleinert (nie vergrößert), sodass der Parallaxenbereich innerhalb dieses Anteils der Breite bleibt; 3 % halten das Paar innerhalb der 1/30-Komfortregel. Der Basis-Faktor zeigt die wirksame Basis; „keine“ lässt sie über die Obergrenze hinausgehen.</translation>
    </message>
</context>
<context>
    <name>genstereo::ui::ControlsPanel</name>
    <message>
        <source>Engine</source>
        <translation>Engine</translation>
    </message>
    <message>
        <source>Weight-free (warp + fill)</source>
        <translation>Gewichtsfrei (Verschiebung + Füllung)</translation>
    </message>
    <message>
        <source>Diffusion (unavailable: %1)</source>
        <translation>Diffusion (nicht verfügbar: %1)</translation>
    </message>
    <message>
        <source>&amp;Live preview</source>
        <translation>&amp;Live-Vorschau</translation>
    </message>
    <message>
        <source>Geometry</source>
        <translation>Geometrie</translation>
    </message>
    <message>
        <source>Disparity (pixels)</source>
        <translation>Disparität (Pixel)</translation>
    </message>
    <message>
        <source>Inverse depth (larger = nearer)</source>
        <translation>Inverse Tiefe (größer = näher)</translation>
    </message>
    <message>
        <source>Metric depth (larger = farther)</source>
        <translation>Metrische Tiefe (größer = weiter)</translation>
    </message>
    <message>
        <source>&amp;Map holds:</source>
        <translation>&amp;Karte enthält:</translation>
    </message>
    <message>
        <source> % of width</source>
        <translation> % der Breite</translation>
    </message>
    <message>
        <source>Depth maps: disparity of the nearest point (official GenStereo: 15 %).</source>
        <translation>Tiefenkarten: Disparität des nächsten Punkts (offizielles GenStereo: 15 %).</translation>
    </message>
    <message>
        <source>Ma&amp;x disparity:</source>
        <translation>Ma&amp;x. Disparität:</translation>
    </message>
    <message>
        <source>&amp;Baseline scale:</source>
        <translation>&amp;Basis-Faktor:</translation>
    </message>
    <message>
        <source>Screen plane as a fraction of the largest disparity: 0 puts the farthest point on the screen, 1 the nearest.</source>
        <translation>Bildschirmebene als Anteil der größten Disparität: 0 legt den fernsten Punkt auf den Bildschirm, 1 den nächsten.</translation>
    </message>
    <message>
        <source>&amp;Convergence:</source>
        <translation>K&amp;onvergenz:</translation>
    </message>
    <message>
        <source>Diffusion</source>
        <translation>Diffusion</translation>
    </message>
    <message>
        <source>Sampling &amp;steps:</source>
        <translation>Sampling-&amp;Schritte:</translation>
    </message>
    <message>
        <source>&amp;Guidance:</source>
        <translation>&amp;Guidance:</translation>
    </message>
    <message>
        <source>&amp;Reset controls</source>
        <translation>Einstellungen &amp;zurücksetzen</translation>
    </message>
    <message>
        <source>%1 ×</source>
        <translation>%1 ×</translation>
    </message>
    <message>
        <source>&amp;Engine:</source>
        <translation>&amp;Engine:</translation>
    </message>
    <message>
        <source>See&amp;d:</source>
        <translation>See&amp;d:</translation>
    </message>
    <message>
        <source>GenStereo weights not checked yet</source>
        <translation>GenStereo-Gewichte noch nicht geprüft</translation>
    </message>
    <message>
        <source>Diffusion (%1)</source>
        <translation>Diffusion (%1)</translation>
    </message>
    <message>
        <source>The GenStereo diffusion model fills what the photo does not show. A run takes minutes on a CPU: it starts on Generate (F5) only, live preview is paused.</source>
        <translation>Das GenStereo-Diffusionsmodell ergänzt, was das Foto nicht zeigt. Ein Lauf dauert auf einer CPU Minuten: Er startet nur mit Erzeugen (F5), die Live-Vorschau pausiert.</translation>
    </message>
    <message>
        <source>The diffusion engine needs the GenStereo weights (see File &gt; Preferences and README.md, &quot;Model weights&quot;): %1.</source>
        <translation>Die Diffusions-Engine benötigt die GenStereo-Gewichte (siehe Datei &gt; Einstellungen und README.md, „Model weights“): %1.</translation>
    </message>
    <message>
        <source>A diffusion run takes minutes on a CPU: change the settings, then press Generate (F5).</source>
        <translation>Ein Diffusionslauf dauert auf einer CPU Minuten: Einstellungen ändern, dann Erzeugen (F5) drücken.</translation>
    </message>
    <message>
        <source>Used by the diffusion engine (choose it above).</source>
        <translation>Von der Diffusions-Engine verwendet (oben auswählen).</translation>
    </message>
    <message>
        <source>Paused for the diffusion engine: a run takes minutes on a CPU; press Generate (F5).</source>
        <translation>Pausiert für die Diffusions-Engine: Ein Lauf dauert auf einer CPU Minuten; Erzeugen (F5) drücken.</translation>
    </message>
    <message>
        <source>Presets</source>
        <translation>Voreinstellungen</translation>
    </message>
    <message>
        <source>View synthesis</source>
        <translation>Ansichtssynthese</translation>
    </message>
    <message>
        <source>Right (photo = left view)</source>
        <translation>Rechts (Foto = linke Ansicht)</translation>
    </message>
    <message>
        <source>The photo is the left view; the right view is made (as the paper).</source>
        <translation>Das Foto ist die linke Ansicht; die rechte Ansicht wird erzeugt (wie in der Veröffentlichung).</translation>
    </message>
    <message>
        <source>Left (photo = right view)</source>
        <translation>Links (Foto = rechte Ansicht)</translation>
    </message>
    <message>
        <source>The photo is the right view; the left view is made.</source>
        <translation>Das Foto ist die rechte Ansicht; die linke Ansicht wird erzeugt.</translation>
    </message>
    <message>
        <source>Both (photo = centre)</source>
        <translation>Beide (Foto = Mitte)</translation>
    </message>
    <message>
        <source>The photo is the centre; both views are made with half the disparity each way (smaller holes on each side).</source>
        <translation>Das Foto ist die Mitte; beide Ansichten werden mit der halben Disparität in jede Richtung erzeugt (kleinere Löcher auf jeder Seite).</translation>
    </message>
    <message>
        <source>E&amp;ye:</source>
        <translation>A&amp;uge:</translation>
    </message>
    <message>
        <source>Sub-pixel</source>
        <translation>Subpixel</translation>
    </message>
    <message>
        <source>Exact positions, linear interpolation along the row (quality default).</source>
        <translation>Exakte Positionen, lineare Interpolation entlang der Zeile (Standard für beste Qualität).</translation>
    </message>
    <message>
        <source>Whole pixels (official)</source>
        <translation>Ganze Pixel (offiziell)</translation>
    </message>
    <message>
        <source>The official GenStereo warp: rounded disparities.</source>
        <translation>Die offizielle GenStereo-Verschiebung: gerundete Disparitäten.</translation>
    </message>
    <message>
        <source>&amp;Warp:</source>
        <translation>Vers&amp;chiebung:</translation>
    </message>
    <message>
        <source>Background (disparity-guided)</source>
        <translation>Hintergrund (disparitätsgeführt)</translation>
    </message>
    <message>
        <source>Holes take the surface behind the object that uncovered them.</source>
        <translation>Löcher übernehmen die Fläche hinter dem Objekt, das sie freigelegt hat.</translation>
    </message>
    <message>
        <source>Naive (nearest pixel)</source>
        <translation>Naiv (nächstes Pixel)</translation>
    </message>
    <message>
        <source>Copies the nearest valid pixel on the background side of the row.</source>
        <translation>Kopiert das nächste gültige Pixel auf der Hintergrundseite der Zeile.</translation>
    </message>
    <message>
        <source>Telea (OpenCV)</source>
        <translation>Telea (OpenCV)</translation>
    </message>
    <message>
        <source>OpenCV&apos;s Telea inpainting, blind to depth.</source>
        <translation>Telea-Inpainting von OpenCV, ohne Rücksicht auf die Tiefe.</translation>
    </message>
    <message>
        <source>None (holes stay black)</source>
        <translation>Keine (Löcher bleiben schwarz)</translation>
    </message>
    <message>
        <source>No fill: shows where the photo has no pixels for the new view.</source>
        <translation>Keine Füllung: zeigt, wo das Foto keine Pixel für die neue Ansicht hat.</translation>
    </message>
    <message>
        <source>F&amp;ill:</source>
        <translation>&amp;Füllung:</translation>
    </message>
    <message>
        <source> px</source>
        <translation> px</translation>
    </message>
    <message>
        <source>Seam blend width between the warped view and the fill (0 = hard mask).</source>
        <translation>Breite der Überblendung an der Naht zwischen verschobener Ansicht und Füllung (0 = harte Maske).</translation>
    </message>
    <message>
        <source>&amp;Feather:</source>
        <translation>&amp;Überblendung:</translation>
    </message>
    <message>
        <source>Depth shaping</source>
        <translation>Tiefenformung</translation>
    </message>
    <message>
        <source>More (&gt; 0) or less (&lt; 0) pop-out of near objects; the nearest and the farthest point keep their disparity.</source>
        <translation>Nahe Objekte treten mehr (&gt; 0) oder weniger (&lt; 0) hervor; der nächste und der fernste Punkt behalten ihre Disparität.</translation>
    </message>
    <message>
        <source>F&amp;oreground:</source>
        <translation>&amp;Vordergrund:</translation>
    </message>
    <message>
        <source>Grow near surfaces by this much over the background against halos at depth edges.</source>
        <translation>Nahe Flächen um diesen Betrag über den Hintergrund ausdehnen, gegen Halos an Tiefenkanten.</translation>
    </message>
    <message>
        <source>Edge &amp;dilation:</source>
        <translation>Kantener&amp;weiterung:</translation>
    </message>
    <message>
        <source> %</source>
        <translation> %</translation>
    </message>
    <message>
        <source>to</source>
        <translation>bis</translation>
    </message>
    <message>
        <source>Clip depth to these percentiles and renormalise (e.g. 1 to 99 drops a few far sky pixels that would flatten the scene).</source>
        <translation>Tiefe auf diese Perzentile begrenzen und neu normieren (z. B. verwirft 1 bis 99 einige ferne Himmelspixel, die die Szene sonst abflachen würden).</translation>
    </message>
    <message>
        <source>C&amp;lip:</source>
        <translation>Ka&amp;ppen:</translation>
    </message>
    <message>
        <source>Applies to depth maps (given or estimated); this photo has a disparity map.</source>
        <translation>Gilt für Tiefenkarten (geladen oder geschätzt); dieses Foto hat eine Disparitätskarte.</translation>
    </message>
    <message>
        <source>DDIM (the paper, 50 steps)</source>
        <translation>DDIM (wie in der Veröffentlichung, 50 Schritte)</translation>
    </message>
    <message>
        <source>The paper&apos;s sampler; 50 steps.</source>
        <translation>Der Sampler der Veröffentlichung; 50 Schritte.</translation>
    </message>
    <message>
        <source>DPM-Solver++ 2M (20-25 steps)</source>
        <translation>DPM-Solver++ 2M (20–25 Schritte)</translation>
    </message>
    <message>
        <source>A multistep solver: 20-25 steps give what DDIM gives in 50.</source>
        <translation>Ein Mehrschrittverfahren: 20–25 Schritte ergeben, was DDIM in 50 ergibt.</translation>
    </message>
    <message>
        <source>DPM-Solver++ 2M Karras</source>
        <translation>DPM-Solver++ 2M Karras</translation>
    </message>
    <message>
        <source>DPM-Solver++ 2M on Karras sigmas.</source>
        <translation>DPM-Solver++ 2M mit Karras-Sigmas.</translation>
    </message>
    <message>
        <source>Euler</source>
        <translation>Euler</translation>
    </message>
    <message>
        <source>Euler discrete sampler.</source>
        <translation>Diskreter Euler-Sampler.</translation>
    </message>
    <message>
        <source>Sa&amp;mpler:</source>
        <translation>Sa&amp;mpler:</translation>
    </message>
    <message>
        <source>Full resolution in &amp;tiles</source>
        <translation>Volle Auflösung in &amp;Kacheln</translation>
    </message>
    <message>
        <source>Generate a photo larger than the model size patch by patch at full resolution (the official tiled script; minutes per patch on a CPU) instead of at model size with the holes upsampled.</source>
        <translation>Ein Foto, das größer als die Modellgröße ist, Kachel für Kachel in voller Auflösung erzeugen (wie das offizielle Kachel-Skript; Minuten pro Kachel auf einer CPU), statt in Modellgröße mit hochskalierten Löchern.</translation>
    </message>
    <message>
        <source>Share of a patch its neighbour overlaps (official: 0.5).</source>
        <translation>Anteil einer Kachel, den ihre Nachbarin überlappt (offiziell: 0,5).</translation>
    </message>
    <message>
        <source>Tile o&amp;verlap:</source>
        <translation>Kachelüber&amp;lappung:</translation>
    </message>
    <message>
        <source>The screen plane is set by auto convergence or a picked point (Comfort group): turn Auto convergence off to set it here.</source>
        <translation>Die Bildschirmebene wird durch die automatische Konvergenz oder einen gewählten Punkt bestimmt (Gruppe „Sehkomfort“): Schalten Sie die automatische Konvergenz aus, um sie hier einzustellen.</translation>
    </message>
    <message>
        <source>Recompute the new view while the sliders move (weight-free engine; a diffusion run takes minutes on a CPU and runs on Generate (F5) only).</source>
        <translation>Die neue Ansicht neu berechnen, während die Regler bewegt werden (gewichtsfreie Engine; ein Diffusionslauf dauert auf einer CPU Minuten und läuft nur mit Erzeugen (F5)).</translation>
    </message>
    <message>
        <source>Off (official)</source>
        <translation>Aus (offiziell)</translation>
    </message>
    <message>
        <source>Cross-fade each seam between patches over this many pixels instead of a hard cut: hides a change of tone between patches. Off gives the official result.</source>
        <translation>Jede Naht zwischen den Kacheln über so viele Pixel überblenden statt hart zu schneiden: verbirgt einen Tonwechsel zwischen Kacheln. Aus ergibt das offizielle Ergebnis.</translation>
    </message>
    <message>
        <source>Seam feat&amp;her:</source>
        <translation>&amp;Nahtüberblendung:</translation>
    </message>
    <message>
        <source>Multiplies every disparity: a wider or narrower stereo baseline. It shows the baseline in effect: when the parallax limit (Comfort) narrows it, the slider stands at the narrowed value. Moving it takes the baseline in hand from there and turns the limit off, as --baseline-scale does in genstereo-cli generate.</source>
        <translation>Multipliziert jede Disparität: eine breitere oder schmalere Stereobasis. Der Regler zeigt die wirksame Basis: Wenn die Parallaxengrenze (Sehkomfort) sie verkleinert, steht er auf dem verkleinerten Wert. Wird er bewegt, übernimmt er die Basis von dort aus und schaltet die Grenze aus, wie --baseline-scale in genstereo-cli generate.</translation>
    </message>
    <message>
        <source>&amp;Auto</source>
        <translation>&amp;Auto</translation>
    </message>
    <message>
        <source>Auto convergence: put the screen plane through a percentile of the disparity (Comfort group); the slider then shows where it went.</source>
        <translation>Automatische Konvergenz: die Bildschirmebene durch ein Perzentil der Disparität legen (Gruppe „Sehkomfort“); der Regler zeigt dann, wo sie liegt.</translation>
    </message>
    <message>
        <source>Limited to %1 × by the parallax limit of %2 % (you chose %3 ×). Moving the slider sets the baseline from here and turns the limit off.</source>
        <translation>Durch die Parallaxengrenze von %2 % auf %1 × begrenzt (gewählt: %3 ×). Wird der Regler bewegt, gilt die Basis von hier aus und die Grenze wird ausgeschaltet.</translation>
    </message>
    <message>
        <source>Applies to the Background fill only: the other fills are used as they are, so the feather would not change the result.</source>
        <translation>Gilt nur für die Füllung „Hintergrund“: Die anderen Füllungen werden unverändert verwendet, die Überblendung würde das Ergebnis also nicht ändern.</translation>
    </message>
</context>
<context>
    <name>genstereo::ui::ConversionQueue</name>
    <message>
        <source>Not enough memory to convert &apos;%1&apos;.</source>
        <translation>Nicht genug Speicher, um „%1“ zu konvertieren.</translation>
    </message>
    <message>
        <source>Skipped: %1 exists (not overwritten).</source>
        <translation>Übersprungen: %1 existiert (nicht überschrieben).</translation>
    </message>
    <message>
        <source>%1 frames at %2 fps (%3 of %4 segments reused)</source>
        <translation>%1 Bilder mit %2 fps (%3 von %4 Segmenten wiederverwendet)</translation>
    </message>
    <message>
        <source>%1 x %2 pixels in %3 s</source>
        <translation>%1 × %2 Pixel in %3 s</translation>
    </message>
    <message>
        <source>Waiting</source>
        <translation>Wartet</translation>
    </message>
    <message>
        <source>Running</source>
        <translation>Läuft</translation>
    </message>
    <message>
        <source>Paused</source>
        <translation>Pausiert</translation>
    </message>
    <message>
        <source>Done</source>
        <translation>Fertig</translation>
    </message>
    <message>
        <source>Skipped</source>
        <translation>Übersprungen</translation>
    </message>
    <message>
        <source>Failed</source>
        <translation>Fehlgeschlagen</translation>
    </message>
    <message>
        <source>Cancelled</source>
        <translation>Abgebrochen</translation>
    </message>
    <message>
        <source>%1: the folder holds no video or photo.</source>
        <translation>%1: Der Ordner enthält weder Videos noch Fotos.</translation>
    </message>
    <message>
        <source>%1: no such file or folder.</source>
        <translation>%1: Datei oder Ordner nicht gefunden.</translation>
    </message>
    <message>
        <source>%1: neither a video (mp4, mkv, mov, webm, ...) nor a photo (png, jpg, tif, webp, bmp).</source>
        <translation>%1: weder ein Video (mp4, mkv, mov, webm, ...) noch ein Foto (png, jpg, tif, webp, bmp).</translation>
    </message>
    <message>
        <source>Cancelled; its work folder was removed.</source>
        <translation>Abgebrochen; der Arbeitsordner wurde entfernt.</translation>
    </message>
    <message>
        <source>Paused; Resume goes on from the finished segments.</source>
        <translation>Pausiert; „Fortsetzen“ macht nach den fertigen Segmenten weiter.</translation>
    </message>
    <message>
        <source>Paused; Resume starts the photo again.</source>
        <translation>Pausiert; „Fortsetzen“ beginnt das Foto von vorn.</translation>
    </message>
</context>
<context>
    <name>genstereo::ui::ConversionQueueDock</name>
    <message>
        <source>Videos and photos (%1);;Videos (%2);;Photos (%3);;All files (*)</source>
        <translation>Videos und Fotos (%1);;Videos (%2);;Fotos (%3);;Alle Dateien (*)</translation>
    </message>
    <message>
        <source>Conversion queue</source>
        <translation>Konvertierungswarteschlange</translation>
    </message>
    <message>
        <source>Add files…</source>
        <translation>Dateien hinzufügen …</translation>
    </message>
    <message>
        <source>Add videos and photos with the window&apos;s current settings</source>
        <translation>Videos und Fotos mit den aktuellen Einstellungen des Fensters hinzufügen</translation>
    </message>
    <message>
        <source>Add folder…</source>
        <translation>Ordner hinzufügen …</translation>
    </message>
    <message>
        <source>Add the videos and photos of a folder with the current settings</source>
        <translation>Die Videos und Fotos eines Ordners mit den aktuellen Einstellungen hinzufügen</translation>
    </message>
    <message>
        <source>Pause</source>
        <translation>Pausieren</translation>
    </message>
    <message>
        <source>Stop the selected items; Resume goes on where they stopped (also after the application was closed)</source>
        <translation>Die ausgewählten Einträge anhalten; „Fortsetzen“ macht dort weiter, wo sie angehalten wurden (auch nach dem Schließen der Anwendung)</translation>
    </message>
    <message>
        <source>Resume</source>
        <translation>Fortsetzen</translation>
    </message>
    <message>
        <source>Run the selected paused, failed or cancelled items</source>
        <translation>Die ausgewählten pausierten, fehlgeschlagenen oder abgebrochenen Einträge ausführen</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Abbrechen</translation>
    </message>
    <message>
        <source>Stop the selected items and delete their work folders</source>
        <translation>Die ausgewählten Einträge anhalten und ihre Arbeitsordner löschen</translation>
    </message>
    <message>
        <source>Remove</source>
        <translation>Entfernen</translation>
    </message>
    <message>
        <source>Take the selected items off the list</source>
        <translation>Die ausgewählten Einträge aus der Liste nehmen</translation>
    </message>
    <message>
        <source>Copy as command line</source>
        <translation>Als Befehlszeile kopieren</translation>
    </message>
    <message>
        <source>Copy the genstereo-cli command that converts the selected items</source>
        <translation>Den genstereo-cli-Befehl kopieren, der die ausgewählten Einträge konvertiert</translation>
    </message>
    <message>
        <source>Open output folder</source>
        <translation>Ausgabeordner öffnen</translation>
    </message>
    <message>
        <source>Show the output folder of the selected item</source>
        <translation>Den Ausgabeordner des ausgewählten Eintrags anzeigen</translation>
    </message>
    <message>
        <source>Settings:</source>
        <translation>Einstellungen:</translation>
    </message>
    <message>
        <source>What files are added with: the window&apos;s current controls, or a preset applied to them</source>
        <translation>Womit Dateien hinzugefügt werden: mit den aktuellen Einstellungen des Fensters oder mit einer darauf angewendeten Voreinstellung</translation>
    </message>
    <message>
        <source>Not added:
%1</source>
        <translation>Nicht hinzugefügt:
%1</translation>
    </message>
    <message>
        <source>Current controls</source>
        <translation>Aktuelle Einstellungen</translation>
    </message>
    <message>
        <source>Add to the conversion queue</source>
        <translation>Zur Konvertierungswarteschlange hinzufügen</translation>
    </message>
    <message>
        <source>Add a folder to the conversion queue</source>
        <translation>Einen Ordner zur Konvertierungswarteschlange hinzufügen</translation>
    </message>
</context>
<context>
    <name>genstereo::ui::ConversionQueueModel</name>
    <message>
        <source>%1 h %2 min</source>
        <translation>%1 h %2 min</translation>
    </message>
    <message>
        <source>%1 min %2 s</source>
        <translation>%1 min %2 s</translation>
    </message>
    <message>
        <source>%1 s</source>
        <translation>%1 s</translation>
    </message>
    <message>
        <source>depth</source>
        <translation>Tiefe</translation>
    </message>
    <message>
        <source>stereo</source>
        <translation>Stereo</translation>
    </message>
    <message>
        <source>joining</source>
        <translation>Zusammenfügen</translation>
    </message>
    <message>
        <source>photo</source>
        <translation>Foto</translation>
    </message>
    <message>
        <source>starting</source>
        <translation>startet</translation>
    </message>
    <message>
        <source>%1 %2 / %3</source>
        <translation>%1 %2 / %3</translation>
    </message>
    <message>
        <source>%1 fps</source>
        <translation>%1 fps</translation>
    </message>
    <message>
        <source>File</source>
        <translation>Datei</translation>
    </message>
    <message>
        <source>State</source>
        <translation>Zustand</translation>
    </message>
    <message>
        <source>Progress</source>
        <translation>Fortschritt</translation>
    </message>
    <message>
        <source>Speed</source>
        <translation>Tempo</translation>
    </message>
    <message>
        <source>Time left</source>
        <translation>Restzeit</translation>
    </message>
    <message>
        <source>Output</source>
        <translation>Ausgabe</translation>
    </message>
</context>
<context>
    <name>genstereo::ui::EngineController</name>
    <message>
        <source>Waiting for the engine…</source>
        <translation>Warten auf die Engine …</translation>
    </message>
</context>
<context>
    <name>genstereo::ui::EngineWorker</name>
    <message>
        <source>Preparing the disparity</source>
        <translation>Disparität wird vorbereitet</translation>
    </message>
    <message>
        <source>Preparing the views</source>
        <translation>Ansichten werden vorbereitet</translation>
    </message>
    <message>
        <source>Not enough memory for an image of this size.</source>
        <translation>Nicht genug Speicher für ein Bild dieser Größe.</translation>
    </message>
    <message>
        <source>Estimating depth…</source>
        <translation>Tiefe wird geschätzt…</translation>
    </message>
    <message>
        <source>Denoising step %1 of %2</source>
        <translation>Entrauschungsschritt %1 von %2</translation>
    </message>
    <message>
        <source>Loading the models…</source>
        <translation>Modelle werden geladen…</translation>
    </message>
    <message>
        <source>Decoding the generated view</source>
        <translation>Erzeugte Ansicht wird dekodiert</translation>
    </message>
    <message>
        <source>Depth of the frame&apos;s temporal window: frame %1 of %2</source>
        <translation>Tiefe des zeitlichen Fensters des Bildes: Bild %1 von %2</translation>
    </message>
    <message>
        <source>Rendering the frame after its temporal warm-up</source>
        <translation>Bild wird nach seinem zeitlichen Vorlauf gerendert</translation>
    </message>
    <message>
        <source>Not enough memory for a frame of this size.</source>
        <translation>Nicht genug Speicher für ein Videobild dieser Größe.</translation>
    </message>
    <message>
        <source>%1 (%2x%3) was resized to the photo&apos;s %4x%5</source>
        <translation>%1 (%2x%3) wurde auf die Größe des Fotos (%4x%5) gebracht</translation>
    </message>
    <message>
        <source>%1, its disparities scaled by the width ratio</source>
        <translation>%1, die Disparitäten im Verhältnis der Breiten skaliert</translation>
    </message>
    <message>
        <source>Disparities of %1 beyond the image width (%2 % of the valid pixels, largest %3 px, for a map %4 px wide): those pixels leave the picture; is the map&apos;s scale right?</source>
        <translation>Disparitäten von %1 jenseits der Bildbreite (%2 % der gültigen Pixel, größte %3 px, bei einer %4 px breiten Karte): diese Pixel verlassen das Bild; stimmt der Maßstab der Karte?</translation>
    </message>
    <message>
        <source>bfloat16 on this CPU (no AVX512-BF16 or AMX-BF16) is emulated and will be slow; the automatic precision picks float32 here</source>
        <translation>bfloat16 wird auf dieser CPU (ohne AVX512-BF16 oder AMX-BF16) emuliert und ist langsam; die automatische Genauigkeit wählt hier float32</translation>
    </message>
</context>
<context>
    <name>genstereo::ui::ExportDialog</name>
    <message>
        <source>Export Stereo Pair</source>
        <translation>Stereopaar exportieren</translation>
    </message>
    <message>
        <source>Formats</source>
        <translation>Formate</translation>
    </message>
    <message>
        <source>Select &amp;all</source>
        <translation>&amp;Alle auswählen</translation>
    </message>
    <message>
        <source>Select &amp;none</source>
        <translation>&amp;Keine auswählen</translation>
    </message>
    <message>
        <source>…</source>
        <translation>…</translation>
    </message>
    <message>
        <source>Choose the folder</source>
        <translation>Ordner wählen</translation>
    </message>
    <message>
        <source>&amp;Folder:</source>
        <translation>&amp;Ordner:</translation>
    </message>
    <message>
        <source>Export Folder</source>
        <translation>Exportordner</translation>
    </message>
    <message>
        <source>File names start with this name, followed by the format&apos;s tag.</source>
        <translation>Dateinamen beginnen mit diesem Namen, gefolgt von der Kennung des Formats.</translation>
    </message>
    <message>
        <source>&amp;Base name:</source>
        <translation>&amp;Basisname:</translation>
    </message>
    <message>
        <source>Image type of single-image formats and of the pair (MPO and JPS are always JPEG).</source>
        <translation>Bildtyp der Einzelbild-Formate und des Paars (MPO und JPS sind immer JPEG).</translation>
    </message>
    <message>
        <source>&amp;Image type:</source>
        <translation>Bild&amp;typ:</translation>
    </message>
    <message>
        <source>&amp;JPEG quality:</source>
        <translation>&amp;JPEG-Qualität:</translation>
    </message>
    <message>
        <source>Name files with the tags VR players recognise (_LRF_Full_SBS, _3dh, …)</source>
        <translation>Dateien mit den Kennungen benennen, die VR-Player erkennen (_LRF_Full_SBS, _3dh, …)</translation>
    </message>
    <message>
        <source>&amp;Export</source>
        <translation>&amp;Exportieren</translation>
    </message>
</context>
<context>
    <name>genstereo::ui::FullScreenPreview</name>
    <message>
        <source>GenStereo — full-screen preview</source>
        <translation>GenStereo — Vollbild-Vorschau</translation>
    </message>
    <message>
        <source>F11 or Esc: leave full screen · B: before/after</source>
        <translation>F11 oder Esc: Vollbild verlassen · B: vorher/nachher</translation>
    </message>
    <message>
        <source>&lt;b&gt;After:&lt;/b&gt; the stereo preview · F11 or Esc leaves</source>
        <translation>&lt;b&gt;Nachher:&lt;/b&gt; die Stereo-Vorschau · F11 oder Esc beendet</translation>
    </message>
</context>
<context>
    <name>genstereo::ui::InputLoader</name>
    <message>
        <source>Not enough memory to read &apos;%1&apos;.</source>
        <translation>Nicht genug Speicher, um „%1“ zu lesen.</translation>
    </message>
</context>
<context>
    <name>genstereo::ui::InspectionPanel</name>
    <message>
        <source>Disparity</source>
        <translation>Disparität</translation>
    </message>
    <message>
        <source>Warped view</source>
        <translation>Verschobene Ansicht</translation>
    </message>
    <message>
        <source>Occlusion mask (white = hole)</source>
        <translation>Verdeckungsmaske (weiß = Loch)</translation>
    </message>
    <message>
        <source>Fusion weights</source>
        <translation>Fusionsgewichte</translation>
    </message>
    <message>
        <source>Generated view before fusion</source>
        <translation>Erzeugte Ansicht vor der Fusion</translation>
    </message>
    <message>
        <source>0: generated</source>
        <translation>0: erzeugt</translation>
    </message>
    <message>
        <source>1: warped</source>
        <translation>1: verschoben</translation>
    </message>
    <message>
        <source>Open a photo (File &gt; Open, drag and drop) or the sample (Help &gt; Open sample).</source>
        <translation>Öffnen Sie ein Foto (Datei &gt; Öffnen, Ziehen und Ablegen) oder das Beispiel (Hilfe &gt; Beispiel öffnen).</translation>
    </message>
    <message>
        <source>%1 px (far)</source>
        <translation>%1 px (fern)</translation>
    </message>
    <message>
        <source>%1 px (near)</source>
        <translation>%1 px (nah)</translation>
    </message>
</context>
<context>
    <name>genstereo::ui::MainWindow</name>
    <message>
        <source>GenStereo</source>
        <translation>GenStereo</translation>
    </message>
    <message>
        <source>&amp;Inspect</source>
        <translation>&amp;Untersuchen</translation>
    </message>
    <message>
        <source>Stereo &amp;preview</source>
        <translation>Stereo-&amp;Vorschau</translation>
    </message>
    <message>
        <source>&amp;3D</source>
        <translation>&amp;3D</translation>
    </message>
    <message>
        <source>Cancelled; the last result stays in place.</source>
        <translation>Abgebrochen; das letzte Ergebnis bleibt erhalten.</translation>
    </message>
    <message>
        <source>Cancelled.</source>
        <translation>Abgebrochen.</translation>
    </message>
    <message numerus="yes">
        <source>Exported %n file(s).</source>
        <translation>
            <numerusform>%n Datei exportiert.</numerusform>
            <numerusform>%n Dateien exportiert.</numerusform>
        </translation>
    </message>
    <message>
        <source>Controls</source>
        <translation>Einstellungen</translation>
    </message>
    <message>
        <source>Pixel inspector</source>
        <translation>Pixel-Inspektor</translation>
    </message>
    <message>
        <source>Point at an inspection view.</source>
        <translation>Zeigen Sie auf eine Untersuchungsansicht.</translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation>&amp;Datei</translation>
    </message>
    <message>
        <source>&amp;Open…</source>
        <translation>Ö&amp;ffnen …</translation>
    </message>
    <message>
        <source>Open &amp;Disparity/Depth…</source>
        <translation>&amp;Disparität/Tiefe öffnen …</translation>
    </message>
    <message>
        <source>Ctrl+D</source>
        <translation>Ctrl+D</translation>
    </message>
    <message>
        <source>Open &amp;Recent</source>
        <translation>&amp;Zuletzt geöffnet</translation>
    </message>
    <message>
        <source>&amp;Export…</source>
        <translation>&amp;Exportieren …</translation>
    </message>
    <message>
        <source>Ctrl+E</source>
        <translation>Ctrl+E</translation>
    </message>
    <message>
        <source>&amp;Preferences…</source>
        <translation>Ein&amp;stellungen …</translation>
    </message>
    <message>
        <source>Ctrl+,</source>
        <translation>Ctrl+,</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>&amp;Beenden</translation>
    </message>
    <message>
        <source>E&amp;ngine</source>
        <translation>E&amp;ngine</translation>
    </message>
    <message>
        <source>&amp;Generate</source>
        <translation>&amp;Erzeugen</translation>
    </message>
    <message>
        <source>&amp;Cancel</source>
        <translation>&amp;Abbrechen</translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation>&amp;Ansicht</translation>
    </message>
    <message>
        <source>&amp;Inspection Views</source>
        <translation>&amp;Untersuchungsansichten</translation>
    </message>
    <message>
        <source>Stereo &amp;Preview</source>
        <translation>Stereo-&amp;Vorschau</translation>
    </message>
    <message>
        <source>&amp;3D View</source>
        <translation>&amp;3D-Ansicht</translation>
    </message>
    <message>
        <source>Zoom &amp;In</source>
        <translation>Ver&amp;größern</translation>
    </message>
    <message>
        <source>Ctrl+=</source>
        <translation>Ctrl+=</translation>
    </message>
    <message>
        <source>Zoom &amp;Out</source>
        <translation>Ver&amp;kleinern</translation>
    </message>
    <message>
        <source>&amp;Fit in Window</source>
        <translation>In Fenster ein&amp;passen</translation>
    </message>
    <message>
        <source>Ctrl+0</source>
        <translation>Ctrl+0</translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation>&amp;Hilfe</translation>
    </message>
    <message>
        <source>Open &amp;Sample</source>
        <translation>&amp;Beispiel öffnen</translation>
    </message>
    <message>
        <source>Ctrl+Shift+O</source>
        <translation>Ctrl+Shift+O</translation>
    </message>
    <message>
        <source>&amp;About GenStereo</source>
        <translation>&amp;Über GenStereo</translation>
    </message>
    <message>
        <source>Main</source>
        <translation>Hauptleiste</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Abbrechen</translation>
    </message>
    <message>
        <source>Stop the run after the current step (Esc)</source>
        <translation>Den Lauf nach dem aktuellen Schritt anhalten (Esc)</translation>
    </message>
    <message>
        <source>The bundled sample (share/genstereo/sample/left.png) is not installed.</source>
        <translation>Das mitgelieferte Beispiel (share/genstereo/sample/left.png) ist nicht installiert.</translation>
    </message>
    <message>
        <source>Reading %1…</source>
        <translation>%1 wird gelesen …</translation>
    </message>
    <message>
        <source>Open a photo first, then its disparity or depth map.</source>
        <translation>Öffnen Sie zuerst ein Foto, dann seine Disparitäts- oder Tiefenkarte.</translation>
    </message>
    <message>
        <source>Open Disparity or Depth Map</source>
        <translation>Disparitäts- oder Tiefenkarte öffnen</translation>
    </message>
    <message>
        <source>Disparity or depth maps (%1);;All files (*)</source>
        <translation>Disparitäts- oder Tiefenkarten (%1);;Alle Dateien (*)</translation>
    </message>
    <message>
        <source>&amp;%1 %2</source>
        <translation>&amp;%1 %2</translation>
    </message>
    <message>
        <source>No recent photos</source>
        <translation>Keine zuletzt geöffneten Fotos</translation>
    </message>
    <message>
        <source>&amp;Clear List</source>
        <translation>Liste &amp;leeren</translation>
    </message>
    <message>
        <source>%1 — GenStereo</source>
        <translation>%1 — GenStereo</translation>
    </message>
    <message>
        <source>%1 × %2</source>
        <translation>%1 × %2</translation>
    </message>
    <message>
        <source>%1 (%2) opened without a map.</source>
        <translation>%1 (%2) ohne Karte geöffnet.</translation>
    </message>
    <message>
        <source>Generating…</source>
        <translation>Wird erzeugt …</translation>
    </message>
    <message>
        <source>%1 (%2) with %3.</source>
        <translation>%1 (%2) mit %3.</translation>
    </message>
    <message>
        <source>Last run %1 s · %2 × %3 · %4 % occluded</source>
        <translation>Letzter Lauf %1 s · %2 × %3 · %4 % verdeckt</translation>
    </message>
    <message>
        <source> · about %1 s left</source>
        <translation> · noch etwa %1 s</translation>
    </message>
    <message>
        <source>Waiting for the engine…</source>
        <translation>Warten auf die Engine …</translation>
    </message>
    <message>
        <source>Pixel x %1, y %2
Colour (0–255): %3, %4, %5</source>
        <translation>Pixel x %1, y %2
Farbe (0–255): %3, %4, %5</translation>
    </message>
    <message>
        <source>Exporting to %1…</source>
        <translation>Export nach %1 …</translation>
    </message>
    <message>
        <source>Preferences</source>
        <translation>Einstellungen</translation>
    </message>
    <message>
        <source>The new language applies when GenStereo starts again.</source>
        <translation>Die neue Sprache gilt ab dem nächsten Start von GenStereo.</translation>
    </message>
    <message>
        <source>About GenStereo</source>
        <translation>Über GenStereo</translation>
    </message>
    <message>
        <source>Error: %1</source>
        <translation>Fehler: %1</translation>
    </message>
    <message>
        <source>The 3D view needs an OpenGL display; it is not available on this platform (%1).</source>
        <translation>Die 3D-Ansicht braucht eine OpenGL-Anzeige; auf dieser Plattform (%1) ist sie nicht verfügbar.</translation>
    </message>
    <message>
        <source>Press Generate (F5) to run the diffusion engine.</source>
        <translation>Erzeugen (F5) drücken, um die Diffusions-Engine zu starten.</translation>
    </message>
    <message>
        <source>%1 (%2) without a map: its depth is estimated with %3.</source>
        <translation>%1 (%2) ohne Karte: Die Tiefe wird mit %3 geschätzt.</translation>
    </message>
    <message>
        <source>Estimating depth…</source>
        <translation>Tiefe wird geschätzt…</translation>
    </message>
    <message>
        <source>GenStereo %1</source>
        <translation>GenStereo %1</translation>
    </message>
    <message>
        <source>Diffusion engine: live preview is paused (a run takes minutes on a CPU); press Generate (F5) to run it.</source>
        <translation>Diffusions-Engine: Die Live-Vorschau ist pausiert (ein Lauf dauert auf einer CPU Minuten); Erzeugen (F5) startet ihn.</translation>
    </message>
    <message>
        <source>&lt;h3&gt;GenStereo %1&lt;/h3&gt;&lt;p&gt;Turns one photo into a stereo pair: the photo is warped by its disparity, the holes are filled from the background and blended into the right view (weight-free engine), or generated by the GenStereo diffusion model (diffusion engine). Photos without a map get their depth from Depth Anything V2.&lt;/p&gt;&lt;p&gt;Based on &lt;i&gt;Towards Open-World Generation of Stereo Images and Unsupervised Matching&lt;/i&gt; (ICCV 2025).&lt;/p&gt;</source>
        <translation>&lt;h3&gt;GenStereo %1&lt;/h3&gt;&lt;p&gt;Macht aus einem Foto ein Stereopaar: Das Foto wird um seine Disparität verschoben, die Löcher werden aus dem Hintergrund gefüllt und in die rechte Ansicht überblendet (gewichtsfreie Engine) oder vom GenStereo-Diffusionsmodell erzeugt (Diffusions-Engine). Fotos ohne Karte erhalten ihre Tiefe von Depth Anything V2.&lt;/p&gt;&lt;p&gt;Nach &lt;i&gt;Towards Open-World Generation of Stereo Images and Unsupervised Matching&lt;/i&gt; (ICCV 2025).&lt;/p&gt;</translation>
    </message>
    <message>
        <source>%1 · %2 s</source>
        <translation>%1 · %2 s</translation>
    </message>
    <message>
        <source>Note: %1</source>
        <translation>Hinweis: %1</translation>
    </message>
    <message>
        <source>&amp;Before/after</source>
        <translation>Vo&amp;rher/nachher</translation>
    </message>
    <message>
        <source>&lt;b&gt;Welcome to GenStereo.&lt;/b&gt; Open a photo or a video with File &gt; Open… (Ctrl+O) or drop it onto the window; Help &gt; Open Sample (Ctrl+Shift+O) shows a photo with its disparity map.</source>
        <translation>&lt;b&gt;Willkommen bei GenStereo.&lt;/b&gt; Öffnen Sie ein Foto oder ein Video mit Datei &gt; Öffnen … (Strg+O) oder ziehen Sie es auf das Fenster; Hilfe &gt; Beispiel öffnen (Strg+Umschalt+O) zeigt ein Foto mit seiner Disparitätskarte.</translation>
    </message>
    <message>
        <source>Export cancelled: the run failed.</source>
        <translation>Export abgebrochen: Der Lauf ist fehlgeschlagen.</translation>
    </message>
    <message>
        <source>Export cancelled; nothing was written.</source>
        <translation>Export abgebrochen; nichts wurde geschrieben.</translation>
    </message>
    <message>
        <source>Wiggle written to %1.</source>
        <translation>Wackelbild nach %1 geschrieben.</translation>
    </message>
    <message>
        <source>Export &amp;Wiggle…</source>
        <translation>&amp;Wackelbild exportieren …</translation>
    </message>
    <message>
        <source>Ctrl+Shift+E</source>
        <translation>Ctrl+Shift+E</translation>
    </message>
    <message>
        <source>&amp;Models…</source>
        <translation>&amp;Modelle …</translation>
    </message>
    <message>
        <source>Copy as Command &amp;Line</source>
        <translation>Als &amp;Befehlszeile kopieren</translation>
    </message>
    <message>
        <source>Ctrl+Shift+C</source>
        <translation>Ctrl+Shift+C</translation>
    </message>
    <message>
        <source>The genstereo-cli generate call for this photo and these controls.</source>
        <translation>Der Aufruf „genstereo-cli generate“ für dieses Foto und diese Einstellungen.</translation>
    </message>
    <message>
        <source>&amp;Before/After</source>
        <translation>Vorher/&amp;nachher</translation>
    </message>
    <message>
        <source>Toggle Before/After</source>
        <translation>Vorher/nachher umschalten</translation>
    </message>
    <message>
        <source>F&amp;ull-Screen Preview</source>
        <translation>Vo&amp;llbild-Vorschau</translation>
    </message>
    <message>
        <source>&amp;Swap Eyes</source>
        <translation>Augen &amp;tauschen</translation>
    </message>
    <message>
        <source>Ctrl+Shift+X</source>
        <translation>Ctrl+Shift+X</translation>
    </message>
    <message>
        <source>Exchange the left and right views in the previews and exports.</source>
        <translation>Linke und rechte Ansicht in den Vorschauen und Exporten vertauschen.</translation>
    </message>
    <message>
        <source>Ready.</source>
        <translation>Bereit.</translation>
    </message>
    <message>
        <source>&lt;b&gt;No disparity or depth map.&lt;/b&gt; &lt;a href=&quot;genstereo:download-depth&quot;&gt;Estimate depth: download Depth Anything V2 Small (Apache-2.0, ~100 MB)&lt;/a&gt; &amp;nbsp;·&amp;nbsp; &lt;a href=&quot;genstereo:open-map&quot;&gt;or open a disparity/depth map&lt;/a&gt;&lt;br&gt;&lt;small&gt;%1&lt;/small&gt;</source>
        <translation>&lt;b&gt;Keine Disparitäts- oder Tiefenkarte.&lt;/b&gt; &lt;a href=&quot;genstereo:download-depth&quot;&gt;Tiefe schätzen: Depth Anything V2 Small herunterladen (Apache-2.0, ca. 100 MB)&lt;/a&gt; &amp;nbsp;·&amp;nbsp; &lt;a href=&quot;genstereo:open-map&quot;&gt;oder eine Disparitäts-/Tiefenkarte öffnen&lt;/a&gt;&lt;br&gt;&lt;small&gt;%1&lt;/small&gt;</translation>
    </message>
    <message>
        <source>No map yet: see the bar above.</source>
        <translation>Noch keine Karte: siehe die Leiste oben.</translation>
    </message>
    <message>
        <source>Live preview %1 × %2 · %3 s</source>
        <translation>Live-Vorschau %1 × %2 · %3 s</translation>
    </message>
    <message>
        <source>Export waits for: %1</source>
        <translation>Export wartet auf: %1</translation>
    </message>
    <message>
        <source>Eyes swapped: previews and exports show the right view to the left eye.</source>
        <translation>Augen vertauscht: Vorschauen und Exporte zeigen dem linken Auge die rechte Ansicht.</translation>
    </message>
    <message>
        <source>Eyes as generated.</source>
        <translation>Augen wie erzeugt.</translation>
    </message>
    <message>
        <source>Open a photo first.</source>
        <translation>Öffnen Sie zuerst ein Foto.</translation>
    </message>
    <message>
        <source>Writing the wiggle to %1…</source>
        <translation>Wackelbild wird nach %1 geschrieben …</translation>
    </message>
    <message>
        <source>Screen plane at pixel (%1, %2) of the photo.</source>
        <translation>Bildschirmebene bei Pixel (%1, %2) des Fotos.</translation>
    </message>
    <message>
        <source>Click the point of the photo to put on the screen plane (Input or Disparity view, or the stereo preview).</source>
        <translation>Den Punkt des Fotos anklicken, der auf die Bildschirmebene soll (Eingabe- oder Disparitätsansicht oder die Stereo-Vorschau).</translation>
    </message>
    <message>
        <source>Open Photo or Video</source>
        <translation>Foto oder Video öffnen</translation>
    </message>
    <message>
        <source>Images and videos (%1 %2);;Images (%1);;Videos (%2);;All files (*)</source>
        <translation>Bilder und Videos (%1 %2);;Bilder (%1);;Videos (%2);;Alle Dateien (*)</translation>
    </message>
    <message>
        <source>Copied; it writes into the photo&apos;s folder %1 (edit -o to change): %2</source>
        <translation>Kopiert; der Befehl schreibt in den Ordner des Fotos %1 (zum Ändern -o anpassen): %2</translation>
    </message>
    <message>
        <source>This video has no per-frame maps and no depth model was found: install one with Models… (Depth Anything V2 Small is enough), or open a folder of per-frame maps with Open Map.</source>
        <translation>Dieses Video hat keine Karten pro Bild, und es wurde kein Tiefenmodell gefunden: Installieren Sie eines mit „Modelle …“ (Depth Anything V2 Small genügt) oder öffnen Sie mit „Disparität/Tiefe öffnen“ einen Ordner mit Karten pro Bild.</translation>
    </message>
    <message>
        <source>No depth for this video yet.</source>
        <translation>Für dieses Video gibt es noch keine Tiefe.</translation>
    </message>
    <message>
        <source>frame %1 at %2</source>
        <translation>Bild %1 bei %2</translation>
    </message>
    <message>
        <source>Rendering %1 with its temporal window…</source>
        <translation>%1 wird mit seinem zeitlichen Fenster gerendert …</translation>
    </message>
    <message>
        <source>%1: release the scrubber to render it.</source>
        <translation>%1: Zum Rendern den Zeitschieber loslassen.</translation>
    </message>
    <message>
        <source>&amp;Conversion Queue</source>
        <translation>Konvertierungs&amp;warteschlange</translation>
    </message>
    <message>
        <source>Ctrl+Shift+Q</source>
        <translation>Ctrl+Shift+Q</translation>
    </message>
    <message>
        <source>%1 added to the conversion queue.</source>
        <translation>%1 zur Konvertierungswarteschlange hinzugefügt.</translation>
    </message>
    <message>
        <source>
Real right view (0–255): %1, %2, %3</source>
        <translation>
Echte rechte Ansicht (0–255): %1, %2, %3</translation>
    </message>
</context>
<context>
    <name>genstereo::ui::ModelsDialog</name>
    <message>
        <source>see the model card</source>
        <translation>siehe Modellkarte</translation>
    </message>
    <message>
        <source>%1 (non-commercial)</source>
        <translation>%1 (nicht kommerziell)</translation>
    </message>
    <message>
        <source>present</source>
        <translation>vorhanden</translation>
    </message>
    <message>
        <source>missing</source>
        <translation>fehlt</translation>
    </message>
    <message>
        <source>invalid</source>
        <translation>ungültig</translation>
    </message>
    <message>
        <source>models folder</source>
        <translation>Modellordner</translation>
    </message>
    <message>
        <source>Hugging Face cache</source>
        <translation>Hugging-Face-Cache</translation>
    </message>
    <message>
        <source>%1 h %2 min</source>
        <translation>%1 h %2 min</translation>
    </message>
    <message>
        <source>%1 min %2 s</source>
        <translation>%1 min %2 s</translation>
    </message>
    <message>
        <source>%1 s</source>
        <translation>%1 s</translation>
    </message>
    <message>
        <source>Models</source>
        <translation>Modelle</translation>
    </message>
    <message>
        <source>Non-commercial licence</source>
        <translation>Nicht kommerzielle Lizenz</translation>
    </message>
    <message>
        <source>Open &amp;Folder</source>
        <translation>&amp;Ordner öffnen</translation>
    </message>
    <message>
        <source>File</source>
        <translation>Datei</translation>
    </message>
    <message>
        <source>State</source>
        <translation>Zustand</translation>
    </message>
    <message>
        <source>Where</source>
        <translation>Ort</translation>
    </message>
    <message>
        <source>Size</source>
        <translation>Größe</translation>
    </message>
    <message>
        <source>Licence</source>
        <translation>Lizenz</translation>
    </message>
    <message>
        <source>&amp;Download</source>
        <translation>&amp;Herunterladen</translation>
    </message>
    <message>
        <source>&amp;Cancel Download</source>
        <translation>Herunterladen &amp;abbrechen</translation>
    </message>
    <message>
        <source>Model:</source>
        <translation>Modell:</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>Schließen</translation>
    </message>
    <message>
        <source>Models folder: %1</source>
        <translation>Modellordner: %1</translation>
    </message>
    <message>
        <source>%1
from %2 (%3)</source>
        <translation>%1
Quelle: %2 (%3)</translation>
    </message>
    <message>
        <source>%1 (%2, from %3)</source>
        <translation>%1 (%2, Quelle: %3)</translation>
    </message>
    <message>
        <source>These files are licensed for non-commercial use only:

%1

Download them for non-commercial use? (Depth Anything V2 Small, Apache-2.0, allows commercial use.)</source>
        <translation>Diese Dateien sind nur für die nicht kommerzielle Nutzung lizenziert:

%1

Für die nicht kommerzielle Nutzung herunterladen? (Depth Anything V2 Small, Apache-2.0, erlaubt die kommerzielle Nutzung.)</translation>
    </message>
    <message>
        <source>Download of %1 not started: licence not accepted.</source>
        <translation>Herunterladen von %1 nicht gestartet: Lizenz nicht akzeptiert.</translation>
    </message>
    <message>
        <source>Downloading %1 (about %2)…</source>
        <translation>%1 wird heruntergeladen (etwa %2) …</translation>
    </message>
    <message>
        <source>File %1 of %2: %3 — %4 of %5, %6/s, %7 left</source>
        <translation>Datei %1 von %2: %3 — %4 von %5, %6/s, noch %7</translation>
    </message>
    <message>
        <source>?</source>
        <translation>?</translation>
    </message>
    <message>
        <source>Download complete; every file was verified.</source>
        <translation>Herunterladen abgeschlossen; jede Datei wurde geprüft.</translation>
    </message>
    <message>
        <source>Cancelling…</source>
        <translation>Wird abgebrochen …</translation>
    </message>
    <message>
        <source>&amp;Details…</source>
        <translation>&amp;Details …</translation>
    </message>
    <message>
        <source>The technical text of the error (for a bug report).</source>
        <translation>Der technische Text des Fehlers (für einen Fehlerbericht).</translation>
    </message>
    <message>
        <source>Download error</source>
        <translation>Fehler beim Herunterladen</translation>
    </message>
    <message>
        <source>Download cancelled.</source>
        <translation>Herunterladen abgebrochen.</translation>
    </message>
    <message>
        <source>No file manager could be opened. The models folder is:
%1</source>
        <translation>Es konnte kein Dateimanager geöffnet werden. Der Modellordner ist:
%1</translation>
    </message>
    <message>
        <source>Downloads are switched off (HF_HUB_OFFLINE is set). Unset it, or copy %1 into %2.</source>
        <translation>Herunterladen ist ausgeschaltet (HF_HUB_OFFLINE ist gesetzt). Entfernen Sie die Variable oder kopieren Sie %1 nach %2.</translation>
    </message>
    <message>
        <source>The server could not be reached. Check the internet connection or the proxy (HTTPS_PROXY), then download again: it resumes. Or copy %1 into %2.</source>
        <translation>Der Server ist nicht erreichbar. Prüfen Sie die Internetverbindung oder den Proxy (HTTPS_PROXY) und laden Sie dann erneut herunter: Das Herunterladen wird fortgesetzt. Oder kopieren Sie %1 nach %2.</translation>
    </message>
    <message>
        <source>The server refused %1 (HTTP %2). Check the proxy or the access token, or copy the file into %3.</source>
        <translation>Der Server hat %1 abgelehnt (HTTP %2). Prüfen Sie den Proxy oder das Zugriffstoken oder kopieren Sie die Datei nach %3.</translation>
    </message>
    <message>
        <source>%1 arrived damaged or is not the expected file; it was not kept. Download again, or copy a good copy into %2.</source>
        <translation>%1 ist beschädigt angekommen oder nicht die erwartete Datei; sie wurde nicht behalten. Laden Sie sie erneut herunter oder kopieren Sie eine intakte Kopie nach %2.</translation>
    </message>
    <message>
        <source>Not enough free disk space for %1 in %2.</source>
        <translation>Nicht genug freier Speicherplatz für %1 in %2.</translation>
    </message>
    <message>
        <source>%1 cannot be written into %2 (permissions?). Choose another models folder in the Preferences.</source>
        <translation>%1 kann nicht nach %2 geschrieben werden (Berechtigungen?). Wählen Sie in den Einstellungen einen anderen Modellordner.</translation>
    </message>
    <message>
        <source>The download settings cannot be used (the access token?).</source>
        <translation>Die Einstellungen zum Herunterladen sind nicht verwendbar (das Zugriffstoken?).</translation>
    </message>
    <message>
        <source>The download failed. Check the connection or the proxy, or copy the files into %1.</source>
        <translation>Das Herunterladen ist fehlgeschlagen. Prüfen Sie die Verbindung oder den Proxy oder kopieren Sie die Dateien nach %1.</translation>
    </message>
    <message>
        <source>Stop the Download?</source>
        <translation>Herunterladen anhalten?</translation>
    </message>
    <message>
        <source>A download is running. Stop it and close the dialog? &quot;No&quot; keeps it running here.</source>
        <translation>Ein Download läuft. Anhalten und den Dialog schließen? „Nein“ lässt ihn hier weiterlaufen.</translation>
    </message>
</context>
<context>
    <name>genstereo::ui::PreferencesDialog</name>
    <message>
        <source>Preferences</source>
        <translation>Einstellungen</translation>
    </message>
    <message>
        <source>…</source>
        <translation>…</translation>
    </message>
    <message>
        <source>Choose the models folder</source>
        <translation>Modellordner wählen</translation>
    </message>
    <message>
        <source>&amp;Models folder:</source>
        <translation>&amp;Modellordner:</translation>
    </message>
    <message>
        <source>Models Folder</source>
        <translation>Modellordner</translation>
    </message>
    <message>
        <source>CPU</source>
        <translation>CPU</translation>
    </message>
    <message>
        <source>&amp;Device:</source>
        <translation>&amp;Gerät:</translation>
    </message>
    <message>
        <source>Default e&amp;xport format:</source>
        <translation>Standard-E&amp;xportformat:</translation>
    </message>
    <message>
        <source>System language</source>
        <translation>Systemsprache</translation>
    </message>
    <message>
        <source>&amp;Language:</source>
        <translation>&amp;Sprache:</translation>
    </message>
    <message>
        <source>CUDA (GPU)</source>
        <translation>CUDA (GPU)</translation>
    </message>
    <message>
        <source>CUDA (not available: no CUDA device for this build)</source>
        <translation>CUDA (nicht verfügbar: kein CUDA-Gerät für diesen Build)</translation>
    </message>
    <message>
        <source>GenStereo %1</source>
        <translation>GenStereo %1</translation>
    </message>
    <message>
        <source>The diffusion model: v2.1 works at 768 px (genstereo-v2.1/), v1.5 at 512 px (genstereo-v1.5/).</source>
        <translation>Das Diffusionsmodell: v2.1 arbeitet mit 768 px (genstereo-v2.1/), v1.5 mit 512 px (genstereo-v1.5/).</translation>
    </message>
    <message>
        <source>Diffusion &amp;variant:</source>
        <translation>Diffusions&amp;variante:</translation>
    </message>
    <message>
        <source>Automatic (largest present)</source>
        <translation>Automatisch (größtes vorhandenes)</translation>
    </message>
    <message>
        <source>ViT-S (Small, Apache-2.0)</source>
        <translation>ViT-S (Small, Apache-2.0)</translation>
    </message>
    <message>
        <source>ViT-B (Base, non-commercial)</source>
        <translation>ViT-B (Base, nicht kommerziell)</translation>
    </message>
    <message>
        <source>ViT-L (Large, non-commercial)</source>
        <translation>ViT-L (Large, nicht kommerziell)</translation>
    </message>
    <message>
        <source>Depth Anything V2 model for photos without a disparity or depth map (depth_anything_v2_vits.pth, _vitb.pth or _vitl.pth).</source>
        <translation>Depth-Anything-V2-Modell für Fotos ohne Disparitäts- oder Tiefenkarte (depth_anything_v2_vits.pth, _vitb.pth oder _vitl.pth).</translation>
    </message>
    <message>
        <source>Dep&amp;th model:</source>
        <translation>&amp;Tiefenmodell:</translation>
    </message>
    <message>
        <source>Automatic (bfloat16 where the CPU or GPU has it)</source>
        <translation>Automatisch (bfloat16, wo CPU oder GPU es unterstützen)</translation>
    </message>
    <message>
        <source>float32</source>
        <translation>float32</translation>
    </message>
    <message>
        <source>bfloat16 (slow on CPUs without AVX512-BF16/AMX)</source>
        <translation>bfloat16 (langsam auf CPUs ohne AVX512-BF16/AMX)</translation>
    </message>
    <message>
        <source>float16 (CUDA only)</source>
        <translation>float16 (nur CUDA)</translation>
    </message>
    <message>
        <source>What the networks compute in. bfloat16 is about twice as fast on CPUs that have it, at a small cost in accuracy (docs/diffusion.md).</source>
        <translation>Womit die Netze rechnen. bfloat16 ist auf CPUs, die es unterstützen, etwa doppelt so schnell, bei geringem Genauigkeitsverlust (docs/diffusion.md).</translation>
    </message>
    <message>
        <source>Compute &amp;precision:</source>
        <translation>Re&amp;chengenauigkeit:</translation>
    </message>
</context>
<context>
    <name>genstereo::ui::PresetBar</name>
    <message>
        <source>Apply a named set of controls.</source>
        <translation>Einen benannten Satz von Einstellungen anwenden.</translation>
    </message>
    <message>
        <source>Sa&amp;ve…</source>
        <translation>Spe&amp;ichern …</translation>
    </message>
    <message>
        <source>Save the current controls as a preset.</source>
        <translation>Die aktuellen Einstellungen als Voreinstellung speichern.</translation>
    </message>
    <message>
        <source>De&amp;lete</source>
        <translation>L&amp;öschen</translation>
    </message>
    <message>
        <source>Delete the chosen preset (built-in presets stay).</source>
        <translation>Die gewählte Voreinstellung löschen (eingebaute Voreinstellungen bleiben).</translation>
    </message>
    <message>
        <source>Delete Preset</source>
        <translation>Voreinstellung löschen</translation>
    </message>
    <message>
        <source>Delete the preset “%1”?</source>
        <translation>Die Voreinstellung „%1“ löschen?</translation>
    </message>
    <message>
        <source>Choose a preset…</source>
        <translation>Voreinstellung wählen …</translation>
    </message>
    <message>
        <source>Save Preset</source>
        <translation>Voreinstellung speichern</translation>
    </message>
    <message>
        <source>Preset name:</source>
        <translation>Name der Voreinstellung:</translation>
    </message>
    <message>
        <source>A preset “%1” exists. Replace it?</source>
        <translation>Eine Voreinstellung „%1“ existiert bereits. Ersetzen?</translation>
    </message>
    <message>
        <source>“%1” is the name of a built-in preset; choose another name.</source>
        <translation>„%1“ ist der Name einer eingebauten Voreinstellung; wählen Sie einen anderen Namen.</translation>
    </message>
</context>
<context>
    <name>genstereo::ui::Scene3DView</name>
    <message>
        <source>&amp;Scene:</source>
        <translation>&amp;Szene:</translation>
    </message>
    <message>
        <source>Photo as a depth mesh</source>
        <translation>Foto als Tiefennetz</translation>
    </message>
    <message>
        <source>Stereo pair side by side</source>
        <translation>Stereopaar nebeneinander</translation>
    </message>
    <message>
        <source>&amp;Reset camera</source>
        <translation>Kamera &amp;zurücksetzen</translation>
    </message>
    <message>
        <source>Right-drag: orbit · left-drag: move · wheel: zoom</source>
        <translation>Rechts ziehen: umkreisen · links ziehen: verschieben · Rad: zoomen</translation>
    </message>
    <message>
        <source>&amp;Orbit:</source>
        <translation>&amp;Drehung:</translation>
    </message>
    <message>
        <source>How far a right-drag turns the scene</source>
        <translation>Wie weit Ziehen mit der rechten Maustaste die Szene dreht</translation>
    </message>
    <message>
        <source>%1°/px</source>
        <translation>%1°/px</translation>
    </message>
</context>
<context>
    <name>genstereo::ui::StereoPreview</name>
    <message>
        <source>&amp;Preview:</source>
        <translation>&amp;Vorschau:</translation>
    </message>
    <message>
        <source>Anaglyph red-cyan (Dubois)</source>
        <translation>Anaglyphe Rot-Cyan (Dubois)</translation>
    </message>
    <message>
        <source>Anaglyph red-cyan (colour)</source>
        <translation>Anaglyphe Rot-Cyan (Farbe)</translation>
    </message>
    <message>
        <source>Anaglyph red-cyan (grey)</source>
        <translation>Anaglyphe Rot-Cyan (Grau)</translation>
    </message>
    <message>
        <source>Side by side (full)</source>
        <translation>Nebeneinander (volle Breite)</translation>
    </message>
    <message>
        <source>Side by side (half)</source>
        <translation>Nebeneinander (halbe Breite)</translation>
    </message>
    <message>
        <source>Cross-eyed</source>
        <translation>Kreuzblick</translation>
    </message>
    <message>
        <source>Top-bottom</source>
        <translation>Übereinander</translation>
    </message>
    <message>
        <source>Wiggle</source>
        <translation>Wackelbild</translation>
    </message>
    <message>
        <source>Wiggle &amp;interval:</source>
        <translation>Wackel-&amp;Intervall:</translation>
    </message>
    <message>
        <source> ms</source>
        <translation> ms</translation>
    </message>
    <message>
        <source>The stereo preview appears when the new view has been generated.</source>
        <translation>Die Stereo-Vorschau erscheint, sobald die neue Ansicht erzeugt ist.</translation>
    </message>
    <message>
        <source>Top-bottom (half)</source>
        <translation>Übereinander (halbe Höhe)</translation>
    </message>
    <message>
        <source>Row-interlaced (passive 3D)</source>
        <translation>Zeilenverschachtelt (passives 3D)</translation>
    </message>
    <message>
        <source>Column-interlaced</source>
        <translation>Spaltenverschachtelt</translation>
    </message>
    <message>
        <source>Checkerboard (DLP 3D)</source>
        <translation>Schachbrett (DLP-3D)</translation>
    </message>
    <message>
        <source>Left eye only</source>
        <translation>Nur linkes Auge</translation>
    </message>
    <message>
        <source>Right eye only</source>
        <translation>Nur rechtes Auge</translation>
    </message>
    <message>
        <source>⇄ Eyes swapped</source>
        <translation>⇄ Augen vertauscht</translation>
    </message>
    <message>
        <source>View &gt; Swap Eyes is on: the previews and every export show the right view to the left eye.</source>
        <translation>Ansicht &gt; Augen tauschen ist an: Die Vorschauen und jeder Export zeigen dem linken Auge die rechte Ansicht.</translation>
    </message>
</context>
<context>
    <name>genstereo::ui::VideoExportDialog</name>
    <message>
        <source>Side by side, full width (3D TVs, players)</source>
        <translation>Nebeneinander, volle Breite (3D-Fernseher, Player)</translation>
    </message>
    <message>
        <source>Side by side, half width</source>
        <translation>Nebeneinander, halbe Breite</translation>
    </message>
    <message>
        <source>Top-bottom, full height</source>
        <translation>Übereinander, volle Höhe</translation>
    </message>
    <message>
        <source>Top-bottom, half height</source>
        <translation>Übereinander, halbe Höhe</translation>
    </message>
    <message>
        <source>Cross-eyed (right | left)</source>
        <translation>Kreuzblick (rechts | links)</translation>
    </message>
    <message>
        <source>Anaglyph red-cyan (Dubois)</source>
        <translation>Anaglyphe Rot-Cyan (Dubois)</translation>
    </message>
    <message>
        <source>VR180 (headsets)</source>
        <translation>VR180 (VR-Brillen)</translation>
    </message>
    <message>
        <source>video</source>
        <translation>Video</translation>
    </message>
    <message>
        <source>audio</source>
        <translation>Audio</translation>
    </message>
    <message>
        <source>subtitles</source>
        <translation>Untertitel</translation>
    </message>
    <message>
        <source>attachment</source>
        <translation>Anhang</translation>
    </message>
    <message>
        <source>data</source>
        <translation>Daten</translation>
    </message>
    <message>
        <source>other</source>
        <translation>Sonstiges</translation>
    </message>
    <message>
        <source>Convert Video</source>
        <translation>Video konvertieren</translation>
    </message>
    <message>
        <source>Automatic (MKV when the source has subtitles, else MP4)</source>
        <translation>Automatisch (MKV, wenn die Quelle Untertitel hat, sonst MP4)</translation>
    </message>
    <message>
        <source>%1 (not available here)</source>
        <translation>%1 (hier nicht verfügbar)</translation>
    </message>
    <message>
        <source>Quality (x264, x265, SVT-AV1): lower is better and larger; 18-23 is usual.</source>
        <translation>Qualität (x264, x265, SVT-AV1): niedriger ist besser und größer; üblich sind 18–23.</translation>
    </message>
    <message>
        <source>8-bit</source>
        <translation>8 Bit</translation>
    </message>
    <message>
        <source>10-bit</source>
        <translation>10 Bit</translation>
    </message>
    <message>
        <source>Automatic</source>
        <translation>Automatisch</translation>
    </message>
    <message>
        <source>Keep HDR10 (x265, 10-bit)</source>
        <translation>HDR10 beibehalten (x265, 10 Bit)</translation>
    </message>
    <message>
        <source>Tone-map to SDR</source>
        <translation>In SDR umwandeln</translation>
    </message>
    <message>
        <source>The source is not HDR10.</source>
        <translation>Die Quelle ist nicht HDR10.</translation>
    </message>
    <message>
        <source>As the source (%1 fps%2)</source>
        <translation>Wie die Quelle (%1 fps%2)</translation>
    </message>
    <message>
        <source>, variable</source>
        <translation>, variabel</translation>
    </message>
    <message>
        <source> s</source>
        <translation> s</translation>
    </message>
    <message>
        <source>Choose…</source>
        <translation>Wählen …</translation>
    </message>
    <message>
        <source>Output Folder</source>
        <translation>Ausgabeordner</translation>
    </message>
    <message>
        <source>Stream</source>
        <translation>Datenstrom</translation>
    </message>
    <message>
        <source>In the source</source>
        <translation>In der Quelle</translation>
    </message>
    <message>
        <source>In the output</source>
        <translation>In der Ausgabe</translation>
    </message>
    <message>
        <source>Layout:</source>
        <translation>Anordnung:</translation>
    </message>
    <message>
        <source>Container:</source>
        <translation>Container:</translation>
    </message>
    <message>
        <source>Codec:</source>
        <translation>Codec:</translation>
    </message>
    <message>
        <source>Quality (CRF):</source>
        <translation>Qualität (CRF):</translation>
    </message>
    <message>
        <source>Preset:</source>
        <translation>Voreinstellung:</translation>
    </message>
    <message>
        <source>Bit depth:</source>
        <translation>Bittiefe:</translation>
    </message>
    <message>
        <source>HDR:</source>
        <translation>HDR:</translation>
    </message>
    <message>
        <source>Frame rate:</source>
        <translation>Bildrate:</translation>
    </message>
    <message>
        <source>From:</source>
        <translation>Von:</translation>
    </message>
    <message>
        <source>To:</source>
        <translation>Bis:</translation>
    </message>
    <message>
        <source>Folder:</source>
        <translation>Ordner:</translation>
    </message>
    <message>
        <source>Writes:</source>
        <translation>Erzeugt:</translation>
    </message>
    <message>
        <source>Add to queue</source>
        <translation>Zur Warteschlange hinzufügen</translation>
    </message>
    <message>
        <source>Streams of the source:</source>
        <translation>Datenströme der Quelle:</translation>
    </message>
    <message>
        <source>#%1 video</source>
        <translation>#%1 Video</translation>
    </message>
    <message>
        <source>%1, %2 × %3</source>
        <translation>%1, %2 × %3</translation>
    </message>
    <message>
        <source>stereo, encoded with %1</source>
        <translation>Stereo, kodiert mit %1</translation>
    </message>
    <message>
        <source>copied unchanged</source>
        <translation>unverändert kopiert</translation>
    </message>
    <message>
        <source>converted to %1: %2</source>
        <translation>umgewandelt in %1: %2</translation>
    </message>
    <message>
        <source>left out: %1</source>
        <translation>weggelassen: %1</translation>
    </message>
    <message>
        <source>#%1 %2%3</source>
        <translation>#%1 %2%3</translation>
    </message>
</context>
<context>
    <name>genstereo::ui::VideoRangePlayer</name>
    <message>
        <source>Disparity flicker %1 (temporal off: %2) · range pumping p50 %3 (off: %4), p95 %5 (off: %6)</source>
        <translation>Disparitätsflimmern %1 (ohne Zeitfilter: %2) · Spannenpumpen p50 %3 (ohne: %4), p95 %5 (ohne: %6)</translation>
    </message>
    <message>
        <source>Play range</source>
        <translation>Bereich abspielen</translation>
    </message>
    <message>
        <source>Anaglyph (red-cyan)</source>
        <translation>Anaglyphe (Rot-Cyan)</translation>
    </message>
    <message>
        <source>Side by side</source>
        <translation>Nebeneinander</translation>
    </message>
    <message>
        <source>Wiggle</source>
        <translation>Wackelbild</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>Schließen</translation>
    </message>
    <message>
        <source>Rendering ahead: frame %1 of about %2…</source>
        <translation>Vorausrendern: Bild %1 von etwa %2 …</translation>
    </message>
    <message>
        <source>Rendering ahead…</source>
        <translation>Vorausrendern …</translation>
    </message>
    <message>
        <source>Stopped.</source>
        <translation>Angehalten.</translation>
    </message>
    <message>
        <source>The range could not be rendered: %1</source>
        <translation>Der Bereich konnte nicht gerendert werden: %1</translation>
    </message>
    <message>
        <source>%1 frames · %2</source>
        <translation>%1 Bilder · %2</translation>
    </message>
</context>
<context>
    <name>genstereo::ui::VideoTimeline</name>
    <message>
        <source>Scrub through the video. Orange ticks: scene cuts (every temporal filter starts again there).</source>
        <translation>Im Video navigieren. Orange Striche: Szenenschnitte (jeder zeitliche Filter beginnt dort neu).</translation>
    </message>
    <message>
        <source>Play range</source>
        <translation>Bereich abspielen</translation>
    </message>
    <message>
        <source>Render a few seconds from this frame ahead and play them in the stereo preview, with the temporal metrics of that range (flicker, pumping).</source>
        <translation>Einige Sekunden ab diesem Bild vorausrendern und in der Stereo-Vorschau abspielen, mit den zeitlichen Messwerten dieses Bereichs (Flimmern, Pumpen).</translation>
    </message>
    <message>
        <source>Previous scene cut</source>
        <translation>Vorheriger Szenenschnitt</translation>
    </message>
    <message>
        <source>Next scene cut</source>
        <translation>Nächster Szenenschnitt</translation>
    </message>
    <message>
        <source>Temporal filters</source>
        <translation>Zeitliche Filter</translation>
    </message>
    <message>
        <source>On: the frame as the converter renders it (depth range stabilised over time, flow-guided smoothing, holes filled from earlier frames). Off: each frame on its own, for a before/after.</source>
        <translation>An: das Bild, wie der Konverter es rendert (Tiefenbereich über die Zeit stabilisiert, flussgeführte Glättung, Löcher aus früheren Bildern gefüllt). Aus: jedes Bild für sich, für einen Vorher-nachher-Vergleich.</translation>
    </message>
    <message numerus="yes">
        <source>%n scene cut(s)</source>
        <translation>
            <numerusform>%n Szenenschnitt</numerusform>
            <numerusform>%n Szenenschnitte</numerusform>
        </translation>
    </message>
    <message numerus="yes">
        <source>%n scene cut(s) so far</source>
        <translation>
            <numerusform>%n Szenenschnitt bisher</numerusform>
            <numerusform>%n Szenenschnitte bisher</numerusform>
        </translation>
    </message>
    <message>
        <source>Finding scene cuts… %1 %</source>
        <translation>Szenenschnitte werden gesucht … %1 %</translation>
    </message>
    <message>
        <source>%1 / %2</source>
        <translation>%1 / %2</translation>
    </message>
    <message>
        <source>frame %1 · %2</source>
        <translation>Bild %1 · %2</translation>
    </message>
</context>
<context>
    <name>genstereo::ui::WiggleExportDialog</name>
    <message>
        <source>Export Wiggle</source>
        <translation>Wackelbild exportieren</translation>
    </message>
    <message>
        <source>Animated GIF (256 colours, plays everywhere)</source>
        <translation>Animiertes GIF (256 Farben, läuft überall)</translation>
    </message>
    <message>
        <source>Animated PNG (lossless, larger)</source>
        <translation>Animiertes PNG (verlustfrei, größer)</translation>
    </message>
    <message>
        <source>F&amp;ormat:</source>
        <translation>&amp;Format:</translation>
    </message>
    <message>
        <source>&amp;Browse…</source>
        <translation>&amp;Durchsuchen …</translation>
    </message>
    <message>
        <source>&amp;File:</source>
        <translation>Da&amp;tei:</translation>
    </message>
    <message>
        <source> ms</source>
        <translation> ms</translation>
    </message>
    <message>
        <source>How long each view is shown (GIF: rounded to 10 ms).</source>
        <translation>Wie lange jede Ansicht gezeigt wird (GIF: auf 10 ms gerundet).</translation>
    </message>
    <message>
        <source>Frame &amp;time:</source>
        <translation>&amp;Bilddauer:</translation>
    </message>
    <message>
        <source>&amp;Export</source>
        <translation>&amp;Exportieren</translation>
    </message>
    <message>
        <source>Animated GIF (*.gif)</source>
        <translation>Animiertes GIF (*.gif)</translation>
    </message>
    <message>
        <source>Animated PNG (*.png *.apng)</source>
        <translation>Animiertes PNG (*.png *.apng)</translation>
    </message>
    <message>
        <source>%1 exists. Replace it?</source>
        <translation>%1 existiert bereits. Ersetzen?</translation>
    </message>
</context>
</TS>
