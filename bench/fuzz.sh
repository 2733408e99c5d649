#!/usr/bin/env bash
# The fuzz suite's test (visits/.../FuzzedBodiesTest) with more bodies and another seed than the suite's
# 5,000 from seed 20261202: bench/fuzz.sh [bodies] [seed]. Needs what ./televisit test needs (it runs
# through Maven on the test PostgreSQL). Prints the summary line: bodies, codes, slowest answer.
set -euo pipefail
source "$(dirname "$0")/prelude.sh"
BODIES="${1:-50000}"
SEED="${2:-$RANDOM}"
cd "$ROOT"
need_build
need_postgres
if ! mvn -B -ntp -pl visits test -Dtest=FuzzedBodiesTest -Dsurefire.failIfNoSpecifiedTests=false \
    -DargLine="-Dtelevisit.fuzz.bodies=$BODIES -Dtelevisit.fuzz.seed=$SEED" > "$ROOT/visits/target/fuzz.log" 2>&1; then
  echo "bench/fuzz.sh: the fuzz test failed (seed $SEED); see visits/target/fuzz.log and the surefire report" >&2
  cat "$ROOT/visits/target/fuzz-summary.txt" 2>/dev/null || true
  exit 1
fi
cat "$ROOT/visits/target/fuzz-summary.txt"
