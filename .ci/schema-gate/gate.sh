#!/usr/bin/env bash
# Breaking-change gate: graphql-inspector diff of the released schema against the current one,
# failing (exit 1) on breaking changes not accepted in schema/CHANGELOG.md (see accept-listed.cjs).
# Usage: gate.sh [released.graphql] [current.graphql]; SCHEMA_CHANGELOG=<file> to use another changelog.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
released=${1:-$root/schema/released.graphql}
current=${2:-$root/schema/schema.graphql}
if [ ! -f "$here/node_modules/.package-lock.json" ]; then
  (cd "$here" && npm ci --no-audit --no-fund >&2)
fi
exec "$here/node_modules/.bin/graphql-inspector" diff "$released" "$current" --rule "$here/accept-listed.cjs"
