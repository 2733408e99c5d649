# Shared by the bench scripts: a fresh PostgreSQL database, the app's class path, one Televisit
# started from the runnable jar with its own data folder, a backend-services app registered for the
# drivers. Source it after setting PORT (and, before `start`, SANDBOX=false to switch the sandbox off).
source "$(dirname "${BASH_SOURCE[0]}")/prelude.sh"
need_build
need_postgres
JAVA_OPTS="${JAVA_OPTS:--Xmx512m -XX:+UseSerialGC} -XX:+ExitOnOutOfMemoryError"
BASE="http://localhost:$PORT"
PG_ADMIN="${PG_ADMIN:-psql -w -h 127.0.0.1 -U postgres -d postgres -q}"
WORK=$(mktemp -d)
export TELEVISIT_DB_URL=jdbc:postgresql://127.0.0.1:5432/televisit_bench TELEVISIT_DB_USER=postgres TELEVISIT_DB_PASSWORD=
PID=
trap '[ -n "$PID" ] && kill $PID 2>/dev/null; rm -rf "$WORK"' EXIT

# CP: the visits module's classes and dependencies of the given scope (runtime, or test for Selenium)
classpath() {
  module_classpath "$WORK/cp" "${1:-runtime}"
  CP="$ROOT/visits/target/classes:$(cat "$WORK/cp")"
}

fresh_database() {
  $PG_ADMIN -c "DROP DATABASE IF EXISTS televisit_bench WITH (FORCE)" -c "CREATE DATABASE televisit_bench" 2>/dev/null
}

# A copy of the jar, so a rebuild during a run does not pull classes from under the server.
[ -f "$WORK/televisit.jar" ] || cp "${TELEVISIT_JAR:-$ROOT/visits/target/televisit.jar}" "$WORK/televisit.jar"

# Starts the jar with extra arguments; waits for ready and, with the sandbox on, for its clinic.
# A second server beside the first: PORT, DATA_DIR and LOG of its own (the PID of the last one is $PID).
start() {
  local data="${DATA_DIR:-$WORK/data}" log="${LOG:-$WORK/log}"
  # with BASELINE_PATH, the jar's PropertiesLauncher adds that folder to the class path
  java $JAVA_OPTS ${BASELINE_PATH:+-Dloader.path="$BASELINE_PATH"} -cp "$WORK/televisit.jar" \
    org.springframework.boot.loader.launch.PropertiesLauncher --server.port=$PORT \
    --televisit.data-dir="$data" --televisit.sandbox.enabled="${SANDBOX:-true}" "$@" >"$log" 2>&1 &
  PID=$!
  for _ in $(seq 1 240); do grep -q "Televisit ready in" "$log" && break; kill -0 $PID || { tail -30 "$log"; exit 1; }; sleep 0.25; done
  if [ "${SANDBOX:-true}" = true ]; then
    for _ in $(seq 1 240); do grep -q "Sandbox data set ready" "$log" && break; sleep 0.5; done
  fi
}
stop() { kill $PID; wait $PID 2>/dev/null || true; PID=; }

# start_baseline WithoutTokenChecks|WithoutVisitRules [args]: the same jar with one of the
# benchmarks' baseline classes (bench/baseline) on its class path. Only this turns Televisit's token
# checks or visit rules off: no property of the jar does.
start_baseline() {
  local marker="$1"; shift
  mkdir -p "$WORK/baseline"
  javac -d "$WORK/baseline" "$ROOT/bench/baseline/org/televisit/bench/$marker.java"
  BASELINE_PATH="$WORK/baseline" start "$@"
  BASELINE_PATH=
}

# Runs a driver under bench/ with the class path, without javac's notes.
# Idle HTTP connections are dropped after 10 s, before Tomcat closes them (a POST on a connection the
# server just closed fails instead of being retried): one side idles for a whole round in an A/B.
run() { java -Dlogback.configurationFile="$ROOT/bench/logback-bench.xml" -Djdk.httpclient.keepalive.timeout=10 -cp "$CP" "$ROOT/bench/$1.java" "${@:2}" 2>&1 | { grep -v -E "^(Note:|SLF4J)" || true; }; }

# Registers "bench-backend" (private_key_jwt, ES384 and RS384 keys in $WORK) for system/*.cruds.
register_backend() {
  run SmartBench register "$BASE" "$WORK"
  java -cp "$CP" org.televisit.visits.authorization.RegisterClient --id bench-backend --type asymmetric \
    --redirect-uri https://bench.example.org/cb --scopes "system/*.cruds" --jwks-file "$WORK/bench-jwks.json" 2>/dev/null | grep registered
}

# After a burst: how many AuditEvents the audit trail holds (each is committed before its answer, in
# televisit.audit_event, and searchable at once: there is no backlog to wait for).
audit_events() {
  printf 'audit trail: %s AuditEvents\n' "$(psql -w -h 127.0.0.1 -U postgres -d televisit_bench -tAc "SELECT count(*) FROM televisit.audit_event")"
}
