#!/bin/sh
# Installs the Debian packages Maillage needs to build, run and test
# (--test: also the tests' packages; --bench: wrk and nginx-light).
# Only missing packages are installed; nothing happens when all are present.
set -eu

build="gcc make pkg-config libmicrohttpd-dev libsqlite3-dev libmd4c-dev pandoc \
libcurl4-openssl-dev libstemmer-dev libjansson-dev libsodium-dev libyaml-dev libmagic-dev \
libpoppler-glib-dev libarchive-dev libexpat1-dev libseccomp-dev libssl-dev \
libgmime-3.0-dev libical-dev librsvg2-bin"
test="clang libclang-rt-14-dev python3 python3-aiosmtpd curl sqlite3 systemd chromium clamav-daemon \
poppler-utils wrk openssl dovecot-imapd"
bench="wrk nginx-light"

want="$build"
[ "${1:-}" = "--test" ] && want="$build $test"
[ "${1:-}" = "--bench" ] && want="$build $bench"
# the browser tests need node and npm: Debian's, unless some are already here
if [ "${1:-}" = "--test" ] && ! { command -v node && command -v npm; } >/dev/null 2>&1; then
  want="$want nodejs npm"
fi

missing=""
for p in $want; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"
done
[ -z "$missing" ] && exit 0

if [ "$(id -u)" -ne 0 ]; then
  echo "maillage: paquets manquants :$missing — lancez « sudo $0 ${1:-} »" >&2
  exit 1
fi
echo "maillage: installation de :$missing"
export DEBIAN_FRONTEND=noninteractive
apt-get update -q
apt-get install -y -q --no-install-recommends $missing
