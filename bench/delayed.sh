#!/usr/bin/env bash
# Benchmarks the delayed jobs: how precisely 1,000 echo jobs submitted with a runAt (spread evenly
# over 10 s: one due every 10 ms) start at their time, on embedded Derby, on PostgreSQL, and with
# two servers sharing one PostgreSQL database (workerBench on HTTP 29080, workerBench2 on 29180),
# and across servers: all jobs sent to workerBench, frozen, and run by workerBench2, told of them
# by a wake-up over LISTEN/NOTIFY (BENCH_WAKEUPS=0: finding them by its poll alone; database:2:across).
# Prints a Markdown table and keeps it in bench/results/delayed-latest.md. See bench/README.md.
set -euo pipefail
cd "$(dirname "$0")/.."

# database:servers[:across], each a run on fresh servers and a fresh database
RUNS=${BENCH_DELAYED_RUNS:-"derby:1 postgresql:1 postgresql:2 postgresql:2:across"}
JOBS=${BENCH_DELAYED_JOBS:-1000}
SPREAD=${BENCH_DELAYED_SPREAD:-10}            # seconds over which their runAt instants are spread
LEAD=${BENCH_DELAYED_LEAD:-5}                 # seconds from the submission's start to the first runAt
PG_DATABASE=${BENCH_PG_DATABASE:-worker_bench}
source bench/lib.sh                           # WLP, RESULTS, mvnq, build_bench, stop_server, ...
SERVER=workerBench
SERVER2=workerBench2
BASE=http://localhost:29080
BASE2=http://localhost:29180

begin_bench "$SERVER" "$SERVER2"
# Every run deploys this copy: a build in target/ meanwhile (the tests') must not change the WAR between runs.
WAR=bench/target/delayed/worker-role.war
mkdir -p "$(dirname "$WAR")"
cp target/worker-role.war "$WAR"

results=()
for run in $RUNS; do
  IFS=: read -r db servers across <<< "$run"
  case "$db:$servers:$across" in
    derby:1:|postgresql:[12]:|postgresql:2:across) ;;
    *) echo "unknown run $run (database:servers[:across], such as postgresql:2; two servers need postgresql)" >&2; exit 1 ;;
  esac
  label="$db-$servers${across:+-$across}"
  names=("$SERVER")
  bases=$BASE
  echo "== $label: $servers fresh server(s)"
  stop_server "$SERVER2"
  fresh_server "$SERVER" "$WAR"                     # also deletes the Derby database
  if [ "$db" = postgresql ]; then
    reset_pg_database "$PG_DATABASE"
    use_postgres "$SERVER" "$PG_DATABASE"
  fi
  if [ "$servers" = 2 ]; then
    second_server "$SERVER2" "$WAR" "$PG_DATABASE"
    names+=("$SERVER2")
    bases="$BASE,$BASE2"
  fi
  if [ "$servers" = 2 ]; then
    start_in_turn "$SERVER" "$BASE" "$SERVER2" "$BASE2"
  else
    start_in_turn "$SERVER" "$BASE"
  fi
  if [ -n "$across" ]; then
    freeze_server "$SERVER" "$BASE"   # it accepts the jobs; the other server runs them all
    bases=$BASE
  fi

  log="$RESULTS/delayed-$label.log"
  status=0
  mvnq -f bench/pom.xml exec:java -Dexec.mainClass=io.workerrole.bench.DelayedBench \
       -Dexec.args="$bases $JOBS $SPREAD $LEAD" | tee "$log" || status=$?
  keep_server_logs "$SERVER" "delayed-$label"
  [ "$servers" = 1 ] || keep_server_logs "$SERVER2" "delayed-$label-2"
  if [ "$status" != 0 ] || ! grep -q 'RESULT|' "$log"; then
    echo "the $label run failed (see $log and $RESULTS/delayed-$label-messages.log)" >&2
    exit 1
  fi
  line=$(grep -o 'RESULT|.*' "$log" | tail -n 1)
  results+=("$db|$servers${across:+ ($across)}|${line#*RESULT|}")
  for name in "${names[@]}"; do stop_server "$name"; done
done

{
  echo "$(measured_on)" \
       "client, servers and database on the same machine; load average at start $load_at_start$([ -n "$others" ] && echo ", other Liberty servers running: $others")."
  echo
  echo "$JOBS echo jobs submitted over HTTP, 100 per request (alternating between the servers), their runAt" \
       "spread evenly over ${SPREAD} s from ${LEAD} s after the submission started."
  echo
  echo "| database | servers | jobs | succeeded | early | late p50 ms | p99 ms | max ms |"
  echo "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"
  for r in "${results[@]}"; do
    IFS='|' read -r db servers jobs succeeded early p50 p99 max <<< "$r"
    echo "| $db | $servers | $jobs | $succeeded | $early | $p50 | $p99 | $max |"
  done
  echo
  echo "late: lateness, startedAt - runAt (the runAt the client sent; early: started before it, which must be 0). A server"
  echo "wakes at the due time of the delayed jobs it accepted; those another server accepted it finds at its next 200 ms poll."
  echo "across: every job sent to the first server, frozen; the second ran them all, $([ "${BENCH_WAKEUPS:-1}" = 1 ] \
       && echo "told of their due times by a wake-up over LISTEN/NOTIFY" || echo "found by its poll alone (BENCH_WAKEUPS=0)")."
} > "$RESULTS/delayed-latest.md"
echo
cat "$RESULTS/delayed-latest.md"
