#!/usr/bin/env bash
# Installs the Debian packages Curio builds against, when they are missing.
# Uses sudo only when not running as root. Prints what it installs.
set -euo pipefail

packages=(
  pkg-config          # locates the C libraries below for SwiftPM
  libsqlite3-dev      # the embedded store
  libopenblas-dev     # BLAS + LAPACK kernels
  libmicrohttpd-dev   # the HTTP server
  libvips-dev         # image decoding and resizing
  zlib1g-dev          # inflating model wheels and zip-based checkpoints
  wrk                 # HTTP load generator used by `make bench`
  unzip ca-certificates
)

missing=()
for p in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

if [ ${#missing[@]} -eq 0 ]; then
  echo "setup: system packages present (${packages[*]})"
  exit 0
fi

echo "setup: installing missing Debian packages: ${missing[*]}"
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
echo "setup: installed ${missing[*]}"
