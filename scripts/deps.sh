#!/bin/sh
# Install the Debian packages behind any pkg-config module that is missing.
# Usage: deps.sh MODULE... ; runs apt-get as root, or through sudo when available.
set -u
missing=""
for m in "$@"; do
	pkg-config --exists "$m" 2>/dev/null || missing="$missing $m"
done
command -v pkg-config >/dev/null 2>&1 || missing="$missing pkg-config"
[ -z "$missing" ] && exit 0

pkgs=""
for m in $missing; do
	case "$m" in
	ncursesw) p=libncurses-dev ;;
	libcurl) p=libcurl4-openssl-dev ;;
	openssl) p=libssl-dev ;;
	libcjson) p=libcjson-dev ;;
	yaml-0.1) p=libyaml-dev ;;
	libxml-2.0) p=libxml2-dev ;;
	libmicrohttpd) p=libmicrohttpd-dev ;;
	cmocka) p=libcmocka-dev ;;
	pkg-config) p=pkg-config ;;
	*) echo "deps: no Debian package known for pkg-config module '$m'" >&2; exit 1 ;;
	esac
	pkgs="$pkgs $p"
done
echo "deps: missing:$missing; installing:$pkgs" >&2
if [ "$(id -u)" = 0 ]; then
	SUDO=""
elif command -v sudo >/dev/null 2>&1; then
	SUDO="sudo"
else
	echo "deps: not root and no sudo; install these packages by hand:$pkgs" >&2
	exit 1
fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -q >&2 || exit 1
# shellcheck disable=SC2086
$SUDO apt-get install -y -q gcc make pkg-config $pkgs >&2 || exit 1
