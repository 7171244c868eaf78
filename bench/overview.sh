#!/usr/bin/env bash
# Benchmarks the dashboard's reads on a big job store: 1,000,000 jobs in PostgreSQL (a day's
# worth: most succeeded, 2 % dead, 1 % queued), read by a frozen worker so that nothing moves
# while it is measured. Prints a Markdown table and keeps it in bench/results/overview-latest.md.
# See bench/README.md.
set -euo pipefail
cd "$(dirname "$0")/.."

JOBS=${BENCH_OVERVIEW_JOBS:-1000000}
REQUESTS=${BENCH_REQUESTS:-200}
PG_DATABASE=${BENCH_PG_DATABASE:-worker_bench}
source bench/lib.sh                           # WLP, RESULTS, mvnq, build_bench, stop_server, ...
SERVER=workerBench
DIR=$(server_dir "$SERVER")
BASE=http://localhost:29080

begin_bench "$SERVER"

echo "== a fresh server $SERVER on PostgreSQL, started once to create its job store"
fresh_server "$SERVER" target/worker-role.war
reset_pg_database "$PG_DATABASE"
use_postgres "$SERVER" "$PG_DATABASE"
"$WLP/bin/server" start "$SERVER" >/dev/null
wait_ready "$SERVER" "$BASE"
stop_server "$SERVER"

echo "== seeding $JOBS jobs into the stopped server's job store"
url="jdbc:postgresql://127.0.0.1:5432/$PG_DATABASE?user=postgres&reWriteBatchedInserts=true"
mvnq -f bench/pom.xml exec:java -Dexec.mainClass=io.workerrole.bench.OverviewBench -Dexec.args="seed $url $JOBS"
# What autovacuum would have done by the time a store holds a day of jobs: statistics, and the
# visibility map that lets the index-only scans skip the table
psql -q -h 127.0.0.1 -U postgres -d "$PG_DATABASE" -c "VACUUM ANALYZE worker_job"

echo "== restarted frozen (none of the seeded jobs runs, so the figures hold still), each read $REQUESTS times"
freeze_flag "$SERVER"
"$WLP/bin/server" start "$SERVER" >/dev/null
for _ in $(seq 1 180); do
  [ "$(curl -s -o /dev/null -w '%{http_code}' "$BASE/health/live")" = 200 ] && break
  sleep 1
done
settle "$SERVER"
log="$RESULTS/overview.log"
if ! mvnq -f bench/pom.xml exec:java -Dexec.mainClass=io.workerrole.bench.OverviewBench \
     -Dexec.args="measure $BASE $REQUESTS" | tee "$log"; then
  echo "the run failed (see $log and $DIR/logs/messages.log)" >&2
  exit 1
fi
keep_server_logs "$SERVER" overview
stop_server "$SERVER"

{
  echo "$(measured_on)" \
       "client, server and database on the same machine; load average at start $load_at_start$([ -n "$others" ] && echo ", other Liberty servers running: $others")."
  echo "A store of $JOBS jobs in PostgreSQL (finished over the last 24 hours, $(grep -o 'RESULT|hour|.*' "$log" | cut -d'|' -f3) of them in the last hour; 2 % dead, 1 % queued); each read $REQUESTS times in a row over HTTP, after 30 unmeasured."
  echo
  echo "| read | request | p50 ms | p99 ms | max ms |"
  echo "| --- | --- | ---: | ---: | ---: |"
  grep -o 'RESULT|.*' "$log" | grep -v '^RESULT|hour|' | while IFS='|' read -r _ name path p50 p99 max; do
    echo "| $name | \`GET $path\` | $p50 | $p99 | $max |"
  done
} > "$RESULTS/overview-latest.md"
echo
cat "$RESULTS/overview-latest.md"
