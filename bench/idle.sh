#!/usr/bin/env bash
# Measures what an idle worker costs: a fresh server (workerBench, HTTP 29080, worker WAR only,
# embedded Derby) is started, left alone for BENCH_IDLE_SETTLE seconds, then its CPU time
# (utime + stime of /proc/PID/stat) is read over BENCH_IDLE_RUNS windows of BENCH_IDLE_SECONDS
# each, with the busiest threads of each window. Prints the share of one core per window and the
# median, and keeps them in bench/results/idle-latest.md. BENCH_IDLE_JFR=1 also records the
# windows with JDK Flight Recorder (bench/results/idle.jfr) to see where the time goes. See
# bench/README.md.
set -euo pipefail
cd "$(dirname "$0")/.."

SETTLE=${BENCH_IDLE_SETTLE:-60}
SECONDS_PER_RUN=${BENCH_IDLE_SECONDS:-60}
RUNS=${BENCH_IDLE_RUNS:-3}
JFR=${BENCH_IDLE_JFR:-0}
source bench/lib.sh                           # WLP, RESULTS, build_bench, fresh_server, stop_server, ...
SERVER=workerBench
WAR=${BENCH_WAR:-target/worker-role.war}     # the worker WAR to start
BASE=http://localhost:29080

begin_bench "$SERVER"

HZ=$(getconf CLK_TCK)
# ticks PID: utime + stime of the process, in clock ticks
ticks() { sed 's/.*) //' "/proc/$1/stat" | awk '{print $12 + $13}'; }
# thread_ticks PID: "TID<tab>ticks<tab>name" per thread
thread_ticks() {
  local t
  for t in /proc/"$1"/task/*; do
    printf '%s\t%s\t%s\n' "${t##*/}" "$(sed 's/.*) //' "$t/stat" 2>/dev/null | awk '{print $12 + $13}')" \
           "$(tr -d '\n' < "$t/comm" 2>/dev/null)"
  done 2>/dev/null || true
}
# busiest BEFORE AFTER: the six thread groups (names without their number) that used most CPU in between
busiest() {
  awk -F'\t' -v hz="$HZ" 'NR == FNR {before[$1] = $2; next}
      {d = $2 - ($1 in before ? before[$1] : 0); n = $3; sub(/[-#]?[0-9]+$/, "", n); g[n] += d}
      END {for (k in g) if (g[k] > 0) printf "%d\t%s\n", g[k] * 1000 / hz, k}' "$1" "$2" \
    | sort -rn | head -n 6 | awk -F'\t' '{printf "%s%s %d ms", (NR > 1 ? ", " : ""), $2, $1}'
}

fresh_server "$SERVER" "$WAR"
"$WLP/bin/server" start "$SERVER" >/dev/null
wait_ready "$SERVER" "$BASE"
pid=$(cat "$WLP/usr/servers/.pid/$SERVER.pid")
echo "== ready; idle for $SETTLE s before measuring"
sleep "$SETTLE"
if [ "$JFR" = 1 ]; then
  jcmd "$pid" JFR.start name=idle settings=profile filename="$PWD/$RESULTS/idle.jfr" >/dev/null
fi

shares=()
report=()
for i in $(seq 1 "$RUNS"); do
  before=$(ticks "$pid")
  thread_ticks "$pid" > "$RESULTS/idle-threads-before"
  sleep "$SECONDS_PER_RUN"
  after=$(ticks "$pid")
  thread_ticks "$pid" > "$RESULTS/idle-threads-after"
  share=$(awk -v t=$((after - before)) -v hz="$HZ" -v s="$SECONDS_PER_RUN" 'BEGIN {printf "%.2f", 100 * t / hz / s}')
  busiest=$(busiest "$RESULTS/idle-threads-before" "$RESULTS/idle-threads-after")
  echo "window $i: $((after - before)) ticks in $SECONDS_PER_RUN s = $share% of one core (busiest threads: $busiest)"
  shares+=("$share")
  report+=("| $i | $((after - before)) | $share% | $busiest |")
done
if [ "$JFR" = 1 ]; then
  jcmd "$pid" JFR.stop name=idle >/dev/null
  echo "JFR recording: $RESULTS/idle.jfr"
fi
rm -f "$RESULTS/idle-threads-before" "$RESULTS/idle-threads-after"
median=$(printf '%s\n' "${shares[@]}" | sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}')

{
  echo "$(measured_on) load average at start $load_at_start$([ -n "$others" ] && echo ", other Liberty servers running: $others")."
  echo
  echo "Idle worker (no jobs, not frozen), $SETTLE s after ready: median **$median%** of one core over $RUNS windows of $SECONDS_PER_RUN s$([ "$JFR" = 1 ] && echo " (with JFR recording)")."
  echo
  echo "| window | ticks ($HZ/s) | one core | busiest threads |"
  echo "| ---: | ---: | ---: | --- |"
  printf '%s\n' "${report[@]}"
} > "$RESULTS/idle-latest.md"
echo
cat "$RESULTS/idle-latest.md"
