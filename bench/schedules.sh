#!/usr/bin/env bash
# Benchmarks the schedules: how precisely the worker fires 1,000 fixed-rate schedules (100 firings
# per second), with and without the singleton claim, on embedded Derby, on PostgreSQL, and with
# two servers sharing one PostgreSQL database (workerBench on HTTP 29080, workerBench2 on 29180).
# Prints a Markdown table and keeps it in bench/results/schedules-latest.md. See bench/README.md.
set -euo pipefail
cd "$(dirname "$0")/.."

# database:servers:singleton, each a run on fresh servers and a fresh database
RUNS=${BENCH_SCHEDULE_RUNS:-"derby:1:false derby:1:true postgresql:1:false postgresql:1:true postgresql:2:true"}
SCHEDULES=${BENCH_SCHEDULES:-1000}
MEASURED=${BENCH_SCHEDULE_SECONDS:-60}        # the measured window, after the warm-up
WARM_UP=${BENCH_SCHEDULE_WARMUP:-10}          # not counted; with two servers, longer than the sync interval
EVERY=${BENCH_SCHEDULE_EVERY:-PT10S}
SYNC=${BENCH_SCHEDULE_SYNC:-}                 # worker.schedules.syncInterval; empty: the worker's default (PT5S)
PG_DATABASE=${BENCH_PG_DATABASE:-worker_bench}
source bench/lib.sh                           # WLP, RESULTS, mvnq, build_bench, stop_server, ...
SERVER=workerBench
SERVER2=workerBench2
BASE=http://localhost:29080
BASE2=http://localhost:29180

begin_bench "$SERVER" "$SERVER2"
# Every run deploys this copy: a build in target/ meanwhile (the tests') must not change the WAR between runs.
WAR=bench/target/schedules/worker-role.war
mkdir -p "$(dirname "$WAR")"
cp target/worker-role.war "$WAR"

# schedule_overrides NAME: the server's id in the job store, and the sync interval if set
sync_variable=${SYNC:+"    <variable name=\"worker.schedules.syncInterval\" value=\"$SYNC\"/>"}
schedule_overrides() {
  cat > "$(server_dir "$1")/configDropins/overrides/bench-schedules.xml" <<XML
<server>
    <variable name="worker.serverId" value="$1"/>
$sync_variable
</server>
XML
}

results=()
for run in $RUNS; do
  IFS=: read -r db servers singleton <<< "$run"
  case "$db:$servers:$singleton" in
    derby:1:true|derby:1:false|postgresql:[12]:true|postgresql:[12]:false) ;;
    *) echo "unknown run $run (database:servers:singleton, such as postgresql:2:true; two servers need postgresql)" >&2; exit 1 ;;
  esac
  label="$db-$servers-$([ "$singleton" = true ] && echo singleton || echo per-server)"
  names=("$SERVER")
  bases=$BASE
  echo "== $label: $servers fresh server(s)"
  stop_server "$SERVER2"
  fresh_server "$SERVER" "$WAR"                     # also deletes the Derby database
  schedule_overrides "$SERVER"
  if [ "$db" = postgresql ]; then
    reset_pg_database "$PG_DATABASE"
    use_postgres "$SERVER" "$PG_DATABASE"
  fi
  if [ "$servers" = 2 ]; then
    second_server "$SERVER2" "$WAR" "$PG_DATABASE"
    schedule_overrides "$SERVER2"
    names+=("$SERVER2")
    bases="$BASE,$BASE2"
  fi
  if [ "$servers" = 2 ]; then
    start_in_turn "$SERVER" "$BASE" "$SERVER2" "$BASE2"
  else
    start_in_turn "$SERVER" "$BASE"
  fi

  log="$RESULTS/schedules-$label.log"
  status=0
  mvnq -f bench/pom.xml exec:java -Dexec.mainClass=io.workerrole.bench.ScheduleBench \
       -Dexec.args="$bases $singleton $SCHEDULES $MEASURED $WARM_UP $EVERY" | tee "$log" || status=$?
  keep_server_logs "$SERVER" "schedules-$label"
  [ "$servers" = 1 ] || keep_server_logs "$SERVER2" "schedules-$label-2"
  if [ "$status" != 0 ] || ! grep -q 'RESULT|' "$log"; then
    echo "the $label run failed (see $log and $RESULTS/schedules-$label-messages.log)" >&2
    exit 1
  fi
  line=$(grep -o 'RESULT|.*' "$log" | tail -n 1)
  results+=("$db|$servers|${line#*RESULT|}")
  for name in "${names[@]}"; do stop_server "$name"; done
done

{
  echo "$(measured_on)" \
       "client, servers and database on the same machine; load average at start $load_at_start$([ -n "$others" ] && echo ", other Liberty servers running: $others")."
  echo
  echo "$SCHEDULES fixed-rate echo schedules, every $EVERY, their due times spread evenly over the period;" \
       "${MEASURED} s measured after a ${WARM_UP} s warm-up${SYNC:+, worker.schedules.syncInterval $SYNC}."
  echo
  echo "| database | servers | singleton | firings (RAN) | late p50 ms | p99 ms | max ms | job start p50 ms | p99 ms | max ms | not RAN | missing | >1 RAN | RAN by server |"
  echo "| --- | ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- | ---: | ---: | --- |"
  for r in "${results[@]}"; do
    IFS='|' read -r db servers singleton _count ran p50 p99 max jp50 jp99 jmax other missing dups split <<< "$r"
    echo "| $db | $servers | $singleton | $ran | $p50 | $p99 | $max | $jp50 | $jp99 | $jmax | $other | $missing | $dups | $split |"
  done
  echo
  echo "late: firing lateness, recordedAt - scheduledFor of the RAN firings due in the measured window;"
  echo "job start: startedAt - scheduledFor of their jobs. not RAN: the other outcomes (SKIPPED_OVERLAP, ...);"
  echo "missing: grid instants in the window with no firing recorded; >1 RAN: instants with more than one"
  echo "RAN firing (0 and 0 = exactly once)."
} > "$RESULTS/schedules-latest.md"
echo
cat "$RESULTS/schedules-latest.md"
