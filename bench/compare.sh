#!/usr/bin/env bash
# The worker side by side with its peers, in one run on the same PostgreSQL: runs the peers'
# benchmark (../shared/peers/run.sh: db-scheduler, JobRunr, Quartz on the same no-op job), then
# bench/run.sh on PostgreSQL, with the same burst size and paced rate, and prints one table
# (kept in bench/results/compare-latest.md). See bench/README.md.
set -euo pipefail
cd "$(dirname "$0")/.."

PEERS=${BENCH_PEERS_DIR:-../shared/peers}
export PEERS_JOBS=${BENCH_JOBS:-20000} PEERS_RATE=${BENCH_RATE:-100}
export PEERS_RUNS=${PEERS_RUNS:-"dbscheduler:tuned dbscheduler:tuned-immediate jobrunr:minpoll"}
source bench/lib.sh                           # RESULTS, measured_on
mkdir -p "$RESULTS"
load_at_start=$(cut -d' ' -f1-3 /proc/loadavg)

echo "== peers: $PEERS_RUNS ($PEERS_JOBS-job bursts, paced $PEERS_RATE/s)"
"$PEERS/run.sh" > "$RESULTS/compare-peers.md" 2> "$RESULTS/compare-peers.err" \
    || { echo "the peers' run failed: see $RESULTS/compare-peers.err" >&2; exit 1; }

echo "== worker-role: bench/run.sh on PostgreSQL"
BENCH_DATABASES=postgresql BENCH_JOBS=$PEERS_JOBS BENCH_RATE=$PEERS_RATE bench/run.sh > "$RESULTS/compare-worker.log" 2>&1 \
    || { echo "the worker's run failed: see $RESULTS/compare-worker.log" >&2; exit 1; }

# Rows of the peers' table: | peer | variant | mode | jobs/s | p50 | p99 | max | enqueue/s | ...
# Rows of the worker's:     | database | mode | run | jobs | jobs/s | p50 | p99 | max |
peer_rows() { grep -E '^\| (db-scheduler|JobRunr|Quartz) ' "$RESULTS/compare-peers.md" | awk -F'|' -v m="$1" '
  { for (i = 2; i <= 8; i++) gsub(/^ +| +$/, "", $i) } index($4, m) == 1 { print $2 ", " $3 "|" $5 "|" $7 }'; }
worker_row() { grep -E "^\| postgresql \| $1 \| $2" "$RESULTS/latest.md" | awk -F'|' '{ gsub(/ /, "", $6); gsub(/ /, "", $8); print $6 "|" $8 }'; }

{
  echo "$(measured_on) PostgreSQL $(psql -h 127.0.0.1 -U postgres -d test -Atc 'show server_version' | cut -d' ' -f1)" \
       "on loopback, shared by all; load average at start $load_at_start, at end $(cut -d' ' -f1-3 /proc/loadavg)."
  echo "Bursts of $PEERS_JOBS no-op jobs, 16 workers each; paced: $PEERS_RATE jobs/s for about 10 s."
  echo
  echo "| system | how jobs come in | jobs/s (enqueue → done) | paced: enqueue → start p99 ms |"
  echo "| --- | --- | ---: | ---: |"
  declare -A paced
  while IFS='|' read -r name rate p99; do paced[$name]=$p99; done < <(peer_rows paced)
  while IFS='|' read -r name rate p99; do
    echo "| $name | in-process, 4 producers | $rate | ${paced[$name]:--} |"
  done < <(peer_rows burst)
  for way in "code|in-process (Jobs.enqueueAll, 100 per call), 4 producers" "http|HTTP, one job per request, ${BENCH_HTTP_CLIENTS:-16} clients" "http-batch|HTTP, 100 jobs per request" \
             "jms|JMS, one job per message"; do
    mode=${way%%|*}
    IFS='|' read -r rate _ <<< "$(worker_row "$mode" burst)"
    IFS='|' read -r _ p99 <<< "$(worker_row "$mode" paced)"
    echo "| **worker-role** | ${way#*|} | **${rate:--}** | ${p99:--} |"
  done
  echo
  echo "Peers: $PEERS/run.sh (their table: $RESULTS/compare-peers.md). Worker: bench/run.sh (its table: $RESULTS/latest.md)."
} > "$RESULTS/compare-latest.md"
echo
cat "$RESULTS/compare-latest.md"
