#!/usr/bin/env bash
# Installs everything, then builds, typechecks, lints and runs every test of every package.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/bootstrap.sh"

# The dashboard's browser tests drive Debian's Chromium (never a downloaded browser).
if [ ! -x /usr/bin/chromium ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "jobs: installing chromium for the dashboard's browser tests" >&2
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium
  else
    echo "jobs: the dashboard's browser tests need /usr/bin/chromium (apt-get install chromium)" >&2
  fi
fi
# The PostgreSQL store's tests start a throwaway PostgreSQL 15 server of their own.
if [ ! -x /usr/lib/postgresql/15/bin/initdb ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "jobs: installing postgresql for the PostgreSQL store's tests" >&2
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql
  else
    echo "jobs: the PostgreSQL store's tests need PostgreSQL 15 (apt-get install postgresql)" >&2
  fi
fi
# The Slurm executor's and jobctl's Slurm tests start a throwaway Slurm cluster from Debian's packages.
if [ ! -x /usr/sbin/slurmctld ] || [ ! -x /usr/sbin/slurmd ] || ! command -v sbatch >/dev/null; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "jobs: installing Slurm for the Slurm executor's tests" >&2
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
      slurmctld slurmd slurm-client munge
  else
    echo "jobs: the Slurm executor's tests need Slurm (apt-get install --no-install-recommends slurmctld slurmd slurm-client munge)" >&2
  fi
fi
# The systemd unit's test checks it with systemd-analyze.
if ! command -v systemd-analyze >/dev/null; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "jobs: installing systemd for systemd-analyze (the unit's test)" >&2
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends systemd
  else
    echo "jobs: the systemd unit's test needs systemd-analyze (apt-get install systemd)" >&2
  fi
fi
pnpm prettier --check .
pnpm turbo run build typecheck lint --continue
# One package's tests at a time: they start real processes and servers, and two suites
# competing for 2 cores only makes each slower and its timing less predictable.
pnpm turbo run test --concurrency=1 --continue
