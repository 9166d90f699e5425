#!/bin/sh
# `make bench` loads the site with wrk (the Debian package `wrk`): install it when it is missing.
command -v wrk >/dev/null 2>&1 && exit 0
INSTALL="apt-get install -y --no-install-recommends wrk"
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "Installing wrk: $INSTALL"
    DEBIAN_FRONTEND=noninteractive $INSTALL || { apt-get update && DEBIAN_FRONTEND=noninteractive $INSTALL; } || exit 1
    exit 0
fi
echo "wrk was not found: install the Debian package 'wrk' as root: $INSTALL" >&2
exit 1
