#!/usr/bin/env bash
# Fails when the committed TypeScript in src/generated differs from what proto/ generates now.
set -euo pipefail
cd "$(dirname "$0")/.."
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
npx buf lint ../../proto
npx buf generate --output "$tmp"
if ! diff -r "$tmp/src/generated" src/generated; then
  echo "packages/contracts/src/generated is stale: run 'npm run contracts:generate' and commit the result." >&2
  exit 1
fi
echo "contracts: generated code is up to date"
