#!/bin/bash
# Does the GenStereo package work on a clean system? Creates a minimal Debian 12 root with
# debootstrap, installs the .deb there with apt (a dependency missing from the package's
# Depends fails here), runs `genstereo-cli generate` on the bundled sample and the desktop
# application's --screenshot under Xvfb inside it (chroot). Root only; takes minutes and
# downloads some 600 MB (less with --apt-cache), so it is not part of ctest: see
# docs/packaging.md.
#
#   packaging/check-deb-clean-root.sh [--apt-cache DIR] [--root-cache FILE.tar] [--out DIR]
#                                     [--keep-root] genstereo_*.deb
#
#   --apt-cache DIR  keep downloaded .deb files in DIR between runs (debootstrap and apt)
#   --root-cache FILE.tar  the fresh debootstrap root, saved there after the first run and
#                    unpacked instead of running debootstrap again (delete it to refresh)
#   --out DIR        copy the outputs (screenshot, generated pair, log of versions) to DIR
#   --keep-root      leave the root folder in place (its path is printed)
#   GENSTEREO_DEBIAN_MIRROR  the Debian mirror (default: the first deb.debian.org-style URI of
#                    /etc/apt/sources.list*, else http://deb.debian.org/debian)
set -euo pipefail

usage() {
  sed -n '/^#   packaging/,/^#   GENSTEREO_DEBIAN_MIRROR/p' "$0" | sed 's/^# \{0,1\}//' >&2
  exit 2
}
apt_cache=""
root_cache=""
out_dir=""
keep_root=0
while [ $# -gt 0 ]; do
  case "$1" in
    --apt-cache) apt_cache=$(realpath -m "${2:?}"); shift 2 ;;
    --root-cache) root_cache=$(realpath -m "${2:?}"); shift 2 ;;
    --out) out_dir=$(realpath -m "${2:?}"); shift 2 ;;
    --keep-root) keep_root=1; shift ;;
    -h | --help) usage ;;
    -*) echo "check-deb-clean-root: unknown option '$1'" >&2; usage ;;
    *) break ;;
  esac
done
[ $# -eq 1 ] || usage
deb=$(realpath "$1")
[ -f "$deb" ] || { echo "check-deb-clean-root: no package at '$1'" >&2; exit 2; }
[ "$(id -u)" -eq 0 ] || { echo "check-deb-clean-root: run as root (debootstrap, chroot, mount)" >&2; exit 2; }
for tool in debootstrap chroot mount umount dpkg-deb; do
  command -v "$tool" >/dev/null || { echo "check-deb-clean-root: '$tool' missing (Debian: debootstrap)" >&2; exit 2; }
done

mirror=${GENSTEREO_DEBIAN_MIRROR:-}
if [ -z "$mirror" ]; then
  mirror=$(cat /etc/apt/sources.list /etc/apt/sources.list.d/*.list /etc/apt/sources.list.d/*.sources 2>/dev/null |
    grep -oE 'https?://[^ ]*/debian/?( |$)' | grep -v security | head -n 1 | tr -d ' ' || true)
  mirror=${mirror:-http://deb.debian.org/debian}
fi
mirror=${mirror%/}
security=${mirror%/debian}/debian-security

root=$(mktemp -d /var/tmp/genstereo-clean-root.XXXXXX)
chmod 755 "$root"  # apt's _apt user reads its lists in there
mounts=()
cleanup() {
  local rc=$?
  set +e
  for ((i = ${#mounts[@]} - 1; i >= 0; i--)); do
    umount -R "${mounts[i]}" 2>/dev/null || umount -R -l "${mounts[i]}"
  done
  if [ "$keep_root" -eq 1 ]; then
    echo "check-deb-clean-root: root kept in $root"
  elif ! findmnt -rn -o TARGET | grep -q "^$root"; then
    rm -rf "$root"
  else
    echo "check-deb-clean-root: mounts left under $root, not removed" >&2
  fi
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

start_s=$SECONDS
phase_s=$SECONDS
phase() {  # phase NAME: prints the time of the previous phase
  echo "== $1 (previous step: $((SECONDS - phase_s)) s)"
  phase_s=$SECONDS
}

if [ -n "$root_cache" ] && [ -f "$root_cache" ]; then
  phase "unpacking the debootstrap root saved in $root_cache"
  tar -C "$root" -xpf "$root_cache"
else
  phase "debootstrap bookworm (minbase) from $mirror into $root"
  debootstrap_args=(--variant=minbase)
  if [ -n "$apt_cache" ]; then
    mkdir -p "$apt_cache/partial"
    debootstrap_args+=(--cache-dir="$apt_cache")
  fi
  debootstrap "${debootstrap_args[@]}" bookworm "$root" "$mirror" >"$root.debootstrap.log" 2>&1 || {
    tail -n 20 "$root.debootstrap.log" >&2
    rm -f "$root.debootstrap.log"
    exit 1
  }
  rm -f "$root.debootstrap.log"
  if [ -n "$root_cache" ]; then
    mkdir -p "$(dirname "$root_cache")"
    tar -C "$root" -cpf "$root_cache.tmp" . && mv "$root_cache.tmp" "$root_cache"
    echo "debootstrap root saved in $root_cache"
  fi
fi

cat >"$root/etc/apt/sources.list" <<EOF
deb $mirror bookworm main
deb $mirror bookworm-updates main
deb $security bookworm-security main
EOF
printf '#!/bin/sh\nexit 101\n' >"$root/usr/sbin/policy-rc.d"  # no services start in the root
chmod +x "$root/usr/sbin/policy-rc.d"
cp /etc/resolv.conf "$root/etc/resolv.conf" 2>/dev/null || true

mount -t proc proc "$root/proc" && mounts+=("$root/proc")
mount -t sysfs sysfs "$root/sys" && mounts+=("$root/sys")
mount --rbind /dev "$root/dev" && mount --make-rslave "$root/dev" && mounts+=("$root/dev")
if [ -n "$apt_cache" ]; then
  mount --bind "$apt_cache" "$root/var/cache/apt/archives" && mounts+=("$root/var/cache/apt/archives")
fi
in_root() { chroot "$root" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=/root \
  LANG=C.UTF-8 DEBIAN_FRONTEND=noninteractive "$@"; }

phase "apt install ./$(basename "$deb") (dependencies from $mirror)"
cp "$deb" "$root/tmp/"
in_root apt-get update -q >/dev/null
in_root apt-get install -y -q --no-install-recommends "/tmp/$(basename "$deb")" >"$root/tmp/apt.log" 2>&1 || {
  tail -n 30 "$root/tmp/apt.log" >&2
  echo "FAILED: the package does not install on a clean Debian 12" >&2
  exit 1
}
grep -E '^(Need to get|After this operation)' "$root/tmp/apt.log" || true
in_root dpkg-query -W -f='${Package} ${Version}\n' genstereo

phase "installed files"
for file in /usr/bin/genstereo /usr/bin/genstereo-cli /usr/share/applications/genstereo.desktop \
  /usr/share/icons/hicolor/scalable/apps/genstereo.svg /usr/share/icons/hicolor/48x48/apps/genstereo.png \
  /usr/share/metainfo/io.github.qjizhi.genstereo.metainfo.xml /usr/share/man/man1/genstereo-cli.1.gz \
  /usr/share/man/man1/genstereo.1.gz /usr/share/genstereo/sample/left.png \
  /usr/share/genstereo/translations/genstereo_de.qm /usr/share/doc/genstereo/copyright \
  /usr/lib/genstereo/libgenstereo_core.so /usr/lib/genstereo/libgenstereo_torch_models.so; do
  [ -s "$root$file" ] || { echo "FAILED: $file is not installed" >&2; exit 1; }
done
echo "all expected files present"

phase "genstereo-cli generate on the bundled sample"
in_root genstereo-cli --version
in_root genstereo-cli generate /usr/share/genstereo/sample/left.png \
  --disparity /usr/share/genstereo/sample/disp_left.png --disparity-divisor 4 \
  --format sbs,anaglyph -o /tmp/generated
generated=$(find "$root/tmp/generated" -type f -name '*.png' | wc -l)
[ "$generated" -ge 2 ] || { echo "FAILED: generate wrote $generated PNG files" >&2; exit 1; }
ls -l "$root/tmp/generated"

phase "the models module (LibTorch) loads"
# Opened only for runs that need a model; `models library` loads it and says where it is.
in_root genstereo-cli models library

phase "genstereo --screenshot under Xvfb (xvfb and xauth installed for this step only)"
in_root apt-get install -y -q --no-install-recommends xvfb xauth >"$root/tmp/apt-xvfb.log" 2>&1 || {
  tail -n 20 "$root/tmp/apt-xvfb.log" >&2
  exit 1
}
in_root timeout 120 xvfb-run -a -s '-screen 0 1280x800x24' \
  genstereo --screenshot /tmp/screenshot.png /usr/share/genstereo/sample/left.png 2>&1 |
  grep -v '^QStandardPaths: XDG_RUNTIME_DIR' || true
shot=$root/tmp/screenshot.png
if [ ! -s "$shot" ] || [ "$(head -c 8 "$shot" | od -An -tx1 | tr -d ' \n')" != 89504e470d0a1a0a ]; then
  echo "FAILED: genstereo --screenshot wrote no PNG" >&2
  exit 1
fi
echo "screenshot: $(stat -c %s "$shot") bytes, $(od -An -tu1 -j16 -N8 "$shot" |
  awk '{ printf "%dx%d", $1*16777216+$2*65536+$3*256+$4, $5*16777216+$6*65536+$7*256+$8 }') px"
# The 3D view needs OpenGL (Mesa's software renderer under Xvfb) and Qt 3D's renderer plugin.
in_root timeout 120 xvfb-run -a -s '-screen 0 1280x800x24 +extension GLX' \
  genstereo --view 3d --screenshot /tmp/screenshot-3d.png /usr/share/genstereo/sample/left.png 2>&1 |
  grep -v '^QStandardPaths: XDG_RUNTIME_DIR' || true
[ -s "$root/tmp/screenshot-3d.png" ] || { echo "FAILED: genstereo --view 3d wrote no screenshot" >&2; exit 1; }
echo "3D view screenshot: $(stat -c %s "$root/tmp/screenshot-3d.png") bytes"

if [ -n "$out_dir" ]; then
  mkdir -p "$out_dir"
  cp "$shot" "$out_dir/clean-root-screenshot.png"
  cp "$root/tmp/screenshot-3d.png" "$out_dir/clean-root-screenshot-3d.png"
  cp -r "$root/tmp/generated" "$out_dir/clean-root-generated"
fi
phase "done"
echo "PASSED: $(basename "$deb") installs and runs on a clean Debian 12 root in $((SECONDS - start_s)) s"
