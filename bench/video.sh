#!/usr/bin/env bash
# Video figures on real local Janus processes and PostgreSQL. Build first: mvn -DskipTests install.
#   bench/video.sh [visits]
set -euo pipefail
source "$(dirname "$0")/prelude.sh"
need_build
need_postgres
need_command janus janus
CP_FILE=$(mktemp)
module_classpath "$CP_FILE" runtime
CP="$(cat "$CP_FILE")"
rm -f "$CP_FILE"
echo "cores=$(nproc); Janus $(janus --version 2>/dev/null | head -1 | grep -o '(.*)')"
java -Dlogback.configurationFile="$ROOT/bench/logback-bench.xml" -cp "$CP" "$ROOT/bench/VideoBench.java" "${1:-2000}" 2>&1 \
  | grep -v -E "^(SLF4J|[A-Z][a-z]{2} [0-9]+, 20|INFO: |Liquibase: |WARNING: )" || true
