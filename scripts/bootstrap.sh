# Sourced by start.sh and test.sh: makes pnpm available and installs the workspace.
# Needs only Node.js 20+ and npm on the machine.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
PNPM_VERSION="$(node -p "require('$ROOT/package.json').packageManager.split('@')[1]")"
export TURBO_TELEMETRY_DISABLED=1
export PATH="$ROOT/.tools/bin:$PATH"

# better-sqlite3 compiles from source; node-gyp finds Node's headers here without a download.
if [ -z "${npm_config_nodedir:-}" ] && [ -f /usr/include/node/node.h ]; then
  export npm_config_nodedir=/usr
fi

if [ "$(pnpm --version 2>/dev/null || true)" != "$PNPM_VERSION" ]; then
  echo "jobs: installing pnpm $PNPM_VERSION into .tools/" >&2
  npm install --global --prefix "$ROOT/.tools" --no-fund --no-audit --loglevel=error "pnpm@$PNPM_VERSION"
fi

cd "$ROOT"
pnpm install --frozen-lockfile --reporter=append-only
