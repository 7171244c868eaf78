#!/usr/bin/env bash
# Benchmarks the pipelines: 1,000 runs of a three-step pipeline of echo jobs started at once over
# HTTP, on embedded Derby and on PostgreSQL (workerBench on HTTP 29080): runs per second, the
# step-to-step latency and the runs' duration. Prints a Markdown table and keeps it in
# bench/results/pipelines-latest.md. See bench/README.md.
set -euo pipefail
cd "$(dirname "$0")/.."

# the databases, each a run on a fresh server and a fresh database
RUNS=${BENCH_PIPELINE_RUNS:-"derby postgresql"}
RUNS_COUNT=${BENCH_PIPELINES:-1000}           # pipeline runs started at once
PG_DATABASE=${BENCH_PG_DATABASE:-worker_bench}
source bench/lib.sh                           # WLP, RESULTS, mvnq, build_bench, stop_server, ...
SERVER=workerBench
BASE=http://localhost:29080

begin_bench "$SERVER"
# Every run deploys this copy: a build in target/ meanwhile (the tests') must not change the WAR between runs.
WAR=bench/target/pipelines/worker-role.war
mkdir -p "$(dirname "$WAR")"
cp target/worker-role.war "$WAR"

results=()
for db in $RUNS; do
  case "$db" in
    derby|postgresql) ;;
    *) echo "unknown run $db (derby or postgresql)" >&2; exit 1 ;;
  esac
  echo "== $db: a fresh server $SERVER"
  fresh_server "$SERVER" "$WAR"                     # also deletes the Derby database
  if [ "$db" = postgresql ]; then
    reset_pg_database "$PG_DATABASE"
    use_postgres "$SERVER" "$PG_DATABASE"
  fi
  if [ "${BENCH_JFR:-0}" = 1 ]; then
    # A flight recording of the whole run, written when the server stops (jfr print / JMC).
    echo "-XX:StartFlightRecording=filename=$PWD/$RESULTS/pipelines-$db.jfr,settings=profile,dumponexit=true" >> "$(server_dir "$SERVER")/jvm.options"
  fi
  start_in_turn "$SERVER" "$BASE"
  settle "$SERVER"                                  # let the fresh JVM's start-up work (JIT, scans) end first

  log="$RESULTS/pipelines-$db.log"
  status=0
  mvnq -f bench/pom.xml exec:java -Dexec.mainClass=io.workerrole.bench.PipelineBench \
       -Dexec.args="$BASE $RUNS_COUNT" | tee "$log" || status=$?
  keep_server_logs "$SERVER" "pipelines-$db"
  if [ "$status" != 0 ] || ! grep -q 'RESULT|' "$log"; then
    echo "the $db run failed (see $log and $RESULTS/pipelines-$db-messages.log)" >&2
    exit 1
  fi
  line=$(grep -o 'RESULT|.*' "$log" | tail -n 1)
  results+=("$db|${line#*RESULT|}")
  stop_server "$SERVER"
done

{
  echo "$(measured_on)" \
       "client, server and database on the same machine; load average at start $load_at_start$([ -n "$others" ] && echo ", other Liberty servers running: $others")."
  echo
  echo "| database | runs | succeeded | runs/s | step→step p50 ms | p99 ms | max ms | run p50 ms | p99 ms | max ms | retried jobs |"
  echo "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"
  for r in "${results[@]}"; do
    IFS='|' read -r db runs succeeded per_second p50 p99 max rp50 rp99 rmax retried <<< "$r"
    echo "| $db | $runs | $succeeded | $per_second | $p50 | $p99 | $max | $rp50 | $rp99 | $rmax | $retried |"
  done
  echo
  echo "$RUNS_COUNT runs of a pipeline of three echo steps, started at once by 16 HTTP clients (client and server"
  echo "on one machine): runs/s = runs / (last run's finishedAt - first start request sent); step→step = the next"
  echo "step's job startedAt - the previous step's job finishedAt, two per run; run = createdAt → finishedAt;"
  echo "retried jobs = step jobs with attempts > 1."
} > "$RESULTS/pipelines-latest.md"
echo
cat "$RESULTS/pipelines-latest.md"
