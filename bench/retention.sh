#!/usr/bin/env bash
# Benchmarks retention: a job store of 1,000,000 finished jobs (8 days old, past the default
# retention) pruned by a running worker while echo jobs keep flowing over HTTP at a steady rate;
# on embedded Derby and on PostgreSQL. Prints a Markdown table and keeps it in
# bench/results/retention-latest.md. See bench/README.md.
set -euo pipefail
cd "$(dirname "$0")/.."

JOBS=${BENCH_RETENTION_JOBS:-1000000}
RATE=${BENCH_RATE:-100}
DATABASES=${BENCH_DATABASES:-"derby postgresql"}
PG_DATABASE=${BENCH_PG_DATABASE:-worker_bench}
source bench/lib.sh                           # WLP, RESULTS, mvnq, build_bench, stop_server, ...
SERVER=workerBench
DIR=$(server_dir "$SERVER")
BASE=http://localhost:29080

begin_bench "$SERVER"

results=()
for db in $DATABASES; do
  echo "== $db: a fresh server $SERVER, started once to create its job store"
  fresh_server "$SERVER" target/worker-role.war
  case "$db" in
    derby) url="jdbc:derby:$PWD/$DIR/data/worker-db" ;;
    postgresql)
      reset_pg_database "$PG_DATABASE"
      use_postgres "$SERVER" "$PG_DATABASE"
      url="jdbc:postgresql://127.0.0.1:5432/$PG_DATABASE?user=postgres&reWriteBatchedInserts=true"
      ;;
    *) echo "unknown database $db (derby or postgresql)" >&2; exit 1 ;;
  esac
  "$WLP/bin/server" start "$SERVER" >/dev/null
  wait_ready "$SERVER" "$BASE"
  stop_server "$SERVER"

  echo "== $db: seeding $JOBS finished jobs into the stopped server's job store"
  mvnq -f bench/pom.xml exec:java -Dexec.mainClass=io.workerrole.bench.RetentionBench -Dexec.args="seed $url $JOBS"
  [ "$db" = postgresql ] && psql -q -h 127.0.0.1 -U postgres -d "$PG_DATABASE" -c "ANALYZE"

  echo "== $db: restarted, the server prunes them while jobs flow at $RATE/s"
  rm -f "$DIR/logs/messages.log"
  "$WLP/bin/server" start "$SERVER" >/dev/null
  wait_ready "$SERVER" "$BASE"
  log="$RESULTS/retention-$db.log"
  if ! mvnq -f bench/pom.xml exec:java -Dexec.mainClass=io.workerrole.bench.RetentionBench \
       -Dexec.args="measure $BASE $DIR/logs/messages.log $RATE $JOBS" | tee "$log"; then
    echo "the $db run failed (see $log and $DIR/logs/messages.log)" >&2
    exit 1
  fi
  while IFS= read -r line; do
    results+=("$db|${line#*RESULT|}")
  done < <(grep -o 'RESULT|.*' "$log")
  keep_server_logs "$SERVER" "retention-$db"
  stop_server "$SERVER"
done

{
  echo "$(measured_on)" \
       "client, server and database on the same machine; load average at start $load_at_start$([ -n "$others" ] && echo ", other Liberty servers running: $others")."
  echo
  echo "| database | finished jobs pruned | time | jobs/s | paced $RATE/s while pruning: start p50 / p99 / max | after: p50 / p99 / max |"
  echo "| --- | ---: | ---: | ---: | --- | --- |"
  for db in $DATABASES; do
    pruned=$(printf '%s\n' "${results[@]}" | grep "^$db|pruned|" | cut -d'|' -f3-)
    during=$(printf '%s\n' "${results[@]}" | grep "^$db|during|" | cut -d'|' -f3-)
    after=$(printf '%s\n' "${results[@]}" | grep "^$db|after|" | cut -d'|' -f3-)
    IFS='|' read -r count ms rate <<< "$pruned"
    IFS='|' read -r dn d50 d99 dmax <<< "$during"
    IFS='|' read -r an a50 a99 amax <<< "$after"
    echo "| $db | $count | $((ms / 1000)) s | $rate | $d50 / $d99 / $dmax ms ($dn jobs) | $a50 / $a99 / $amax ms ($an jobs) |"
  done
  echo
  echo "Start latency: enqueue-to-start of the paced echo jobs (startedAt - enqueuedAt), the worker's"
  echo "own pick-up delay; 'while pruning' are the windows sent until the sweep was done."
} > "$RESULTS/retention-latest.md"
echo
cat "$RESULTS/retention-latest.md"
