#!/usr/bin/env bash
# Vendor Chart.js from the npm registry into feedback/static/feedback/vendor/chartjs/:
# the pinned version's tarball is downloaded, checked against the sha512 integrity the
# registry publishes for it, and its minified UMD build and licence are copied out with
# a VERSION file. The portal serves it itself (no CDN).
#
#   scripts/vendor_chartjs.sh            # the pinned version below
#   scripts/vendor_chartjs.sh 4.6.3      # another 4.x version (then update PINNED)
#
# Needs npm (for `npm view`), curl, openssl and tar.
set -euo pipefail

PINNED=4.6.2
VERSION="${1:-$PINNED}"
case "$VERSION" in
  4.*) ;;
  *) echo "vendor_chartjs: the pages are written for Chart.js 4.x, not $VERSION" >&2; exit 1 ;;
esac

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
DEST="$ROOT/feedback/static/feedback/vendor/chartjs"
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT

# What the registry says this version is: its tarball and the tarball's integrity.
TARBALL_URL="$(npm view "chart.js@$VERSION" dist.tarball)"
INTEGRITY="$(npm view "chart.js@$VERSION" dist.integrity)"
if [ -z "$TARBALL_URL" ] || [ "${INTEGRITY%%-*}" != "sha512" ]; then
  echo "vendor_chartjs: no tarball or sha512 integrity for chart.js@$VERSION" >&2
  exit 1
fi

curl --fail --silent --show-error --location --output "$WORK/chart.tgz" "$TARBALL_URL"
ACTUAL="sha512-$(openssl dgst -sha512 -binary "$WORK/chart.tgz" | openssl base64 -A)"
if [ "$ACTUAL" != "$INTEGRITY" ]; then
  echo "vendor_chartjs: integrity mismatch for $TARBALL_URL" >&2
  echo "  registry: $INTEGRITY" >&2
  echo "  download: $ACTUAL" >&2
  exit 1
fi

tar -xzf "$WORK/chart.tgz" -C "$WORK" package/dist/chart.umd.js package/LICENSE.md package/package.json
if ! grep -q "\"version\": \"$VERSION\"" "$WORK/package/package.json"; then
  echo "vendor_chartjs: the tarball is not chart.js $VERSION" >&2
  exit 1
fi

mkdir -p "$DEST"
# The source map is not shipped, so its reference goes: Django's manifest storage
# (collectstatic) would otherwise fail looking for the missing .map file.
grep -v '^//# sourceMappingURL=' "$WORK/package/dist/chart.umd.js" > "$DEST/chart.umd.js"
cp "$WORK/package/LICENSE.md" "$DEST/LICENSE.md"
{
  echo "chart.js $VERSION"
  echo "tarball: $TARBALL_URL"
  echo "integrity: $INTEGRITY"
  echo "file: dist/chart.umd.js (minified UMD build, without its sourceMappingURL line)"
  echo "sha256 of chart.umd.js as vendored: $(sha256sum "$DEST/chart.umd.js" | cut -d' ' -f1)"
} > "$DEST/VERSION"
echo "vendor_chartjs: chart.js $VERSION -> ${DEST#"$ROOT"/}"
