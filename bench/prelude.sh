# Sourced first by every bench script: a failure says which script stopped, where and why, and what
# a bench needs (the installed modules and the jar) is built when missing, with a sentence, instead
# of a bare exit 1 from deep inside Maven.
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BENCH_NAME="bench/$(basename "$0")"
trap 'echo "$BENCH_NAME: stopped at line $LINENO ($BASH_COMMAND) with exit code $?" >&2' ERR
set -o errtrace

say() { echo "$BENCH_NAME: $*" >&2; }

# The modules in ~/.m2 and visits/target/televisit.jar, built once if either is missing.
need_build() {
  if ! ls "$HOME"/.m2/repository/org/televisit/televisit-fhir-server/*/televisit-fhir-server-*.jar >/dev/null 2>&1 \
      || [ ! -f "${TELEVISIT_JAR:-$ROOT/visits/target/televisit.jar}" ]; then
    say "the modules are not installed (or the jar is not built): running mvn -B -DskipTests install first"
    mvn -q -B -ntp -f "$ROOT/pom.xml" -DskipTests install || { say "the build failed: fix it, then run me again"; exit 1; }
  fi
}

need_command() { # command, what to install
  command -v "$1" >/dev/null || { say "needs $1: sudo apt-get install -y $2"; exit 1; }
}

need_postgres() {
  ${PG_ADMIN:-psql -w -h 127.0.0.1 -U postgres -d postgres -q} -c "SELECT 1" >/dev/null 2>&1 \
    || { say "needs PostgreSQL at 127.0.0.1:5432 as postgres without a password (or PG_ADMIN=...); ./televisit test sets one up"; exit 1; }
}

# writes the class path of the visits module's dependencies of scope $2 to file $1, or says why not
module_classpath() {
  if ! mvn -q -B -ntp -f "$ROOT/pom.xml" -pl visits dependency:build-classpath -Dmdep.outputFile="$1" \
      -Dmdep.includeScope="$2" >"$1.log" 2>&1; then
    say "could not resolve the visits module's class path:"; tail -20 "$1.log" >&2; exit 1
  fi
}
