#!/usr/bin/env bash
# The patient's first minute on a slow phone network: each round books a visit, opens its link in a new
# phone-sized chromium (empty cache) over Chrome's "Fast 3G" conditions, and times link -> camera preview
# on the page's own clock; prints the bytes the page pulled over the network. Issue 18's figures: p95
# <= 2.0 s and <= 300 KB. Needs chromium + chromium-driver and janus (./televisit test installs them).
# Build first: mvn -DskipTests install.   bench/join-fast3g.sh [rounds]
set -euo pipefail
PORT=18996
source "$(dirname "$0")/lib.sh"
need_command chromium chromium
need_command chromedriver chromium-driver
need_command janus janus
classpath test
fresh_database
start
echo "JAVA_OPTS=$JAVA_OPTS cores=$(nproc); server, Janus, browser and driver share the machine"
register_backend
TOKEN=$(java -cp "$CP" "$ROOT/bench/SchedulingBench.java" token "$BASE" "$WORK" 2>/dev/null | tail -1)
run VisitBench fast-3g "$BASE" "${1:-10}" "$WORK/data" "$TOKEN" "$ROOT/bench/SchedulingBench.java" "$WORK"
