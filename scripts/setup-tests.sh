#!/usr/bin/env bash
# Install what the tests need beyond Python packages: Debian's Chromium (browser tests),
# poppler-utils (PDF rendering check), PostgreSQL with PostGIS (the store tests start their
# own server from these packages), and the optional heat-map script when npm is there
# (Leaflet and Leaflet.markercluster come with nkmap from PyPI).
set -euo pipefail
need=()
command -v chromium >/dev/null 2>&1 || need+=(chromium)
command -v pdftoppm >/dev/null 2>&1 || need+=(poppler-utils)
ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || need+=(postgresql)
ls /usr/share/postgresql/*/extension/postgis.control >/dev/null 2>&1 || need+=(postgresql-postgis)
if [ ${#need[@]} -gt 0 ]; then
  SUDO=""
  [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${need[@]}" >/dev/null
fi
if command -v npm >/dev/null 2>&1; then
  nkmap assets fetch leaflet.heat || echo "setup-tests: heat-map script not fetched; its tests check the map without it"
else
  echo "setup-tests: no npm: the heat-map script is not fetched; its tests check the map without it"
fi
