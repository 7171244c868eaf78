#!/usr/bin/env bash
# Benchmarks the worker on a real Liberty server of its own (workerBench, HTTP port 29080, JMS
# port 27276): echo jobs over JMS, over HTTP and from code (Jobs, in-process), on embedded Derby and on PostgreSQL. Prints a
# Markdown table and keeps it in bench/results/latest.md. Not part of the tests: see bench/README.md.
set -euo pipefail
cd "$(dirname "$0")/.."

JOBS=${BENCH_JOBS:-20000}
CLIENTS=${BENCH_HTTP_CLIENTS:-16}
RATE=${BENCH_RATE:-100}                       # paced run's rate per second; 0: no paced run
DATABASES=${BENCH_DATABASES:-"derby postgresql"}
PG_DATABASE=${BENCH_PG_DATABASE:-worker_bench}
MODES=${BENCH_MODES:-"jms http http-batch code"}
WARMUP=${BENCH_WARMUP:-2000}                  # warm-up jobs per way in, not reported
source bench/lib.sh                           # WLP, RESULTS, mvnq, build_bench, stop_server, ...
SERVER=workerBench
DIR=$(server_dir "$SERVER")
BASE=http://localhost:29080

begin_bench "$SERVER"

results=()
for db in $DATABASES; do
  echo "== $db: a fresh server $SERVER"
  fresh_server "$SERVER" target/worker-role.war bench/target/bench-producer.war   # also deletes the Derby database
  with_handlers "$SERVER" bench/target/bench-producer-handlers.jar                 # the in-process producer (code)
  case "$db" in
    derby) ;;
    postgresql)
      # A database of its own, created afresh: the worker creates its schema there at start.
      reset_pg_database "$PG_DATABASE"
      use_postgres "$SERVER" "$PG_DATABASE"
      ;;
    *) echo "unknown database $db (derby or postgresql)" >&2; exit 1 ;;
  esac
  if [ "${BENCH_JFR:-0}" = 1 ]; then
    # A flight recording of the whole run, written when the server stops (jfr print / JMC).
    echo "-XX:StartFlightRecording=filename=$PWD/$RESULTS/$db.jfr,settings=profile,method-profiling=max,dumponexit=true" >> "$DIR/jvm.options"
  fi
  "$WLP/bin/server" start "$SERVER" >/dev/null
  wait_ready "$SERVER" "$BASE"
  # Warm up every way in first, then let the server settle, then measure: the figures are
  # those of a running worker, not of one still compiling its own start-up.
  for mode in $MODES; do
    echo "== $db / $mode: warm-up, $WARMUP jobs"
    mvnq -f bench/pom.xml exec:java -Dbench.warmup="$WARMUP" -Dexec.args="$BASE $mode 0 $CLIENTS 0" \
        > "$RESULTS/$db-$mode-warmup.log" || { echo "the $db / $mode warm-up failed (see $RESULTS/$db-$mode-warmup.log)" >&2; exit 1; }
  done
  settle "$SERVER"
  for mode in $MODES; do
    echo "== $db / $mode: $JOBS jobs$([ "$RATE" -gt 0 ] && echo ", then paced at $RATE/s")"
    log="$RESULTS/$db-$mode.log"
    if ! mvnq -f bench/pom.xml exec:java -Dbench.warmup=0 -Dexec.args="$BASE $mode $JOBS $CLIENTS $RATE" | tee "$log"; then
      echo "the $db / $mode run failed (see $log and $DIR/logs/messages.log)" >&2
      exit 1
    fi
    while IFS= read -r line; do
      results+=("$db|${line#*RESULT|}")
    done < <(grep -o 'RESULT|.*' "$log")
  done
  keep_server_logs "$SERVER" "$db"
  stop_server "$SERVER"
done

{
  echo "$(measured_on)" \
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
