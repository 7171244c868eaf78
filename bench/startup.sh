#!/usr/bin/env bash
# Measures the worker's start-up: the time from `server start` to the first 200 from
# /health/ready, on a fresh server folder (first start: Derby database, LTPA keys, certificate,
# OSGi cache all created) and on a restart of the same folder. Each BENCH_STARTUP_RUNS times;
# prints each run with the milestones of its messages.log, and the medians, and keeps them in
# bench/results/startup-latest.md. Server workerBench (HTTP 29080), worker WAR only. See bench/README.md.
set -euo pipefail
cd "$(dirname "$0")/.."

RUNS=${BENCH_STARTUP_RUNS:-5}
KINDS=${BENCH_STARTUP_KINDS:-"first restart"}
CONFIG=${BENCH_SERVER_CONFIG:-}               # a folder copied over server-config/ (another version's, to compare)
JVM_OPTIONS=${BENCH_JVM_OPTIONS:-}           # extra lines for the server's jvm.options, ';'-separated, to try options
source bench/lib.sh                           # WLP, RESULTS, build_bench, fresh_server, stop_server, ...
SERVER=workerBench
WAR=${BENCH_WAR:-target/worker-role.war}     # the worker WAR to start
DIR=$(server_dir "$SERVER")
BASE=http://localhost:29080

begin_bench "$SERVER"

now_ms() { date +%s%3N; }

# log_ms CODE: the time (epoch ms) of the first messages.log line containing CODE, or empty
log_ms() {
  local line
  line=$(grep -m1 -F -- "$1" "$DIR/logs/messages.log" 2>/dev/null | sed -n 's/^\[\([^]]*\)\].*/\1/p') || true
  [ -n "$line" ] || return 0
  # [12/1/26, 14:03:05:123 UTC] -> a date(1) can read
  python3 - "$line" <<'PY'
import sys, datetime
s = sys.argv[1].rsplit(' ', 1)[0]          # drop the zone: Liberty writes local time
d = datetime.datetime.strptime(s, '%m/%d/%y, %H:%M:%S:%f')
print(int(d.timestamp() * 1000))
PY
}

# cpu_ms PID: the process's CPU time so far (user + system), in ms
cpu_ms() { awk -v hz="$(getconf CLK_TCK)" '{print int(($14 + $15) * 1000 / hz)}' "/proc/$1/stat"; }

# one_start: starts the server and polls /health/ready every 50 ms; prints the wall time to the
# first 200, the server JVM's CPU time by then, and the milestones of messages.log, all in ms
# after the start command ("-" for a milestone not logged)
one_start() {
  local t0 t1 code cpu pid
  if curl -s -o /dev/null -m 2 "$BASE/health/ready"; then
    echo "something already answers on $BASE: stop it first" >&2; exit 1
  fi
  t0=$(now_ms)
  "$WLP/bin/server" start "$SERVER" >/dev/null &
  local starter=$!
  while :; do
    code=$(curl -s -o /dev/null -m 2 -w '%{http_code}' "$BASE/health/ready" || true)
    [ "$code" = 200 ] && break
    if [ $(( $(now_ms) - t0 )) -gt 180000 ]; then
      echo "not ready within 3 minutes" >&2; tail -n 40 "$DIR/logs/messages.log" >&2; exit 1
    fi
    sleep 0.05
  done
  t1=$(now_ms)
  pid=$(cat "$WLP/usr/servers/.pid/$SERVER.pid")
  cpu=$(cpu_ms "$pid")
  wait "$starter" || true
  local out="$((t1 - t0)) $cpu" milestone ms
  for milestone in 'CWWKE0001I' 'CWWKS4104A' 'CWPKI0803A' 'Job store schema up to date' 'CWWKZ0001I' 'CWWKF0011I' 'Worker role running'; do
    ms=$(log_ms "$milestone")
    out+=" ${ms:+$((ms - t0))}"
    [ -n "$ms" ] || out+="-"
  done
  echo "$out"
}

# fresh: a fresh server folder (also deletes the Derby database), with BENCH_SERVER_CONFIG and BENCH_JVM_OPTIONS
fresh() {
  BENCH_JVM_OPTIONS= fresh_server "$SERVER" "$WAR"   # the options go in after the config, which may hold a jvm.options
  [ -z "$CONFIG" ] || cp -r "$CONFIG"/. "$DIR/"
  [ -z "$JVM_OPTIONS" ] || tr ';' '\n' <<< "$JVM_OPTIONS" >> "$DIR/jvm.options"
}

median() { sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : int((a[NR/2]+a[NR/2+1])/2))}'; }

declare -A totals cpus
report=()
for kind in $KINDS; do
  for i in $(seq 1 "$RUNS"); do
    if [ "$kind" = first ]; then
      fresh
    elif [ "$i" = 1 ]; then
      # a restart's folder: a fresh server that has started once and stopped
      fresh
      "$WLP/bin/server" start "$SERVER" >/dev/null
      wait_ready "$SERVER" "$BASE"
      stop_server "$SERVER"
    fi
    rm -f "$DIR/logs/messages.log"                           # so that the milestones are this start's
    line=$(one_start)
    stop_server "$SERVER"
    read -r total cpu launched ltpa cert schema app ready role <<< "$line"
    echo "$kind #$i: ready after $total ms, $cpu ms of CPU (JVM launched $launched, LTPA keys $ltpa, certificate $cert, schema $schema, app started $app, server ready $ready, role running $role)"
    totals[$kind]+="$total "
    cpus[$kind]+="$cpu "
    report+=("| $kind | $i | $total | $cpu | $launched | $ltpa | $cert | $schema | $app | $ready | $role |")
  done
done

{
  echo "$(measured_on) load average at start $load_at_start$([ -n "$others" ] && echo ", other Liberty servers running: $others")."
  echo
  for kind in $KINDS; do
    echo "- $kind start: median $(tr ' ' '\n' <<< "${totals[$kind]}" | grep . | median) ms to the first 200 from /health/ready" \
         "(runs: ${totals[$kind]% }), the server using $(tr ' ' '\n' <<< "${cpus[$kind]}" | grep . | median) ms of CPU by then (runs: ${cpus[$kind]% })"
  done
  echo
  echo "Milestones in ms after \`server start\` (from messages.log, millisecond timestamps):"
  echo
  echo "| start | run | ready | CPU | JVM launched | LTPA keys | certificate | schema | app started | server ready | role running |"
  echo "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"
  printf '%s\n' "${report[@]}"
} > "$RESULTS/startup-latest.md"
echo
cat "$RESULTS/startup-latest.md"
