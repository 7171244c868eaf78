#!/usr/bin/env bash
# Benchmarks pick-up across servers: two servers on one PostgreSQL database (workerBench on HTTP
# 29080, frozen, and workerBench2 on 29180); echo jobs sent over HTTP to the frozen one, which
# accepts them and runs none, so that every job starts on the other: a burst, then jobs paced at
# BENCH_RATE per second, whose enqueue -> start latency is the figure. Two runs: with the wake-ups
# over LISTEN/NOTIFY (the drivers visible to the worker, docs/operations.md "Several servers on one PostgreSQL") and with the poll
# alone. Each run after a warm-up of BENCH_WARMUP jobs the same way. Prints a Markdown table and keeps it in bench/results/across-latest.md. See bench/README.md.
set -euo pipefail
cd "$(dirname "$0")/.."

RUNS=${BENCH_ACROSS_RUNS:-"wakeups poll"}
JOBS=${BENCH_ACROSS_JOBS:-2000}               # the burst before the paced run
RATE=${BENCH_RATE:-100}
CLIENTS=${BENCH_HTTP_CLIENTS:-16}
WARMUP=${BENCH_WARMUP:-2000}                  # warm-up jobs, not reported
PG_DATABASE=${BENCH_PG_DATABASE:-worker_bench}
source bench/lib.sh                           # WLP, RESULTS, mvnq, build_bench, stop_server, ...
SERVER=workerBench
SERVER2=workerBench2
BASE=http://localhost:29080
BASE2=http://localhost:29180

begin_bench "$SERVER" "$SERVER2"
# Every run deploys this copy: a build in target/ meanwhile (the tests') must not change the WAR between runs.
WAR=bench/target/across/worker-role.war
mkdir -p "$(dirname "$WAR")"
cp target/worker-role.war "$WAR"

results=()
for run in $RUNS; do
  case "$run" in
    wakeups) export BENCH_WAKEUPS=1 ;;
    poll) export BENCH_WAKEUPS=0 ;;
    *) echo "unknown run $run (wakeups or poll)" >&2; exit 1 ;;
  esac
  echo "== $run: 2 fresh servers, the first frozen"
  stop_server "$SERVER2"
  fresh_server "$SERVER" "$WAR"
  reset_pg_database "$PG_DATABASE"
  use_postgres "$SERVER" "$PG_DATABASE"
  second_server "$SERVER2" "$WAR" "$PG_DATABASE"
  start_in_turn "$SERVER" "$BASE" "$SERVER2" "$BASE2"
  freeze_server "$SERVER" "$BASE"
  # Warm up both servers the same way first (the figures are those of running servers, not of
  # ones still compiling their start-up), then let them settle.
  mvnq -f bench/pom.xml exec:java -Dbench.warmup="$WARMUP" -Dexec.args="$BASE http 0 $CLIENTS 0" > "$RESULTS/across-$run-warmup.log" \
      || { echo "the $run warm-up failed (see $RESULTS/across-$run-warmup.log)" >&2; exit 1; }
  settle "$SERVER"
  settle "$SERVER2"

  log="$RESULTS/across-$run.log"
  status=0
  mvnq -f bench/pom.xml exec:java -Dbench.warmup=0 -Dexec.args="$BASE http $JOBS $CLIENTS $RATE" | tee "$log" || status=$?
  keep_server_logs "$SERVER" "across-$run"
  keep_server_logs "$SERVER2" "across-$run-2"
  if [ "$status" != 0 ] || ! grep -q 'RESULT|' "$log"; then
    echo "the $run run failed (see $log and $RESULTS/across-$run-messages.log)" >&2
    exit 1
  fi
  while IFS= read -r line; do
    results+=("$run|${line#*RESULT|}")
  done < <(grep -o 'RESULT|.*' "$log")
  stop_server "$SERVER"
  stop_server "$SERVER2"
done

{
  echo "$(measured_on)" \
       "client, servers and database on the same machine; load average at start $load_at_start$([ -n "$others" ] && echo ", other Liberty servers running: $others")."
  echo
  echo "Echo jobs sent over HTTP ($CLIENTS clients, one job per request) to a frozen server; the other server, on the same PostgreSQL, ran them all."
  echo
  echo "| other server learns of jobs by | shape | jobs | jobs/s | enqueue → start p50 ms | p99 ms | max ms |"
  echo "| --- | --- | ---: | ---: | ---: | ---: | ---: |"
  for r in "${results[@]}"; do
    IFS='|' read -r run _mode shape jobs rate p50 p99 max <<< "$r"
    how=$([ "$run" = wakeups ] && echo "wake-up (LISTEN/NOTIFY)" || echo "its 200 ms poll")
    echo "| $how | $shape | $jobs | $rate | $p50 | $p99 | $max |"
  done
} > "$RESULTS/across-latest.md"
echo
cat "$RESULTS/across-latest.md"
