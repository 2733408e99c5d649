#!/usr/bin/env bash
# Visit figures on PostgreSQL against the runnable jar with its local Janus and the sandbox on:
# presence latency (Janus event -> console SSE) and "Start visit" click -> inbound media in chromium.
# Needs chromium + chromium-driver (./televisit test installs them). Build first: mvn -DskipTests install.
#   bench/visit.sh [presence-rounds] [visits]
set -euo pipefail
PORT=18995
source "$(dirname "$0")/lib.sh"
need_command chromium chromium
need_command chromedriver chromium-driver
need_command janus janus
export TELEVISIT_VIDEO_EVENTS_PASSWORD="bench-$(head -c 12 /dev/urandom | base64 | tr -dc A-Za-z0-9)"
classpath test
fresh_database
start
echo "JAVA_OPTS=$JAVA_OPTS cores=$(nproc); server, Janus, browsers and driver share the machine"
run VisitBench presence "$BASE" "${1:-300}" "$TELEVISIT_VIDEO_EVENTS_PASSWORD"
register_backend
TOKEN=$(java -cp "$CP" "$ROOT/bench/SchedulingBench.java" token "$BASE" "$WORK" 2>/dev/null | tail -1)
run VisitBench media "$BASE" "${2:-5}" "$WORK/data" "$TOKEN" "$ROOT/bench/SchedulingBench.java" "$WORK"
