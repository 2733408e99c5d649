#!/usr/bin/env bash
# Scheduling figures on PostgreSQL against the runnable jar: booking through Televisit (rules,
# virtual service, join link, outbox, audit) against a plain FHIR create of the same Appointment with
# Televisit's rules switched off (same database, second start), and the join-link check rate.
# Build first: mvn -DskipTests install.   bench/scheduling.sh [seconds] [checks]
set -euo pipefail
PORT=18994
SANDBOX=false
source "$(dirname "$0")/lib.sh"
classpath
fresh_database
echo "JAVA_OPTS=$JAVA_OPTS cores=$(nproc); server and driver share the machine; base R4 validation on in both runs"
start
register_backend
run SchedulingBench book "$BASE" "$WORK" "${1:-30}" "Televisit (rules, link, outbox, audit)"
run SchedulingBench links "$BASE" "$WORK/data" "${2:-10000}"
audit_backlog
stop
start --televisit.rules.enabled=false
run SchedulingBench book "$BASE" "$WORK" "${1:-30}" "plain FHIR create, Televisit's rules off"
stop
