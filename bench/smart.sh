#!/usr/bin/env bash
# SMART figures on PostgreSQL against the runnable jar (sandbox on): EHR launches with 1 and 20
# concurrent clinicians, the token endpoint with private_key_jwt, and what the token check adds to a
# /fhir read (a second run of the same jar with the WithoutTokenChecks baseline class, bench/baseline).
# Build first: mvn -DskipTests install.   bench/smart.sh [launches] [token requests signed] [token seconds]
set -euo pipefail
PORT=18992
source "$(dirname "$0")/lib.sh"
classpath
fresh_database
echo "JAVA_OPTS=$JAVA_OPTS cores=$(nproc); server and driver share the machine"
start
register_backend
[ "${1:-400}" = 0 ] || run SmartBench launch "$BASE" 20 "${1:-400}" # 0: tokens and reads only
command -v wrk >/dev/null || apt-get install -y -q wrk >/dev/null
# Tokens are driven by wrk (a C load generator, ~0.05 ms of CPU per request where the Java driver took
# ~0.3 ms of the two cores the server needs); every request carries its own pre-signed assertion.
for alg in RS384 ES384; do
  echo "signing ${2:-12000} + 4000 $alg client assertions before the clock starts"
  run SmartBench token-bodies "$BASE" "$WORK" 4000 $alg "$WORK/warm-up-bodies"
  run SmartBench token-bodies "$BASE" "$WORK" "${2:-12000}" $alg "$WORK/bodies"
  THREADS=2 BODIES="$WORK/warm-up-bodies" wrk -t2 -c8 -d5s -s "$ROOT/bench/tokens.lua" "$BASE" >/dev/null
  echo "token endpoint, private_key_jwt $alg, wrk, 2 threads, 8 connections, 10 s"
  THREADS=2 BODIES="$WORK/bodies" wrk -t2 -c8 -d"${3:-10}s" --latency -s "$ROOT/bench/tokens.lua" "$BASE" \
    | grep -E "Requests/sec|Non-2xx|50%|99%|requests in"
  audit_events
done
run SmartBench read "$BASE" 3000 "$WORK"
stop
start_baseline WithoutTokenChecks
run SmartBench read "$BASE" 3000
stop
