#!/usr/bin/env bash
# Installs everything, builds the server and starts it on its embedded default
# (SQLite in ./.jobs-data, http://127.0.0.1:9080). Extra arguments go to the server.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/bootstrap.sh"
pnpm turbo run build --filter=@jobs/server... --output-logs=errors-only
exec node apps/server/dist/main.js "$@"
