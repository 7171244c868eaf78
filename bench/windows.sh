#!/usr/bin/env bash
# Measures the timing windows of the integration tests: how soon the worker does what a test's
# "nothing happens for X s" (await().during) guards against, when nothing prevents it, one event
# at a time, on a fresh workerBench (embedded Derby, the tests' settings) with 0, then 2
# CPU-burning processes beside it. Prints a Markdown table and keeps it in
# bench/results/windows-latest.md. See bench/README.md, "Timing windows".
set -euo pipefail
cd "$(dirname "$0")/.."

LOADS=${BENCH_WINDOW_LOADS:-"0 2"}             # each a run on a fresh server: that many CPU burners beside it
SAMPLES=${BENCH_WINDOW_SAMPLES:-50}            # per fast event
SLOW_SAMPLES=${BENCH_WINDOW_SLOW_SAMPLES:-15}  # callback retries and freeze cycles, seconds each
WARM_UP=${BENCH_WINDOW_WARMUP:-3}              # samples of each kind logged, not counted
CALLBACK_PORT=${BENCH_WINDOW_CALLBACK_PORT:-29181}
source bench/lib.sh                            # WLP, RESULTS, mvnq, begin_bench, fresh_server, settle, ...
SERVER=workerBench
BASE=http://localhost:29080

# event|what is measured|the test windows it bounds (src/test/java/io/workerrole/it/)|the shortest, in ms (empty: none)
EVENTS="jms-recorded|JMS send → job recorded (message taken off the queue)|FreezeJobsIT:69 (2 s), IdempotencyKeysIT:185 (3 s), ArtemisIT:218 (3 s), JmsContract:89 (5 s)|2000
jms-started|JMS send → job started|FreezeJobsIT:69 (2 s)|2000
http-started|HTTP submit → job started|FreezeJobsIT:93 (2 s)|2000
callback-first|job finished → its callback arrives|CallbackIT:127 (2 s)|2000
callback-retry|callback answered 500 → next attempt arrives|CrashRecoveryIT:95 (3 s)|3000
schedule-gap|a schedule every 0.5 s: one firing → the next (recordedAt)|SchedulesIT:157 (2 s)|2000
schedule-late|firing due → recorded|(SchedulesIT:157, with the period)|
schedule-job-start|firing due → its job started|–|
unfreeze-task-running|unfreeze written → held task RUNNING again|FreezeIT:60 (2 s)|2000
freeze-ready-down|freeze written (configDropins) → /health/ready 503|DatabaseOutageIT:56 (3 s); freezes' atMost (10 s)|3000
freeze-task-held|freeze written → task HELD|freezes' atMost (10 s)|
unfreeze-ready-up|unfreeze written → /health/ready 200|unfreezes' atMost (10 s)|"

begin_bench "$SERVER"
trap 'stop_burners; stop_server "$SERVER"' EXIT
# Every run deploys this copy: a build in target/ meanwhile (the tests') must not change the WAR between runs.
WAR=bench/target/windows/worker-role.war
mkdir -p "$(dirname "$WAR")"
cp target/worker-role.war "$WAR"

# windows_overrides NAME: the tests' server settings (liberty/test-server: short backoffs, sync
# and retention intervals, stopping wait), read first so that the bench's ports and password
# (bench-server.xml) win, and the bench's callback listener as the allowed callback origin
windows_overrides() {
  local dir
  dir=$(server_dir "$1")/configDropins/overrides
  cp liberty/test-server/configDropins/overrides/test-server.xml "$dir/00-test-server.xml"
  cat > "$dir/bench-windows.xml" <<XML
<server>
    <variable name="worker.callback.allowedOrigins" value="http://127.0.0.1:$CALLBACK_PORT"/>
</server>
XML
}

notes=()
for load in $LOADS; do
  echo "== load $load: a fresh server, $load CPU burner(s) beside it while measured"
  fresh_server "$SERVER" "$WAR" bench/target/bench-producer.war      # also deletes the Derby database
  windows_overrides "$SERVER"
  start_in_turn "$SERVER" "$BASE"
  settle "$SERVER"
  others_now=$(other_servers "$SERVER")
  start_burners "$load"
  log="$RESULTS/windows-load-$load.log"
  status=0
  mvnq -f bench/pom.xml exec:java -Dexec.mainClass=io.workerrole.bench.WindowsBench \
       -Dexec.args="$BASE $PWD/$(server_dir "$SERVER") $CALLBACK_PORT $SAMPLES $SLOW_SAMPLES $WARM_UP" | tee "$log" || status=$?
  loadavg=$(cut -d' ' -f1-3 /proc/loadavg)
  stop_burners
  keep_server_logs "$SERVER" "windows-load-$load"
  stop_server "$SERVER"
  if [ "$status" != 0 ] || ! grep -q 'RESULT|' "$log"; then
    echo "the load $load run failed (see $log and $RESULTS/windows-load-$load-messages.log)" >&2
    exit 1
  fi
  notes+=("load $load: load average $loadavg at its end$([ -n "$others_now" ] && echo ", other Liberty servers at its start: $others_now")")
done

# cell LOAD EVENT FIELDS: the fields (3 samples, 4 p50, 5 p99, 6 max, 7 first) of the event's RESULT line in that run
cell() {
  grep -o "RESULT|$2|.*" "$RESULTS/windows-load-$1.log" | tail -n 1 | cut -d'|' -f"$3" | sed 's#|# / #g'
}
last_load=${LOADS##* }
{
  echo "$(measured_on) client and server on the same machine; load average at start $load_at_start$([ -n "$others" ] && echo ", other Liberty servers running: $others")."
  echo
  echo "One event at a time, $SAMPLES samples of each ($SLOW_SAMPLES of the callback retry and of the freeze cycles), after $WARM_UP not counted;" \
       "a fresh workerBench on embedded Derby with the tests' settings for each load (CPU-burning processes beside it while measured)."
  echo
  header="| event | test windows it bounds |"
  rule="| --- | --- |"
  firsts=""
  for load in $LOADS; do header+=" $load burners: p50 / p99 / max ms |"; rule+=" ---: |"; firsts+="${firsts:+ / }$load"; done
  echo "$header samples | window / max ($last_load burners) | first, cold ($firsts burners) |"
  echo "$rule ---: | ---: | ---: |"
  while IFS='|' read -r event what windows window_ms; do
    row="| $what | $windows |"
    first=""
    for load in $LOADS; do
      row+=" $(cell "$load" "$event" 4-6) |"
      first+="${first:+ / }$(cell "$load" "$event" 7)"
    done
    max=$(cell "$last_load" "$event" 6)
    ratio=–
    if [ -n "$window_ms" ] && [ -n "$max" ]; then ratio=$(awk -v w="$window_ms" -v m="$max" 'BEGIN { printf (m > 0 ? "%.1f" : "∞"), w / (m > 0 ? m : 1) }'); fi
    echo "$row $(cell "$last_load" "$event" 3) | $ratio | $first |"
  done <<< "$EVENTS"
  echo
  for note in "${notes[@]}"; do echo "- $note"; done
} > "$RESULTS/windows-latest.md"
echo
cat "$RESULTS/windows-latest.md"
