#!/usr/bin/env bash
# A local cluster of the worker on this machine: N Liberty servers (worker1 .. workerN) sharing
# one PostgreSQL job store and a live/backup pair of Apache ActiveMQ Artemis brokers (or one
# broker), everything on loopback, from
# what the build made (`mvn verify -DskipTests -Dexample.skip=true`: the runtime in
# target/liberty/wlp with the JDBC drivers and the Artemis resource adapter in its shared
# resources, target/worker-role.war, the broker's distribution).
#
#   liberty/cluster.sh start [N]  starts what does not run yet: the job store's database (created
#                                 if missing), the brokers (liberty/artemis.sh), servers 1..N
#                                 (default 3; servers of the cluster beyond N are stopped); waits
#                                 until every server is ready, then prints the URLs and users
#   liberty/cluster.sh stop       stops the servers, then the brokers, the backup first so that it
#                                 does not take over (the servers' folders, the databases and the
#                                 brokers' messages are kept)
#   liberty/cluster.sh status     says what runs, each broker live or waiting as a backup: exit 0
#                                 if a broker is live and every server of the cluster is ready, 3 if not
#
# Server i is made as an admin makes one (and as the tests' LibertyServer does): server-config/
# copied into target/liberty/wlp/usr/servers/workerI (again at each start of a server that is not
# running: keep your own edits in its configDropins/overrides/), worker.messaging=artemis in its
# bootstrap.properties, the WAR in apps/ declared with the JDBC drivers visible (the wake-ups
# across servers, docs/operations.md "Several servers on one PostgreSQL"), and its settings in configDropins/overrides/cluster.xml:
# HTTP port CLUSTER_HTTP_PORT + 10 i and HTTPS port CLUSTER_HTTP_PORT + 363 + 10 i (worker1 on 9090
# and 9453, worker2 on 9100 and 9463, ...), worker.serverId workerI, the PostgreSQL job store and
# the brokers' hosts and ports. worker.http.host is left at localhost.
#
# The pair shares one store, tables artemis_* in a database of its own beside the job store's (the
# worker's schema migration wants the job store's schema to itself): whichever broker holds
# the store's lock is live, the other waits and takes over about WORKER_ARTEMIS_LOCK_EXPIRATION
# (4 s) after the live one is gone, kill -9 too; the servers know both and follow by themselves.
# After a failover, start brings the primary back: the backup, which gives the store back to a
# primary that returns (fail-back), waits again, and the servers follow the primary.
#
# Settings come from the environment:
#   CLUSTER_HTTP_PORT             the ports' base (default 9080, the dev server's own port: unused by the cluster)
#   CLUSTER_NAME                  the servers' names before their number (default worker)
#   CLUSTER_DATABASE              the job store's PostgreSQL database (default worker_cluster)
#   CLUSTER_BROKER_DATABASE       the broker pair's store (default: CLUSTER_DATABASE with _broker)
#   WORKER_POSTGRES_HOST, WORKER_POSTGRES_PORT, WORKER_POSTGRES_USER
#                                 where it is: 127.0.0.1, 5432, postgres (trust authentication)
#   CLUSTER_BROKERS               2 (default): a live/backup pair; 1: one broker, its journal in its folder
#   ARTEMIS_INSTANCE              the broker's folder, the primary's of a pair (default target/cluster/broker);
#                                 the backup's is the same with -backup; and every other setting of
#                                 liberty/artemis.sh (WORKER_ARTEMIS_PORT: the primary's, the backup's
#                                 the one after it; WORKER_JMS_PASSWORD,
#                                 WORKER_USER_*_PASSWORD, WORKER_MAXDELIVERIES, ...): the servers read the
#                                 same variables from the same environment, so broker and servers agree
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
wlp=$root/target/liberty/wlp
prefix=${CLUSTER_NAME:-worker}
base_port=${CLUSTER_HTTP_PORT:-9080}
database=${CLUSTER_DATABASE:-worker_cluster}
broker_database=${CLUSTER_BROKER_DATABASE:-${database}_broker}
pg_host=${WORKER_POSTGRES_HOST:-127.0.0.1}
pg_port=${WORKER_POSTGRES_PORT:-5432}
pg_user=${WORKER_POSTGRES_USER:-postgres}
brokers=${CLUSTER_BROKERS:-2}
primary_instance=${ARTEMIS_INSTANCE:-$root/target/cluster/broker}
backup_instance=$primary_instance-backup
primary_port=${WORKER_ARTEMIS_PORT:-61616}
artemis=$root/liberty/artemis.sh
# How many servers the last start asked for: the cluster that status checks.
size_file=$root/target/cluster/$prefix.size

usage() {
  sed -n '2,15p' "$0" >&2
  exit 2
}

# What the build must have made; says which command makes it.
check_build() {
  local missing=()
  [ -x "$wlp/bin/server" ] || missing+=("the Liberty runtime ($wlp)")
  [ -f "$root/target/worker-role.war" ] || missing+=("target/worker-role.war")
  ls "$wlp"/usr/shared/resources/jdbc/postgresql-*.jar >/dev/null 2>&1 || missing+=("the PostgreSQL driver in $wlp/usr/shared/resources/jdbc")
  [ -f "$wlp/usr/shared/resources/artemis/artemis-ra.rar" ] || missing+=("the Artemis resource adapter in $wlp/usr/shared/resources/artemis")
  if [ ${#missing[@]} -gt 0 ]; then
    printf 'Missing: %s\n' "${missing[@]}" >&2
    echo "Build them first: mvn verify -DskipTests -Dexample.skip=true" >&2
    exit 1
  fi
}

server_dir() { echo "$wlp/usr/servers/$1"; }
http_port() { echo $((base_port + 10 * $1)); }
https_port() { echo $((base_port + 363 + 10 * $1)); }
running() { "$wlp/bin/server" status "$1" >/dev/null 2>&1; }
ready() { [ "$(curl -s -o /dev/null -w '%{http_code}' "http://localhost:$(http_port "$2")/health/ready")" = 200 ]; }

# The numbers of the cluster's servers made so far (those with the override file this script writes), in order.
made_servers() {
  local dir name
  for dir in "$wlp"/usr/servers/"$prefix"*/; do
    name=$(basename "$dir")
    if [[ $name =~ ^${prefix}([0-9]+)$ ]] && [ -f "$dir/configDropins/overrides/cluster.xml" ]; then
      echo "${BASH_REMATCH[1]}"
    fi
  done | sort -n
}

# ensure_database NAME: the database, created if missing (the worker makes its schema in the job
# store's at its first start, the brokers theirs in their store's).
ensure_database() {
  local name=$1
  if ! [[ $name =~ ^[a-z_][a-z0-9_]*$ ]]; then
    echo "CLUSTER_DATABASE and CLUSTER_BROKER_DATABASE must be plain lower-case names, not '$name'" >&2
    exit 1
  fi
  local psql=(psql -q -X -v ON_ERROR_STOP=1 -h "$pg_host" -p "$pg_port" -U "$pg_user" -d postgres)
  if [ -z "$("${psql[@]}" -tAc "SELECT 1 FROM pg_database WHERE datname = '$name'")" ]; then
    "${psql[@]}" -c "CREATE DATABASE $name"
    echo "Database $name created on $pg_host:$pg_port"
  fi
}

# broker ROLE COMMAND: liberty/artemis.sh COMMAND for the single broker, the primary or the
# backup, each with its own folder, port and part in the pair (the store in CLUSTER_BROKER_DATABASE).
# Each names the other's port itself: a WORKER_ARTEMIS_PEER_PORT of the environment would give
# both brokers the same peer.
broker() {
  local role=$1
  shift
  case "$role" in
    single) ARTEMIS_INSTANCE=$primary_instance WORKER_ARTEMIS_PORT=$primary_port WORKER_ARTEMIS_HA=none "$artemis" "$@" ;;
    primary | backup)
      local instance=$primary_instance port=$primary_port peer=$((primary_port + 1))
      if [ "$role" = backup ]; then instance=$backup_instance port=$((primary_port + 1)) peer=$primary_port; fi
      ARTEMIS_INSTANCE=$instance WORKER_ARTEMIS_PORT=$port WORKER_ARTEMIS_PEER_PORT=$peer WORKER_ARTEMIS_HA=$role \
        WORKER_POSTGRES_HOST=$pg_host WORKER_POSTGRES_PORT=$pg_port WORKER_POSTGRES_USER=$pg_user \
        WORKER_POSTGRES_DATABASE=$broker_database "$artemis" "$@" ;;
  esac
}

# The brokers' roles, in the order they start, one a line (stop_brokers reverses the lines).
broker_roles() {
  if [ "$brokers" = 1 ]; then echo single; else printf '%s\n' primary backup; fi
}

# The brokers, each made again (its configuration from this environment, its messages kept) when
# it does not run. The primary first: it takes the store's lock, and the backup, once its primary
# knows it, waits to take over.
start_brokers() {
  local role
  for role in $(broker_roles); do
    if ! broker "$role" status >/dev/null; then
      broker "$role" create
      broker "$role" start
    fi
  done
}

# The backup first, so that it does not take over from a primary stopping (failover on shutdown).
# A backup that runs is stopped under CLUSTER_BROKERS=1 too: the single broker's folder is the
# primary's, so a pair started without it would otherwise leave its backup behind.
stop_brokers() {
  local role
  if [ "$brokers" = 1 ] && broker backup status >/dev/null; then
    broker backup stop
  fi
  for role in $(broker_roles | tac); do
    broker "$role" stop
  done
}

# The servers' variables that point them at the brokers, from what liberty/artemis.sh create recorded.
broker_variables() {
  local host port ha
  # shellcheck disable=SC1091 # written by liberty/artemis.sh create: host=..., port=..., ha=...
  . "$primary_instance/etc/worker-broker.env"
  echo "    <variable name=\"worker.artemis.host\" value=\"$host\"/>"
  echo "    <variable name=\"worker.artemis.port\" value=\"$port\"/>"
  if [ "$brokers" != 1 ]; then
    # shellcheck disable=SC1091
    . "$backup_instance/etc/worker-broker.env"
    echo "    <variable name=\"worker.artemis.backup.host\" value=\"$host\"/>"
    echo "    <variable name=\"worker.artemis.backup.port\" value=\"$port\"/>"
  fi
}

# make_server I: the server's folder, made or refreshed from server-config/ and target/ (only while it does not run).
make_server() {
  local i=$1 name="$prefix$1" dir
  dir=$(server_dir "$name")
  mkdir -p "$dir/apps" "$dir/configDropins/overrides"
  cp -r "$root/server-config/." "$dir/"
  sed -i 's/^worker\.messaging=.*/worker.messaging=artemis/' "$dir/bootstrap.properties"
  cp "$root/target/worker-role.war" "$dir/apps/"
  cat >"$dir/configDropins/overrides/cluster.xml" <<XML
<?xml version="1.0" encoding="UTF-8"?>
<!-- Written by liberty/cluster.sh at each start: server $i of the cluster (changes here are lost; keep yours in another file) -->
<server>
    <variable name="default.http.port" value="$(http_port "$i")"/>
    <variable name="default.https.port" value="$(https_port "$i")"/>
    <variable name="worker.serverId" value="$name"/>
    <variable name="worker.datasource" value="jdbc/workerPostgres"/>
    <variable name="worker.postgres.host" value="$pg_host"/>
    <variable name="worker.postgres.port" value="$pg_port"/>
    <variable name="worker.postgres.database" value="$database"/>
    <variable name="worker.postgres.user" value="$pg_user"/>
$(broker_variables)
    <webApplication location="worker-role.war" contextRoot="/">
        <classloader commonLibraryRef="jdbcDrivers"/>
    </webApplication>
</server>
XML
}

# wait_ready I: until server I's readiness is UP (3 minutes at most)
wait_ready() {
  local name="$prefix$1"
  for _ in $(seq 1 180); do
    ready "$name" "$1" && return 0
    running "$name" || break
    sleep 1
  done
  echo "$name was not ready within 3 minutes; the end of its log:" >&2
  tail -n 30 "$(server_dir "$name")/logs/messages.log" >&2 || true
  exit 1
}

stop_server() {
  if running "$prefix$1"; then
    "$wlp/bin/server" stop "$prefix$1" >/dev/null || true
    echo "$prefix$1 stopped"
  fi
}

start() {
  local n=${1:-3} i launched=() up=0
  [[ $n =~ ^[1-9][0-9]?$ ]] || { echo "N must be a number from 1 to 99, not '$n'" >&2; exit 2; }
  [[ $brokers =~ ^[12]$ ]] || { echo "CLUSTER_BROKERS is 1 or 2, not '$brokers'" >&2; exit 2; }
  check_build
  ensure_database "$database"
  if [ "$brokers" != 1 ]; then ensure_database "$broker_database"; fi
  start_brokers
  for i in $(made_servers); do
    if [ "$i" -gt "$n" ]; then stop_server "$i"; fi
  done
  for i in $(seq 1 "$n"); do
    if running "$prefix$i"; then up=$((up + 1)); fi
  done
  for i in $(seq 1 "$n"); do
    running "$prefix$i" && continue
    make_server "$i"
    "$wlp/bin/server" start "$prefix$i" >/dev/null
    echo "$prefix$i starting on http://localhost:$(http_port "$i")"
    launched+=("$i")
    # The first server of a cluster that has none running creates or migrates the job store's
    # schema: the others start once it is ready, all together.
    if [ "$up" = 0 ]; then
      wait_ready "$i"
      up=1
    fi
  done
  for i in $(seq 1 "$n"); do
    wait_ready "$i"
  done
  mkdir -p "$(dirname "$size_file")"
  echo "$n" >"$size_file"
  echo
  summary "$n"
}

summary() {
  local n=$1 i role
  echo "Cluster of $n server(s) on the job store $pg_host:$pg_port/$database and $(
    [ "$brokers" = 1 ] && echo "one broker" || echo "a live/backup pair of brokers"):"
  for i in $(seq 1 "$n"); do
    echo "  $prefix$i  http://localhost:$(http_port "$i")  https://localhost:$(https_port "$i")  (dashboard: /dashboard, health: /health/ready)"
  done
  for role in $(broker_roles); do broker "$role" status | sed 's/^/  /'; done
  echo "API users of every server (users.xml; their passwords are WORKER_USER_NAME_PASSWORD):"
  echo "  viewer:${WORKER_USER_VIEWER_PASSWORD:-viewer-change-me}  submitter:${WORKER_USER_SUBMITTER_PASSWORD:-submitter-change-me}" \
       " operator:${WORKER_USER_OPERATOR_PASSWORD:-operator-change-me}  admin:${WORKER_USER_ADMIN_PASSWORD:-admin-change-me}"
  echo "Broker users (JMS, AMQP, STOMP):"
  echo "  submitter:${WORKER_USER_SUBMITTER_PASSWORD:-submitter-change-me} sends job messages to worker.jobs and reads worker.replies;" \
       "operator:${WORKER_USER_OPERATOR_PASSWORD:-operator-change-me} reads worker.dead;" \
       "admin:${WORKER_USER_ADMIN_PASSWORD:-admin-change-me} manages the broker"
}

stop() {
  local i pids=()
  for i in $(made_servers); do
    stop_server "$i" &
    pids+=($!)
  done
  for pid in "${pids[@]}"; do wait "$pid"; done
  stop_brokers
}

status() {
  local i all=0 n
  n=$(cat "$size_file" 2>/dev/null || echo 0)
  if [ "$n" = 0 ]; then
    echo "No cluster started yet (liberty/cluster.sh start)"
    all=3
  fi
  for i in $(seq 1 "$n"); do
    if ready "$prefix$i" "$i"; then
      echo "$prefix$i  ready    http://localhost:$(http_port "$i")"
    elif running "$prefix$i"; then
      echo "$prefix$i  running, not ready  http://localhost:$(http_port "$i")"
      all=3
    else
      echo "$prefix$i  stopped"
      all=3
    fi
  done
  # Live: one broker that runs and listens (a waiting backup runs but does not listen yet).
  local role line live=0
  for role in $(broker_roles); do
    if line=$(broker "$role" status); then
      [[ $line == *"as a backup"* ]] || live=1
    fi
    echo "$line"
  done
  [ "$live" = 1 ] || all=3
  return $all
}

case "${1:-}" in
  start) start "${2:-3}" ;;
  stop) stop ;;
  status) status ;;
  *) usage ;;
esac
