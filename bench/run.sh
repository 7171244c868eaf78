#!/usr/bin/env bash
# Benchmarks the worker on a real Liberty server of its own (workerBench, HTTP port 29080, JMS
# port 27276): echo jobs over JMS and over HTTP, on embedded Derby and on PostgreSQL. Prints a
# Markdown table and keeps it in bench/results/latest.md. Not part of the tests: see bench/README.md.
set -euo pipefail
cd "$(dirname "$0")/.."

JOBS=${BENCH_JOBS:-20000}
CLIENTS=${BENCH_HTTP_CLIENTS:-16}
RATE=${BENCH_RATE:-100}                       # paced run's rate per second; 0: no paced run
DATABASES=${BENCH_DATABASES:-"derby postgresql"}
PG_DATABASE=${BENCH_PG_DATABASE:-worker_bench}
WLP=target/liberty/wlp
SERVER=workerBench
DIR=$WLP/usr/servers/$SERVER
BASE=http://localhost:29080
# Maven, quiet, without the colour escapes Debian's Maven 3.8 prints even in batch mode
mvnq() { mvn -q -B -Dstyle.color=never "$@" 2>&1 | sed -u 's/\x1b\[[0-9;]*m//g'; }
RESULTS=bench/results

mkdir -p "$RESULTS"

if [ "${BENCH_SKIP_BUILD:-0}" != 1 ]; then
  echo "== building the worker WAR, the Liberty runtime, the JDBC drivers and the bench producer"
  mvnq -DskipTests package
  mvnq liberty:install-server
  mvnq dependency:copy-dependencies -DincludeGroupIds=org.apache.derby,org.postgresql \
      -DincludeScope=provided -DoutputDirectory="$WLP/usr/shared/resources/jdbc"
  mvnq -f bench/pom.xml package
fi
for f in target/worker-role.war bench/target/bench-producer.war "$WLP/bin/server"; do
  [ -e "$f" ] || { echo "missing $f: run without BENCH_SKIP_BUILD" >&2; exit 1; }
done
ls "$WLP"/usr/shared/resources/jdbc/derby-*.jar "$WLP"/usr/shared/resources/jdbc/postgresql-*.jar >/dev/null

stop_server() { [ -d "$DIR" ] && "$WLP/bin/server" stop "$SERVER" >/dev/null 2>&1 || true; }
trap stop_server EXIT

wait_ready() {
  for _ in $(seq 1 180); do
    [ "$(curl -s -o /dev/null -w '%{http_code}' "$BASE/health/ready")" = 200 ] && return 0
    sleep 1
  done
  echo "workerBench was not ready within 3 minutes; end of its log:" >&2
  tail -n 40 "$DIR/logs/messages.log" >&2 || true
  return 1
}

# Other Liberty servers (tests, a dev server) share the cores and skew the figures: say so.
others=$(for pid in $(pgrep -f 'ws-javaagent.jar' || true); do
           basename "$(readlink "/proc/$pid/cwd" 2>/dev/null)"; done | grep -vx "$SERVER" | sort -u | paste -sd' ' - || true)
load_at_start=$(cut -d' ' -f1-3 /proc/loadavg)
if [ -n "$others" ]; then
  echo "!! other Liberty servers are running ($others): the figures will be lower than on a quiet machine" >&2
fi

results=()
for db in $DATABASES; do
  echo "== $db: a fresh server $SERVER"
  stop_server
  rm -rf "$DIR"                                   # also the Derby database (in $DIR/data)
  mkdir -p "$DIR/dropins"
  cp -r server-config/. "$DIR/"
  cp -r liberty/bench-server/. "$DIR/"
  cp target/worker-role.war bench/target/bench-producer.war "$DIR/dropins/"
  case "$db" in
    derby) ;;
    postgresql)
      # A database of its own, created afresh: the worker creates its schema there at start.
      psql -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -U postgres -d test \
           -c "DROP DATABASE IF EXISTS $PG_DATABASE WITH (FORCE)" -c "CREATE DATABASE $PG_DATABASE"
      cat > "$DIR/configDropins/overrides/bench-database.xml" <<XML
<server>
    <variable name="worker.datasource" value="jdbc/workerPostgres"/>
    <variable name="worker.postgres.database" value="$PG_DATABASE"/>
</server>
XML
      ;;
    *) echo "unknown database $db (derby or postgresql)" >&2; exit 1 ;;
  esac
  "$WLP/bin/server" start "$SERVER" >/dev/null
  wait_ready
  for mode in jms http; do
    echo "== $db / $mode: $JOBS jobs$([ "$RATE" -gt 0 ] && echo ", then paced at $RATE/s")"
    log="$RESULTS/$db-$mode.log"
    if ! mvnq -f bench/pom.xml exec:java -Dexec.args="$BASE $mode $JOBS $CLIENTS $RATE" | tee "$log"; then
      echo "the $db / $mode run failed (see $log and $DIR/logs/messages.log)" >&2
      exit 1
    fi
    while IFS= read -r line; do
      results+=("$db|${line#*RESULT|}")
    done < <(grep -o 'RESULT|.*' "$log")
  done
  errors=$(grep -cE '^\[[^]]*\] [0-9a-f]{8} [^ ]+ +E ' "$DIR/logs/messages.log" || true)
  if [ "$errors" -gt 0 ]; then
    echo "!! $errors error line(s) in $DIR/logs/messages.log (kept as $RESULTS/$db-messages.log), the first:" >&2
    grep -E '^\[[^]]*\] [0-9a-f]{8} [^ ]+ +E ' "$DIR/logs/messages.log" | head -n 5 | cut -c1-400 >&2
  fi
  cp "$DIR/logs/messages.log" "$RESULTS/$db-messages.log"
  rm -rf "$RESULTS/$db-ffdc" && { [ ! -d "$DIR/logs/ffdc" ] || cp -r "$DIR/logs/ffdc" "$RESULTS/$db-ffdc"; }
  stop_server
done

{
  echo "Measured $(date -u '+%Y-%m-%d %H:%M UTC') on $(nproc) cores," \
       "$(awk '/MemTotal/ {printf "%.1f GiB", $2/1048576}' /proc/meminfo)," \
       "$(java -version 2>&1 | head -n 1)," \
       "Open Liberty $(sed -n 's/^com.ibm.websphere.productVersion=//p' "$WLP/lib/versions/openliberty.properties" 2>/dev/null);" \
       "client, server and database on the same machine; load average at start $load_at_start$([ -n "$others" ] && echo ", other Liberty servers running: $others")."
  echo
  echo "| database | mode | run | jobs | jobs/s | p50 ms | p99 ms | max ms |"
  echo "| --- | --- | --- | ---: | ---: | ---: | ---: | ---: |"
  for r in "${results[@]}"; do
    IFS='|' read -r db mode shape jobs rate p50 p99 max <<< "$r"
    echo "| $db | $mode | $shape | $jobs | $rate | $p50 | $p99 | $max |"
  done
  echo
  echo "p50/p99/max: enqueue-to-start latency (startedAt - enqueuedAt). In a burst it includes the"
  echo "wait in the backlog; in a paced run it is the worker's own pick-up delay."
} > "$RESULTS/latest.md"
echo
cat "$RESULTS/latest.md"
