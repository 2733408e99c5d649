#!/usr/bin/env bash
# SMART figures on PostgreSQL against the runnable jar (sandbox on): EHR launches with 1 and 20
# concurrent clinicians, the token endpoint with private_key_jwt, and what the token check adds to a
# /fhir read (a second run of the same jar with televisit.fhir.require-token=false).
# Build first: mvn -DskipTests install.   bench/smart.sh [launches] [tokens]
set -euo pipefail
PORT=18992
source "$(dirname "$0")/lib.sh"
classpath
fresh_database
echo "JAVA_OPTS=$JAVA_OPTS cores=$(nproc); server and driver share the machine"
start
register_backend
run SmartBench launch "$BASE" 20 "${1:-400}"
run SmartBench token "$BASE" "$WORK" 8 "${2:-5000}" RS384
audit_backlog
run SmartBench token "$BASE" "$WORK" 8 "${2:-5000}" ES384
audit_backlog
run SmartBench read "$BASE" 3000 "$WORK"
stop
start --televisit.fhir.require-token=false
run SmartBench read "$BASE" 3000
stop
