#!/bin/sh
# Print the make variables for the libraries found by pkg-config.
# Usage: configure.sh "PKGS" "TEST_PKGS"
set -e
pkgs="$1"
test_pkgs="$2"
cf=$(pkg-config --cflags $pkgs)
lb=$(pkg-config --libs $pkgs)
echo "PKG_CFLAGS = $cf"
echo "PKG_LIBS = $lb"
echo "TEST_CFLAGS = $(pkg-config --cflags $test_pkgs)"
echo "TEST_LIBS = $(pkg-config --libs $test_pkgs)"
