# Shell functions shared by the benchmark scripts (bench/run.sh, bench/schedules.sh). Sourced,
# not run, from the repository's root (the scripts cd there first); they use set -euo pipefail.

WLP=target/liberty/wlp
RESULTS=bench/results

# Maven, quiet, without the colour escapes Debian's Maven 3.8 prints even in batch mode
mvnq() { mvn -q -B -Dstyle.color=never "$@" 2>&1 | sed -u 's/\x1b\[[0-9;]*m//g'; }

# server_dir NAME: the Liberty server's folder
server_dir() { echo "$WLP/usr/servers/$1"; }

# Builds the worker WAR, the Liberty runtime, the JDBC drivers and bench/ (unless
# BENCH_SKIP_BUILD=1), then checks that all of them are there.
build_bench() {
  if [ "${BENCH_SKIP_BUILD:-0}" != 1 ]; then
    echo "== building the worker WAR, the Liberty runtime, the JDBC drivers and the bench producer"
    mvnq -DskipTests package
    mvnq liberty:install-server
    mvnq dependency:copy-dependencies -DincludeGroupIds=org.apache.derby,org.postgresql \
        -DincludeScope=provided -DoutputDirectory="$WLP/usr/shared/resources/jdbc"
    mvnq -f bench/pom.xml package
  fi
  for f in target/worker-role.war bench/target/bench-producer.war bench/target/bench-producer-handlers.jar "$WLP/bin/server"; do
    [ -e "$f" ] || { echo "missing $f: run without BENCH_SKIP_BUILD" >&2; exit 1; }
  done
  ls "$WLP"/usr/shared/resources/jdbc/derby-*.jar "$WLP"/usr/shared/resources/jdbc/postgresql-*.jar >/dev/null
}

# stop_server NAME: stops the server if it exists (whether it runs or not); never fails
stop_server() { [ -d "$(server_dir "$1")" ] && "$WLP/bin/server" stop "$1" >/dev/null 2>&1 || true; }

# wait_ready NAME BASE_URL: waits (up to 3 minutes) until the server's readiness is UP
wait_ready() {
  for _ in $(seq 1 180); do
    [ "$(curl -s -o /dev/null -w '%{http_code}' "$2/health/ready")" = 200 ] && return 0
    sleep 1
  done
  echo "$1 was not ready within 3 minutes; end of its log:" >&2
  tail -n 40 "$(server_dir "$1")/logs/messages.log" >&2 || true
  return 1
}

# freeze_server NAME BASE_URL: sets worker.freeze on the running server (an override, as an admin
# would in server.xml) and waits (up to a minute) until its readiness is DOWN: it still accepts
# jobs over HTTP, and runs none
freeze_server() {
  freeze_flag "$1"
  for _ in $(seq 1 60); do
    [ "$(curl -s -o /dev/null -w '%{http_code}' "$2/health/ready")" = 503 ] && return 0
    sleep 1
  done
  echo "$1 was not frozen within a minute" >&2
  return 1
}

# freeze_flag NAME: sets worker.freeze in the server's configuration (running or not)
freeze_flag() {
  cat > "$(server_dir "$1")/configDropins/overrides/bench-freeze.xml" <<XML
<server>
    <variable name="worker.freeze" value="true"/>
</server>
XML
}

# other_servers NAME...: the names of running Liberty servers other than these, space-separated
other_servers() {
  local mine
  mine=$(printf '%s\n' "$@")
  for pid in $(pgrep -f 'ws-javaagent.jar' || true); do
    basename "$(readlink "/proc/$pid/cwd" 2>/dev/null)"
  done | grep -vxF "$mine" | sort -u | paste -sd' ' - || true
}

# fresh_server NAME WAR...: recreates the server from scratch (which also deletes its Derby
# database): server-config/ + liberty/bench-server/ + the WARs in dropins/, and the lines of
# BENCH_JVM_OPTIONS (';'-separated) added to its jvm.options, to try options
fresh_server() {
  local name=$1 dir
  shift
  dir=$(server_dir "$name")
  stop_server "$name"
  rm -rf "$dir"
  mkdir -p "$dir/dropins"
  cp -r server-config/. "$dir/"
  cp -r liberty/bench-server/. "$dir/"
  cp "$@" "$dir/dropins/"
  [ -z "${BENCH_JVM_OPTIONS:-}" ] || tr ';' '\n' <<< "$BENCH_JVM_OPTIONS" >> "$dir/jvm.options"
}

# with_handlers NAME JAR: deploys the worker WAR with JAR as its handler library (a private
# library, as docs/developing.md "Handler projects" has admins do)
with_handlers() {
  local dir
  dir=$(server_dir "$1")
  mkdir -p "$dir/handlers"
  cp "$2" "$dir/handlers/"
  declare_app "$1"
}

# declare_app NAME: declares the worker WAR in server.xml (it moves from dropins to apps), with
# its class loader's libraries: the handlers/ folder as private library if there is one, and the
# JDBC drivers as common library (for the wake-ups across servers over PostgreSQL, docs/operations.md
# "Several servers on one PostgreSQL"). One file for both, as Liberty takes two declarations as two applications.
declare_app() {
  local dir private=""
  dir=$(server_dir "$1")
  mkdir -p "$dir/apps"
  if [ -f "$dir/dropins/worker-role.war" ]; then mv "$dir/dropins/worker-role.war" "$dir/apps/"; fi
  if [ -d "$dir/handlers" ]; then private=' privateLibraryRef="handlers"'; fi
  cat > "$dir/configDropins/overrides/bench-app.xml" <<XML
<server>
    <library id="handlers">
        <fileset dir="\${server.config.dir}/handlers" includes="*.jar"/>
    </library>
    <webApplication location="worker-role.war">
        <classloader$private commonLibraryRef="jdbcDrivers"/>
    </webApplication>
</server>
XML
}

# begin_bench SERVER...: what every benchmark does first: makes the results folder, builds
# (build_bench), stops the servers on exit (also on failure), and notes the load and any other
# Liberty servers running (tests, a dev server), which share the cores and skew the figures.
# Sets load_at_start and others.
begin_bench() {
  mkdir -p "$RESULTS"
  build_bench
  # shellcheck disable=SC2064 # the names are fixed now
  trap "for s in $*; do stop_server \"\$s\"; done" EXIT
  others=$(other_servers "$@")
  load_at_start=$(cut -d' ' -f1-3 /proc/loadavg)
  if [ -n "$others" ]; then
    echo "!! other Liberty servers are running ($others): the figures will be skewed against a quiet machine" >&2
  fi
}

# second_server NAME WAR DB: a second fresh server beside workerBench, on the same PostgreSQL
# database, on ports of its own (HTTP 29180, HTTPS 29543, JMS 27376) in place of
# liberty/bench-server's, with the bench admin's password as workerBench has it
second_server() {
  fresh_server "$1" "$2"
  cat > "$(server_dir "$1")/configDropins/overrides/bench-server.xml" <<XML
<server>
    <variable name="default.http.port" value="29180"/>
    <variable name="default.https.port" value="29543"/>
    <variable name="worker.jms.port" value="27376"/>
    <variable name="worker.user.admin.password" value="bench-admin-pw"/>
</server>
XML
  use_postgres "$1" "$3"
}

# start_in_turn NAME BASE_URL [NAME BASE_URL...]: starts the servers one after the other, each
# once the one before is ready (the first creates the schema)
start_in_turn() {
  while [ $# -ge 2 ]; do
    "$WLP/bin/server" start "$1" >/dev/null
    wait_ready "$1" "$2"
    shift 2
  done
}

# reset_pg_database DB: drops and recreates the PostgreSQL database (127.0.0.1:5432, user postgres)
reset_pg_database() {
  psql -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -U postgres -d test \
       -c "DROP DATABASE IF EXISTS $1 WITH (FORCE)" -c "CREATE DATABASE $1"
}

# use_postgres NAME DB: points the server's job store at that PostgreSQL database, with the
# drivers visible to the worker (BENCH_WAKEUPS=0: not, so that other servers find its jobs by their
# poll alone)
use_postgres() {
  cat > "$(server_dir "$1")/configDropins/overrides/bench-database.xml" <<XML
<server>
    <variable name="worker.datasource" value="jdbc/workerPostgres"/>
    <variable name="worker.postgres.database" value="$2"/>
</server>
XML
  if [ "${BENCH_WAKEUPS:-1}" = 1 ]; then declare_app "$1"; fi
}

# keep_server_logs NAME PREFIX: reports the error lines of the server's messages.log and keeps
# the log (and FFDC files) as $RESULTS/PREFIX-messages.log (and PREFIX-ffdc/)
keep_server_logs() {
  local dir errors
  dir=$(server_dir "$1")
  errors=$(grep -cE '^\[[^]]*\] [0-9a-f]{8} [^ ]+ +E ' "$dir/logs/messages.log" || true)
  if [ "$errors" -gt 0 ]; then
    echo "!! $errors error line(s) in $dir/logs/messages.log (kept as $RESULTS/$2-messages.log), the first:" >&2
    grep -E '^\[[^]]*\] [0-9a-f]{8} [^ ]+ +E ' "$dir/logs/messages.log" | head -n 5 | cut -c1-400 >&2
  fi
  cp "$dir/logs/messages.log" "$RESULTS/$2-messages.log"
  rm -rf "$RESULTS/$2-ffdc" && { [ ! -d "$dir/logs/ffdc" ] || cp -r "$dir/logs/ffdc" "$RESULTS/$2-ffdc"; }
}

# The start of a results file's first line: when, and on what machine and runtime.
measured_on() {
  echo "Measured $(date -u '+%Y-%m-%d %H:%M UTC') on $(nproc) cores," \
       "$(awk '/MemTotal/ {printf "%.1f GiB", $2/1048576}' /proc/meminfo)," \
       "$(java -version 2>&1 | head -n 1)," \
       "Open Liberty $(sed -n 's/^com.ibm.websphere.productVersion=//p' "$WLP/lib/versions/openliberty.properties" 2>/dev/null);"
}

# settle NAME: waits (up to 3 minutes) until the server's JVM has used less than 5% of a core
# over 3 s: a freshly started Liberty server compiles its start-up code for a minute or more
# (the JIT's compiler threads took as much CPU as the jobs did in a burst right after start),
# which is not what a long-running worker costs. Reports how long it waited.
settle() {
  local pidfile="$WLP/usr/servers/.pid/$1.pid" pid ticks waited=0 hz
  hz=$(getconf CLK_TCK)
  pid=$(cat "$pidfile" 2>/dev/null) || { echo "no pid file $pidfile" >&2; return 0; }
  while [ "$waited" -lt 180 ]; do
    ticks=$(awk '{print $14 + $15}' "/proc/$pid/stat")
    sleep 3
    waited=$((waited + 3))
    if [ $(( $(awk '{print $14 + $15}' "/proc/$pid/stat") - ticks )) -lt $(( hz * 3 * 5 / 100 )) ]; then
      echo "== $1 settled after ${waited} s"
      return 0
    fi
  done
  echo "!! $1 still busy after ${waited} s; measuring anyway" >&2
}

# start_burners N: starts N processes that each keep a core busy (a shell loop at normal
# priority), as a test suite running beside would; stop_burners ends them. Their ids are in
# burners, for the caller's EXIT trap to call stop_burners.
burners=()
start_burners() {
  local _
  for _ in $(seq 1 "$1"); do
    sh -c 'while :; do :; done' &
    burners+=("$!")
  done
}
stop_burners() {
  if [ "${#burners[@]}" -gt 0 ]; then kill "${burners[@]}" 2>/dev/null || true; fi
  burners=()
}
