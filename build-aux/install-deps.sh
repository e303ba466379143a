#!/usr/bin/env bash
# Installs everything Rapport needs from Debian 12's packages.
#   install-deps.sh         build and run the app
#   install-deps.sh --test  also the test servers, sanitizer runtimes, fuzzers and benchmark peers
# Idempotent: packages already present are left alone.
set -euo pipefail

runtime=(
  meson ninja-build pkg-config gcc gettext itstool
  libglib2.0-dev libglib2.0-bin libgtk-4-dev libadwaita-1-dev
  libgmime-3.0-dev libsqlite3-dev libssl-dev libsoup-3.0-dev libical-dev
  libsecret-1-dev libwebkitgtk-6.0-dev libjson-glib-dev
  desktop-file-utils appstream adwaita-icon-theme fonts-cantarell dbus dbus-x11 locales
)
testing=(
  xvfb xauth x11-utils imagemagick openssl ca-certificates
  dovecot-core dovecot-pop3d dovecot-lmtpd postfix
  clang libclang-rt-14-dev
  fetchmail getmail6 procps psmisc python3
)

want=("${runtime[@]}")
if [ "${1:-}" = "--test" ]; then
  want+=("${testing[@]}")
fi

SUDO=""
if [ "$(id -u)" != 0 ]; then SUDO="sudo"; fi

# The German UI is tested, and our first users run it: make sure the locale
# exists (Debian generates only what /etc/locale.gen lists).
ensure_locale () {
  if ! locale -a 2>/dev/null | grep -qi '^de_DE\.utf-\?8$'; then
    $SUDO sed -i 's/^# *de_DE.UTF-8 UTF-8/de_DE.UTF-8 UTF-8/' /etc/locale.gen
    grep -q '^de_DE.UTF-8 UTF-8' /etc/locale.gen || echo 'de_DE.UTF-8 UTF-8' | $SUDO tee -a /etc/locale.gen >/dev/null
    $SUDO locale-gen >/dev/null
  fi
}

missing=()
for p in "${want[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done
if [ ${#missing[@]} -eq 0 ]; then
  ensure_locale
  exit 0
fi

# Postfix asks how to configure the system mailer; the tests run their own
# instances with their own configuration, so the system one stays unconfigured.
echo "postfix postfix/main_mailer_type select No configuration" | $SUDO debconf-set-selections
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -q
# The packaged daemons must not start system-wide on install: tests start
# private instances on loopback ports.
policy=/usr/sbin/policy-rc.d
created_policy=0
if [ ! -e "$policy" ]; then
  printf '#!/bin/sh\nexit 101\n' | $SUDO tee "$policy" >/dev/null
  $SUDO chmod 755 "$policy"
  created_policy=1
fi
$SUDO apt-get install -y -q --no-install-recommends "${missing[@]}"
if [ $created_policy = 1 ]; then $SUDO rm -f "$policy"; fi
ensure_locale
