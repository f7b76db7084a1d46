#!/usr/bin/env bash
# Does the built app run on a machine without Python? Builds a minimal Debian root with
# debootstrap (no python3 in it), copies dist/explorer in, finds which system libraries
# the bundle still needs from the system (ldd inside the root), installs the Debian
# packages that provide them, and runs `explorer self-test` there (offscreen). Prints the
# packages it had to add, for the offscreen self-test and for a real X11/Wayland desktop.
#
#   sudo packaging/debian_root_test.sh [dist/explorer] [ROOT_DIR]
#
# Needs root, debootstrap and the Debian mirror apt already uses. The root is kept in
# ROOT_DIR (default /var/tmp/explorer-debian-root) and reused on the next run.
set -euo pipefail

APP=$(realpath "${1:-dist/explorer}")
ROOTFS=${2:-/var/tmp/explorer-debian-root}
SUITE=${SUITE:-bookworm}
MIRROR=${MIRROR:-$(awk '/^URIs:/ {print $2; exit}' /etc/apt/sources.list.d/debian.sources 2>/dev/null || true)}
MIRROR=${MIRROR:-http://deb.debian.org/debian}

# Qt's needs, library by library: what the offscreen platform (the self-test) loads, and
# what a desktop session adds (X11 through xcb, Wayland, GL, the xkb keymaps).
OFFSCREEN_PACKAGES=(libgl1 libegl1 libfontconfig1 libfreetype6 libx11-6 libglib2.0-0
    libdbus-1-3 libxkbcommon0)
DESKTOP_PACKAGES=(libx11-xcb1 libxcb1 libxcb-cursor0 libxcb-icccm4 libxcb-image0
    libxcb-keysyms1 libxcb-randr0 libxcb-render0 libxcb-render-util0 libxcb-shape0
    libxcb-shm0 libxcb-sync1 libxcb-xfixes0 libxcb-xkb1 libxkbcommon-x11-0 libwayland-client0
    libwayland-cursor0 libwayland-egl1 libegl-mesa0 libgl1-mesa-dri fonts-dejavu-core)

[ "$(id -u)" = 0 ] || { echo "run as root (debootstrap and chroot)" >&2; exit 2; }
[ -x "$APP/explorer" ] || { echo "no app at $APP: run make package first" >&2; exit 2; }
command -v debootstrap >/dev/null || { echo "install debootstrap (apt-get install debootstrap)" >&2; exit 2; }

in_root() { chroot "$ROOTFS" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=/root LANG=C.UTF-8 "$@"; }
cleanup() { umount "$ROOTFS/dev/pts" "$ROOTFS/proc" 2>/dev/null || true; }
trap cleanup EXIT

if [ ! -x "$ROOTFS/usr/bin/apt-get" ]; then
    echo "== debootstrap --variant=minbase $SUITE from $MIRROR into $ROOTFS"
    rm -rf "$ROOTFS"
    debootstrap --variant=minbase "$SUITE" "$ROOTFS" "$MIRROR" >/dev/null
fi
mount -t proc proc "$ROOTFS/proc"
mount -t devpts devpts "$ROOTFS/dev/pts" 2>/dev/null || true
cp /etc/resolv.conf "$ROOTFS/etc/resolv.conf" 2>/dev/null || true

echo "== the root has no Python"
if in_root sh -c 'ls /usr/bin/python* /usr/local/bin/python* 2>/dev/null'; then
    echo "FAIL: python is installed in the root" >&2; exit 1
fi
echo "   none (python3: $(in_root sh -c 'command -v python3 || echo absent'))"
echo "   base system: $(in_root dpkg-query -W -f='.' | wc -c) packages"

rm -rf "$ROOTFS/opt/explorer"
cp -a "$APP" "$ROOTFS/opt/explorer"

missing_libs() {  # libraries the bundle's binaries cannot find inside the root
    # shellcheck disable=SC2016  # the inner shell expands $f, not this one
    in_root sh -c 'find /opt/explorer -name "*.so*" -o -name explorer -type f | while read -r f; do
        LD_LIBRARY_PATH=/opt/explorer/_internal:/opt/explorer/_internal/PySide6/Qt/lib ldd "$f" 2>/dev/null
    done' | awk '/not found/ {print $1}' | sort -u
}

echo "== libraries the bundle needs from the system, before any is installed"
missing_libs | sed 's/^/   /' | tee /tmp/explorer-missing-before.txt
echo "== self-test before installing them (expected to fail)"
if in_root /opt/explorer/explorer self-test >/tmp/explorer-selftest-bare.txt 2>&1; then
    echo "   passed without any library added"
else
    echo "   failed: $(grep -m1 -E 'error|FAIL|not found' /tmp/explorer-selftest-bare.txt || tail -1 /tmp/explorer-selftest-bare.txt)"
fi

echo "== installing what Qt needs offscreen: ${OFFSCREEN_PACKAGES[*]}"
in_root apt-get update -qq >/dev/null
in_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
    "${OFFSCREEN_PACKAGES[@]}" >/dev/null
echo "== self-test in the root (offscreen, no Python)"
in_root /opt/explorer/explorer self-test

echo "== installing what a desktop session adds: ${DESKTOP_PACKAGES[*]}"
in_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
    "${DESKTOP_PACKAGES[@]}" >/dev/null
echo "== self-test on a real X server (Xvfb inside the root, Qt's xcb platform)"
in_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
    xvfb >/dev/null
# shellcheck disable=SC2016  # $! and $pid belong to the shell inside the root
in_root sh -c 'Xvfb :77 -screen 0 1600x900x24 -nolisten tcp >/dev/null 2>&1 & pid=$!
    sleep 2
    DISPLAY=:77 EXPLORER_SELFTEST_PLATFORM=xcb /opt/explorer/explorer self-test; code=$?
    kill $pid; exit $code'
echo "== libraries still missing for any bundled binary (GTK theme and similar optional plug-ins aside)"
missing_libs | sed 's/^/   /' || true
in_root sh -c 'command -v python3 >/dev/null' && { echo "FAIL: python3 came in with the libraries" >&2; exit 1; }
echo "   python3 still absent after installing them"
echo "== packages added to the minimal root: ${OFFSCREEN_PACKAGES[*]} ${DESKTOP_PACKAGES[*]}"
echo "   (and xvfb, only to have an X server for the test)"
echo "debian root test passed"
