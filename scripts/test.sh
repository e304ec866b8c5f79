#!/usr/bin/env bash
# Installs everything, then builds, typechecks, lints and runs every test of every package.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/bootstrap.sh"
pnpm prettier --check .
pnpm turbo run build typecheck lint --continue
# One package's tests at a time: they start real processes and servers, and two suites
# competing for 2 cores only makes each slower and its timing less predictable.
pnpm turbo run test --concurrency=1 --continue
