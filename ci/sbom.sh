#!/bin/sh
# The SBOM (CycloneDX JSON) of the image's production dependencies, written to $1; prints the line
# SBOM_DIGEST=sha256:<hex of the file> (the image's exchange.sbom.digest label, the release record's name).
# It installs them exactly as the Dockerfile's prod-deps stage does (npm ci --omit=dev, no scripts) into a
# throwaway copy of package.json + package-lock.json and runs `npm sbom` on that tree. Not
# `npm sbom --omit dev` on the whole tree: npm's query counts a package as dev when any devDependency
# also needs it (@npmcli/arborist query-selector-all.js, edgeIsType), so it leaves out packages the image
# installs (25 of 72 with npm 11.19.1, @aws-sdk/core among them). npm run test:container compares this
# list with the node_modules of a built image.
# Usage: sh ci/sbom.sh <out.cdx.json>
set -eu
[ $# -eq 1 ] || { echo "usage: sh ci/sbom.sh <out.cdx.json>" >&2; exit 2; }
root="$(cd "$(dirname "$0")/.." && pwd)"
out="$(cd "$(dirname "$1")" && pwd)/$(basename "$1")"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
# npm names the SBOM's root component after the folder.
mkdir "$work/exchange"
cp "$root/package.json" "$root/package-lock.json" "$work/exchange/"
cd "$work/exchange"
npm ci --omit=dev --ignore-scripts --no-audit --no-fund --prefer-offline --loglevel=error >&2
# `npm sbom` requires every dependency of the root to be installed; the image has no devDependencies.
npm pkg delete devDependencies
npm sbom --sbom-format cyclonedx --sbom-type application > "$out"
printf 'SBOM_DIGEST=sha256:%s\n' "$(sha256sum "$out" | cut -d ' ' -f 1)"
