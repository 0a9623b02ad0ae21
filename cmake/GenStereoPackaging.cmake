# Installation in the FHS places and the Debian package (CPack), included at the end of the
# top-level CMakeLists.txt. See docs/packaging.md.
#
#   cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=Release -DCMAKE_INSTALL_PREFIX=/usr
#   cmake --build build                       # also renders the icons and writes the man pages
#   cmake --install build --prefix /tmp/stage # or: (cd build && cpack) -> genstereo_*.deb
#
# Layout (relative to the prefix): bin/genstereo, bin/genstereo-cli,
# share/applications/genstereo.desktop, share/icons/hicolor/{SIZE,scalable}/apps/,
# share/metainfo/io.github.qjizhi.genstereo.metainfo.xml, share/man/man1/*.1.gz,
# share/genstereo/sample/, share/genstereo/translations/*.qm (ui/CMakeLists.txt),
# share/doc/genstereo/ (README, docs, copyright, SLURM and Kubernetes examples).
include(GNUInstallDirs)

set(GENSTEREO_INSTALL_DOCDIR ${CMAKE_INSTALL_DATADIR}/doc/genstereo)
set(GENSTEREO_METAINFO_ID io.github.qjizhi.genstereo)

# --- documentation, licence notes, cluster examples -------------------------------------------
install(FILES README.md DESTINATION ${GENSTEREO_INSTALL_DOCDIR})
install(FILES packaging/debian/copyright DESTINATION ${GENSTEREO_INSTALL_DOCDIR})
install(DIRECTORY docs/ DESTINATION ${GENSTEREO_INSTALL_DOCDIR}/docs)
install(FILES packaging/slurm/genstereo-batch.sbatch packaging/slurm/genstereo-video.sbatch
  DESTINATION ${GENSTEREO_INSTALL_DOCDIR}/examples/slurm)
install(DIRECTORY packaging/kubernetes/ DESTINATION ${GENSTEREO_INSTALL_DOCDIR}/examples/kubernetes)

# --- man pages, generated from the built programs' --help --------------------------------------
find_program(GENSTEREO_HELP2MAN help2man)
find_program(GENSTEREO_GZIP gzip)
set(GENSTEREO_MAN_DIR ${CMAKE_BINARY_DIR}/man)
set(GENSTEREO_MAN_PAGES)
# genstereo_add_manpage(TARGET DESCRIPTION [ENV=VALUE ...])
function(genstereo_add_manpage target description)
  set(page ${GENSTEREO_MAN_DIR}/${target}.1)
  add_custom_command(OUTPUT ${page}.gz
    COMMAND ${PROJECT_SOURCE_DIR}/packaging/make-manpage.sh $<TARGET_FILE:${target}>
            ${PROJECT_VERSION} "${description}" ${page} ${ARGN}
    COMMAND ${GENSTEREO_GZIP} -9nf ${page}
    DEPENDS ${target} ${PROJECT_SOURCE_DIR}/packaging/make-manpage.sh
    COMMENT "Writing the man page of ${target} from its --help"
    VERBATIM)
  set(GENSTEREO_MAN_PAGES ${GENSTEREO_MAN_PAGES} ${page}.gz PARENT_SCOPE)
endfunction()
if(GENSTEREO_HELP2MAN AND GENSTEREO_GZIP)
  genstereo_add_manpage(genstereo-cli "turn photos and videos into stereo 3D (command line)")
  if(GENSTEREO_BUILD_GUI)
    genstereo_add_manpage(genstereo "turn one photo into a stereo pair (desktop workbench)"
      QT_QPA_PLATFORM=offscreen)
  endif()
  add_custom_target(genstereo_manpages ALL DEPENDS ${GENSTEREO_MAN_PAGES})
  install(FILES ${GENSTEREO_MAN_PAGES} DESTINATION ${CMAKE_INSTALL_MANDIR}/man1)
else()
  message(WARNING "help2man or gzip not found (Debian: help2man): no man pages are installed")
endif()

# --- desktop integration: icons rendered from the SVG, AppStream metadata ---------------------
if(GENSTEREO_BUILD_GUI)
  find_program(GENSTEREO_RSVG_CONVERT rsvg-convert)
  set(GENSTEREO_ICON_SVG ${PROJECT_SOURCE_DIR}/resources/icons/genstereo.svg)
  if(GENSTEREO_RSVG_CONVERT)
    set(icon_files)
    foreach(size 16 22 24 32 48 64 128 256 512)
      set(icon ${CMAKE_BINARY_DIR}/icons/hicolor/${size}x${size}/apps/genstereo.png)
      add_custom_command(OUTPUT ${icon}
        COMMAND ${CMAKE_COMMAND} -E make_directory ${CMAKE_BINARY_DIR}/icons/hicolor/${size}x${size}/apps
        COMMAND ${GENSTEREO_RSVG_CONVERT} --width=${size} --height=${size} --keep-aspect-ratio
                --format=png --output=${icon} ${GENSTEREO_ICON_SVG}
        DEPENDS ${GENSTEREO_ICON_SVG}
        COMMENT "Rendering the ${size}x${size} application icon"
        VERBATIM)
      list(APPEND icon_files ${icon})
    endforeach()
    add_custom_target(genstereo_icons ALL DEPENDS ${icon_files})
    install(DIRECTORY ${CMAKE_BINARY_DIR}/icons/hicolor DESTINATION ${CMAKE_INSTALL_DATADIR}/icons)
  else()
    message(WARNING "rsvg-convert not found (Debian: librsvg2-bin): only the scalable icon is "
                    "installed")
  endif()
  install(FILES resources/genstereo.metainfo.xml
    DESTINATION ${CMAKE_INSTALL_DATADIR}/metainfo RENAME ${GENSTEREO_METAINFO_ID}.metainfo.xml)
endif()

# --- Debian package ---------------------------------------------------------------------------
set(GENSTEREO_PACKAGE_MAINTAINER "GenStereo maintainers <maintainers@genstereo.invalid>"
  CACHE STRING "Maintainer field of the Debian package")
set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME genstereo)
set(CPACK_PACKAGE_VENDOR "GenStereo")
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "turn one photo into a stereo pair")
# Debian wraps nothing: the lines of the long description are kept as written here.
set(CPACK_PACKAGE_DESCRIPTION
"GenStereo synthesises the second view of a photo from its disparity or depth
map, or from the photo alone (Depth Anything V2), with a fast weight-free
engine or the diffusion engine of the ICCV 2025 paper (weights supplied by the
user). The desktop workbench genstereo shows inspection views, stereo previews
and a 3D view, and exports anaglyphs, side-by-side, MPO and JPS; genstereo-cli
generates, evaluates and makes sharded stereo training sets (SLURM, Kubernetes).")
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_RELEASE 1)
set(CPACK_DEBIAN_PACKAGE_MAINTAINER ${GENSTEREO_PACKAGE_MAINTAINER})
set(CPACK_DEBIAN_PACKAGE_SECTION graphics)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
set(CPACK_DEBIAN_PACKAGE_HOMEPAGE "https://github.com/Qjizhi/GenStereo")
# Libraries the programs link: found by dpkg-shlibdeps (Debian: dpkg-dev), libtorch1.13 too.
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
# The private core library the programs link (lib/genstereo/libgenstereo_core.so).
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS_PRIVATE_DIRS ${CMAKE_BINARY_DIR}/app)
if(GENSTEREO_BUILD_GUI)
  # Files Qt loads at run time, invisible to dpkg-shlibdeps: the SVG icon engine (icons)
  # and image format (libqt6svg6; the platform plugins come with libqt6gui6), and Qt's own
  # translations (qtbase_de.qm: the buttons and file dialogs of the German interface).
  set(CPACK_DEBIAN_PACKAGE_DEPENDS "libqt6svg6, qt6-translations-l10n")
endif()
include(CPack)
