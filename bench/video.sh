#!/usr/bin/env bash
# Video figures on real local Janus processes and PostgreSQL. Build first: mvn -DskipTests install.
#   bench/video.sh [visits]
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
CP_FILE=$(mktemp)
mvn -q -B -ntp -f "$ROOT/pom.xml" -pl visits dependency:build-classpath -Dmdep.outputFile="$CP_FILE" -Dmdep.includeScope=runtime >/dev/null
CP="$(cat "$CP_FILE")"
rm -f "$CP_FILE"
echo "cores=$(nproc); Janus $(janus --version 2>/dev/null | head -1 | grep -o '(.*)')"
java -Dlogback.configurationFile="$ROOT/bench/logback-bench.xml" -cp "$CP" "$ROOT/bench/VideoBench.java" "${1:-2000}" 2>&1 \
  | grep -v -E "^(SLF4J|[A-Z][a-z]{2} [0-9]+, 20|INFO: |Liquibase: |WARNING: )" || true
