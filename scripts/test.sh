#!/usr/bin/env bash
# Installs everything, then builds, typechecks, lints and runs every test of every package.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/bootstrap.sh"
pnpm prettier --check .
pnpm turbo run build typecheck lint test --continue
