#!/usr/bin/env bash
# Benchmarks N workers: end-to-end jobs/s with 1, 2 and 3 worker servers of a local cluster
# (liberty/cluster.sh: one PostgreSQL database, one Artemis broker; servers benchWorker1..3 on
# HTTP 29010, 29020, 29030, the broker on 29616). Each run, on a fresh cluster: BENCH_CLUSTER_JOBS
# echo jobs sent over JMS to the broker's worker.jobs as fast as a Java SE producer can, and the
# time from the first enqueue to the last finish; with how the jobs split between the servers and
# where the machine's CPU went meanwhile. Prints a Markdown table and keeps it in
# bench/results/cluster-latest.md. See bench/README.md.
set -euo pipefail
cd "$(dirname "$0")/.."

WORKERS=${BENCH_CLUSTER_WORKERS:-"1 2 3"}
JOBS=${BENCH_CLUSTER_JOBS:-20000}
PRODUCERS=${BENCH_PRODUCERS:-4}               # producer threads, each with its own JMS context
WARMUP=${BENCH_WARMUP:-2000}                  # warm-up jobs per run, not reported
PG_DATABASE=${BENCH_PG_DATABASE:-worker_bench}
source bench/lib.sh                           # WLP, RESULTS, mvnq, build_bench, settle, ...

# The cluster's settings (liberty/cluster.sh and liberty/artemis.sh read them): ports, names, a
# broker and a database of the bench's own, so that it runs beside a cluster or the tests. The
# bench client reads the API as admin with the bench's password, and sends job messages to the
# broker as submitter, as producers do.
export CLUSTER_NAME=benchWorker CLUSTER_HTTP_PORT=29000 CLUSTER_DATABASE=$PG_DATABASE
# One broker, as the figures in docs/performance.md were measured (the pair adds its store on PostgreSQL).
export ARTEMIS_INSTANCE=$PWD/bench/target/cluster-broker WORKER_ARTEMIS_PORT=29616 CLUSTER_BROKERS=1
export WORKER_USER_ADMIN_PASSWORD=bench-admin-pw WORKER_USER_SUBMITTER_PASSWORD=bench-submitter-pw
export BENCH_BROKER_CREDENTIALS=submitter:bench-submitter-pw
BASE=http://localhost:29010
BROKER=tcp://127.0.0.1:29616
names=()
for n in $WORKERS; do
  [[ $n =~ ^[1-9]$ ]] || { echo "BENCH_CLUSTER_WORKERS: numbers from 1 to 9, not '$n'" >&2; exit 1; }
done
for i in $(seq 1 "$(tr ' ' '\n' <<< "$WORKERS" | sort -n | tail -n 1)"); do names+=("$CLUSTER_NAME$i"); done

begin_bench "${names[@]}"
trap 'liberty/cluster.sh stop >/dev/null 2>&1 || true' EXIT
# The resource adapter where the servers' broker/artemis.xml loads it (docs/operations.md, The broker; mvn verify
# puts it there for the tests, build_bench does not).
mkdir -p "$WLP/usr/shared/resources/artemis"
cp target/artemis-ra.rar "$WLP/usr/shared/resources/artemis/"

# ticks PID...: the processes' CPU time so far (user + system), in clock ticks
ticks() {
  local total=0 pid
  for pid in "$@"; do
    total=$((total + $(awk '{print $14 + $15}' "/proc/$pid/stat" 2>/dev/null || echo 0)))
  done
  echo "$total"
}

# sample_cpu WORKER_PIDS BROKER_PID: every half second, a line "ms busy workers broker postgres":
# the time, then CPU ticks so far of the whole machine (every core, other sessions' work too), of
# the workers, of the broker and of every PostgreSQL process (whoever it serves)
sample_cpu() {
  local workers=$1 broker=$2
  while :; do
    # shellcheck disable=SC2086,SC2046 # the pids are words
    echo "$(date +%s%3N) $(awk '/^cpu / {print $2 + $3 + $4 + $7 + $8 + $9}' /proc/stat)" \
         "$(ticks $workers) $(ticks "$broker") $(ticks $(pgrep -x postgres || true))"
    sleep 0.5
  done
}

# cpu_over SAMPLES FROM_MS TO_MS: the cores each kept busy on average between the two instants
# (the samples nearest outside them): "machine workers broker postgres"
cpu_over() {
  awk -v from="$2" -v to="$3" -v hz="$(getconf CLK_TCK)" '
    $1 <= from || !a[1] { for (i = 1; i <= 5; i++) a[i] = $i }
    $1 >= to { for (i = 1; i <= 5; i++) b[i] = $i; exit }
    END {
      if (!b[1]) { print "? ? ? ?"; exit }
      s = (b[1] - a[1]) / 1000
      printf "%.2f %.2f %.2f %.2f\n", (b[2] - a[2]) / hz / s, (b[3] - a[3]) / hz / s, (b[4] - a[4]) / hz / s, (b[5] - a[5]) / hz / s
    }' "$1"
}

results=()
for n in $WORKERS; do
  label="workers-$n"
  echo "== $n worker(s): a fresh cluster"
  liberty/cluster.sh stop >/dev/null 2>&1 || true
  for name in "${names[@]}"; do rm -rf "$(server_dir "$name")"; done
  rm -rf "$ARTEMIS_INSTANCE"
  reset_pg_database "$PG_DATABASE"
  liberty/cluster.sh start "$n" > "$RESULTS/cluster-$label-start.log" \
      || { echo "the cluster of $n did not start (see $RESULTS/cluster-$label-start.log)" >&2; exit 1; }
  # Warm up every server (the broker spreads the warm-up's messages over them), then let them settle.
  mvnq -f bench/pom.xml exec:java -Dbench.broker="$BROKER" -Dbench.warmup="$WARMUP" -Dexec.args="$BASE artemis 0 $PRODUCERS 0" \
      > "$RESULTS/cluster-$label-warmup.log" || { echo "the warm-up of $n failed (see $RESULTS/cluster-$label-warmup.log)" >&2; exit 1; }
  pids=""
  for i in $(seq 1 "$n"); do
    settle "$CLUSTER_NAME$i"
    pids="$pids $(cat "$WLP/usr/servers/.pid/$CLUSTER_NAME$i.pid")"
  done

  log="$RESULTS/cluster-$label.log"
  samples="$RESULTS/cluster-$label-cpu.txt"
  sample_cpu "$pids" "$(cat "$ARTEMIS_INSTANCE/data/artemis.pid")" > "$samples" &
  sampler=$!
  status=0
  mvnq -f bench/pom.xml exec:java -Dbench.broker="$BROKER" -Dbench.warmup=0 -Dexec.args="$BASE artemis $JOBS $PRODUCERS 0" | tee "$log" || status=$?
  kill "$sampler"
  for i in $(seq 1 "$n"); do keep_server_logs "$CLUSTER_NAME$i" "cluster-$label-$i"; done
  if [ "$status" != 0 ] || ! grep -q 'RESULT|' "$log"; then
    echo "the run of $n failed (see $log and $RESULTS/cluster-$label-*-messages.log)" >&2
    exit 1
  fi
  IFS='|' read -r _ run first last < <(grep -o 'WINDOW|.*' "$log" | tail -n 1)
  # Which server ran each job of the run: its RUNNING event names the server.
  split=$(psql -q -X -tA -F: -h 127.0.0.1 -U postgres -d "$PG_DATABASE" -c "SELECT split_part(e.detail, '@', 1), COUNT(*)
      FROM worker_job_event e JOIN worker_job j ON j.id = e.job_id
      WHERE e.state = 'RUNNING' AND j.idempotency_key LIKE '$run-%' GROUP BY 1 ORDER BY 1" | sed "s/^$CLUSTER_NAME//" | paste -sd' ' -)
  line=$(grep -o 'RESULT|.*' "$log" | head -n 1)
  results+=("$n|${line#*RESULT|}|$split|$(cpu_over "$samples" "$first" "$last")")
done
liberty/cluster.sh stop >/dev/null

{
  echo "$(measured_on)" \
       "client, servers, broker and database on the same machine; load average at start $load_at_start$([ -n "$others" ] && echo ", other Liberty servers running: $others")."
  echo
  echo "Echo jobs sent over JMS to Artemis by a Java SE producer ($PRODUCERS threads), taken by the servers' message endpoints as competing consumers; a fresh cluster and database per run, warmed up with $WARMUP jobs."
  echo
  echo "| workers | jobs | jobs/s | enqueue → start p50 ms | p99 ms | max ms | jobs run by server | cores busy: machine | workers | broker | PostgreSQL |"
  echo "| ---: | ---: | ---: | ---: | ---: | ---: | --- | ---: | ---: | ---: | ---: |"
  for r in "${results[@]}"; do
    IFS='|' read -r n _mode _shape jobs rate p50 p99 max split cpu <<< "$r"
    read -r machine workers broker postgres <<< "$cpu"
    echo "| $n | $jobs | $rate | $p50 | $p99 | $max | $split | $machine | $workers | $broker | $postgres |"
  done
  echo
  echo "jobs run by server: server number:jobs. Cores busy: CPU time over the run's window (first enqueue to last"
  echo "finish) divided by its length, from /proc every half second; the machine's counts every process, the client's"
  echo "and other sessions' too, and PostgreSQL's every backend, whoever it serves. $(nproc) cores in all."
} > "$RESULTS/cluster-latest.md"
echo
cat "$RESULTS/cluster-latest.md"
