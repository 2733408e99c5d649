#!/usr/bin/env bash
# Scheduling figures on PostgreSQL against the runnable jar: booking through Televisit (rules,
# virtual service, join link, outbox, audit) against a plain FHIR create of the same Appointment with
# Televisit's rules switched off (same database, second start), and the join-link check rate.
# The link checks are driven by wrk (Debian's package; installed here when missing), a C load
# generator that leaves the two cores to the server.
# Build first: mvn -DskipTests install.   bench/scheduling.sh [booking-seconds] [check-seconds]
set -euo pipefail
PORT=18994
SANDBOX=false
source "$(dirname "$0")/lib.sh"
classpath
fresh_database
echo "JAVA_OPTS=$JAVA_OPTS cores=$(nproc); server and driver share the machine; base R4 validation on in both runs"
# The per-link limit (30 checks a minute) would refuse the bench's links, each checked hundreds of times
# a minute; raised here, the limiter still counts every check (per link and per address) as in production.
start --televisit.join.per-link-per-minute=1000000
register_backend
run SchedulingBench book "$BASE" "$WORK" "${1:-30}" "Televisit (rules, link, outbox, audit)"
audit_events
command -v wrk >/dev/null || { say "installing wrk (apt)"; apt-get install -y -q wrk >/dev/null; } || need_command wrk wrk
run SchedulingBench link-paths "$BASE" "$WORK/data" "$WORK/links"
# warm-up: on two cores the JIT is still compiling the check's path after 10 s (1,600 vs 2,000/s)
LINKS="$WORK/links" wrk -t2 -c8 -d"${CHECK_WARMUP:-30}s" -s "$ROOT/bench/join-links.lua" "$BASE" >/dev/null
# 8 connections leave the server's CPU partly idle (each waits for its check's audit commit); 16 load it
for connections in 8 16; do
  echo "join link check (GET /join/{token}), wrk, 2 threads, $connections connections, $(wc -l <"$WORK/links") links"
  LINKS="$WORK/links" wrk -t2 -c$connections -d"${2:-10}s" --latency -s "$ROOT/bench/join-links.lua" "$BASE" \
    | grep -E "Latency|50%|90%|99%|requests in|Requests/sec|Non-2xx"
done
audit_events
stop
start_baseline WithoutVisitRules
run SchedulingBench book "$BASE" "$WORK" "${1:-30}" "plain FHIR create, Televisit's rules off"
stop
