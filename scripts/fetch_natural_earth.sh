#!/usr/bin/env bash
# Fetch Natural Earth 1:50m country outlines from the pinned npm package
# world-atlas@2.0.2 and copy them into data/raw/natural-earth/.
#
#   bash scripts/fetch_natural_earth.sh [DEST]      (DEST defaults to data/raw/natural-earth)
#
# Needs only `npm` (for `npm pack`, which downloads the tarball from the registry
# without installing anything), `python3` and `sha256sum`. The tarball is checked
# against the integrity value pinned below before anything is copied; the copied
# files are checked against pinned sha256 sums. The files are committed, so this
# script only needs running again to re-verify or to move to another version.
set -euo pipefail

PACKAGE="world-atlas"
VERSION="2.0.2"
# From `npm view world-atlas@2.0.2 dist.integrity` (the registry's sha512 of the tarball).
INTEGRITY="sha512-IXfV0qwlKXpckz1FhwXVwKRjiIhOnWttOskm5CtxMsjgE/MXAYRHWJqgXOpM8IkcPBoXnyTU5lFHcYa5ChG0LQ=="
# sha256 of the two files we keep, as first fetched.
SHA256_COUNTRIES="04342cdc1e3016bcd7db1630de95684d67b79fe3c8c460321e87aef469502394"
SHA256_LICENSE="8048290dfdb6e83fbed17e8985c8cfc4ce9da9b842642f3d3e497280790cfa31"

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
dest="${1:-$repo_root/data/raw/natural-earth}"

fail() { echo "fetch_natural_earth: $*" >&2; exit 1; }
command -v npm >/dev/null || fail "npm is not installed (needed for 'npm pack')"

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

( cd "$work" && npm pack --silent "$PACKAGE@$VERSION" >/dev/null ) \
    || fail "npm pack $PACKAGE@$VERSION failed"
tarball="$work/$PACKAGE-$VERSION.tgz"
[ -f "$tarball" ] || fail "npm pack did not produce $tarball"

actual="$(python3 -c 'import base64, hashlib, sys
print("sha512-" + base64.b64encode(hashlib.sha512(open(sys.argv[1], "rb").read()).digest()).decode())' "$tarball")"
[ "$actual" = "$INTEGRITY" ] || fail "tarball integrity mismatch: got $actual, expected $INTEGRITY"

tar -xzf "$tarball" -C "$work" package/countries-50m.json package/LICENSE package/package.json \
    || fail "tarball lacks countries-50m.json or LICENSE"
grep -q "\"version\": \"$VERSION\"" "$work/package/package.json" \
    || fail "package.json in the tarball is not version $VERSION"

check_sha256() {  # file expected
    local got
    got="$(sha256sum "$1" | cut -d' ' -f1)"
    [ "$got" = "$2" ] || fail "sha256 mismatch for $(basename "$1"): got $got, expected $2"
}
check_sha256 "$work/package/countries-50m.json" "$SHA256_COUNTRIES"
check_sha256 "$work/package/LICENSE" "$SHA256_LICENSE"

mkdir -p "$dest"
# Copy to a temporary name in the target folder, then rename: never a half-written file.
for name in countries-50m.json LICENSE; do
    cp "$work/package/$name" "$dest/.$name.tmp"
    mv -f "$dest/.$name.tmp" "$dest/$name"
done
echo "fetch_natural_earth: verified $PACKAGE@$VERSION; wrote $dest/countries-50m.json and $dest/LICENSE"
