#!/usr/bin/env bash
# Makes a self-contained production bundle of the server and its dashboard in DIR: the built
# server, production dependencies only (better-sqlite3 compiled for this machine's Node.js), and
# the dashboard's files. Run it on the target's OS and architecture (or an image of it); on the
# target, start it with `node DIR/dist/main.js`: no pnpm, turbo or sources needed there.
set -euo pipefail
if [ "$#" -ne 1 ]; then
  echo "usage: npm run bundle -- DIR   (DIR must not exist yet)" >&2
  exit 2
fi
target="$(realpath -m "$1")"
if [ -e "$target" ]; then
  echo "jobs: $target already exists; give a new directory" >&2
  exit 2
fi
source "$(dirname "${BASH_SOURCE[0]}")/bootstrap.sh"
pnpm turbo run build --filter=@jobs/server... --output-logs=errors-only
pnpm --filter @jobs/server deploy --prod "$target" --reporter=append-only >/dev/null
echo "jobs: bundle in $target; start it with: node $target/dist/main.js --data-dir <dir>" >&2
