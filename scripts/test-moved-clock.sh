#!/usr/bin/env bash
# The integration and end-to-end tests once more with the clock moved: a time zone 14 hours
# ahead of UTC, and two minutes before UTC midnight on the last day of February, so the run
# crosses a day, a month and the local/UTC date line. A test that reads the wall clock or the
# local time zone fails here, not at some hour in CI. Every process (Postgres, Deno, Chromium)
# gets the same offset through libfaketime, but PostgREST: a static binary, it keeps the real
# clock, so tokens the gateway signs must not claim to be issued after PostgREST's now.
set -euo pipefail
cd "$(dirname "$0")/.."
if ! command -v faketime >/dev/null 2>&1; then
  echo "test:moved-clock needs libfaketime: apt-get install faketime" >&2
  exit 1
fi
at=${MOVED_CLOCK_AT:-2027-02-28T23:58:00Z}
offset=$(($(date -u -d "$at" +%s) - $(date -u +%s)))
export TZ=${MOVED_CLOCK_TZ:-Pacific/Kiritimati}
echo "moved clock: starts at $at, TZ=$TZ" >&2
exec faketime -f "${offset:+$([ "$offset" -ge 0 ] && echo +)}${offset}" \
  npx vitest run --project integration --project e2e "$@"
