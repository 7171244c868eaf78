#!/usr/bin/env bash
# An Apache ActiveMQ Artemis broker for the worker (worker.messaging=artemis), from the
# distribution that `mvn package` unpacks into target/.
#
#   liberty/artemis.sh create   makes the broker instance: its queues, users, roles and dead
#                               letters (again: rewrites its configuration, keeps its messages)
#   liberty/artemis.sh start    starts it and waits until it takes connections (a backup: until
#                               its primary knows it)
#   liberty/artemis.sh stop     stops it (kill -9 after 30 s)
#   liberty/artemis.sh status   says whether it runs: exit 0 if it does, 3 if not
#
# Settings come from the environment, under the names of the worker's own variables, so that
# one environment configures the broker and the worker (Liberty reads WORKER_JMS_PASSWORD as
# worker.jms.password, and so on). create records them; start, stop and status reuse them.
#   ARTEMIS_HOME                  the distribution (default: target/apache-artemis-*)
#   ARTEMIS_INSTANCE              the broker's folder: configuration, journal, log
#                                 (default: target/artemis/broker)
#   ARTEMIS_MEMORY                the broker's largest heap (default and least: 512M, its -Xms)
#   WORKER_ARTEMIS_HOST, WORKER_ARTEMIS_PORT
#                                 where it listens, one acceptor for every protocol (CORE, AMQP,
#                                 STOMP, OpenWire, MQTT): 127.0.0.1 and 61616 by default
#   WORKER_MAXDELIVERIES          deliveries of a job message before the broker moves it to
#                                 worker.dead (default 5, as worker.maxDeliveries)
#   WORKER_JMS_USER, WORKER_JMS_PASSWORD
#                                 the worker's user: takes jobs, sends replies and dead letters
#   WORKER_USER_SUBMITTER_PASSWORD, WORKER_USER_OPERATOR_PASSWORD, WORKER_USER_ADMIN_PASSWORD
#                                 the users submitter (sends jobs, reads replies), operator
#                                 (reads dead letters) and admin (both, and manages the broker)
# The passwords default to the shipped ones of users.xml (*-change-me): change them, and keep
# them out of '=', ':', '\' and spaces (they are written to the broker's properties files).
#
# A live/backup pair: two brokers, each made by create with its own ARTEMIS_INSTANCE and port,
# that share one store on PostgreSQL (the database the worker's job store may use). Whichever
# holds the store's lock is live and listens; the other waits, and takes over about
# WORKER_ARTEMIS_LOCK_EXPIRATION after the live one is gone (kill -9 too: the lock is a lease
# that the live broker renews). Start the primary first. The worker follows by itself when it
# knows both (worker.artemis.backup.host and worker.artemis.backup.port in server.xml).
#   WORKER_ARTEMIS_HA             none (default: one broker, its journal in its own folder),
#                                 primary or backup
#   WORKER_ARTEMIS_PEER_HOST, WORKER_ARTEMIS_PEER_PORT
#                                 the other broker of the pair (default: this host, and the port
#                                 after this one for a primary, before it for a backup)
#   WORKER_ARTEMIS_CLUSTER_PASSWORD
#                                 what the two brokers sign in to each other with (user
#                                 "cluster"; default cluster-change-me: change it, the same on both)
#   WORKER_POSTGRES_HOST, WORKER_POSTGRES_PORT, WORKER_POSTGRES_DATABASE, WORKER_POSTGRES_USER
#                                 the shared store, as the worker's worker.postgres.* (default
#                                 127.0.0.1, 5432, test, postgres): its tables are artemis_*, so
#                                 another pair needs another database; a password goes in the
#                                 ~/.pgpass of the user that runs the broker (the driver reads it)
#   WORKER_ARTEMIS_LOCK_EXPIRATION
#                                 milliseconds after which a lock that the live broker stopped
#                                 renewing is free: the backup's wait after a crash (default 4000,
#                                 renewed every quarter of it; Artemis's own 20000 suits a network
#                                 slower than loopback)
# The PostgreSQL driver comes from target/artemis-lib (mvn package puts it there).
set -euo pipefail

root=$(cd "$(dirname "$0")/.." && pwd)
instance=${ARTEMIS_INSTANCE:-$root/target/artemis/broker}
settings="$instance/etc/worker-broker.env"

usage() {
  sed -n '2,11p' "$0" >&2
  exit 2
}

# The distribution's home: ARTEMIS_HOME, or the one the build unpacked.
artemis_home() {
  local home=${ARTEMIS_HOME:-}
  if [ -z "$home" ]; then
    home=$(ls -d "$root"/target/apache-artemis-*/ 2>/dev/null | sort -V | tail -n 1 || true)
  fi
  if [ -z "$home" ] || [ ! -f "$home/bin/artemis" ]; then
    echo "No Artemis distribution (ARTEMIS_HOME, or target/apache-artemis-*): run 'mvn package' first" >&2
    exit 1
  fi
  echo "${home%/}"
}

pid() {
  cat "$instance/data/artemis.pid" 2>/dev/null || true
}

running() {
  local p
  p=$(pid)
  [ -n "$p" ] && kill -0 "$p" 2>/dev/null
}

create() {
  if running; then
    echo "The broker of $instance runs: stop it first" >&2
    exit 1
  fi
  local home host port deliveries worker_user worker_password ha
  home=$(artemis_home)
  host=${WORKER_ARTEMIS_HOST:-127.0.0.1}
  port=${WORKER_ARTEMIS_PORT:-61616}
  deliveries=${WORKER_MAXDELIVERIES:-5}
  worker_user=${WORKER_JMS_USER:-worker}
  worker_password=${WORKER_JMS_PASSWORD:-worker-change-me}
  ha=${WORKER_ARTEMIS_HA:-none}
  local pair=()
  case "$ha" in
    none) ;;
    primary | backup) mapfile -t pair < <(pair_options "$ha" "$host" "$port") ;;
    *) echo "WORKER_ARTEMIS_HA is none, primary or backup, not $ha" >&2; exit 2 ;;
  esac

  # One acceptor for every protocol on host:port (the separate AMQP, STOMP, HornetQ and MQTT
  # acceptors would take fixed ports of their own), no web console, NIO journal (no libaio
  # needed), and no journal speed test at create.
  sh "$home/bin/artemis" create "$instance" --silent --force \
    --name worker-broker --host "$host" --default-port "$port" \
    --require-login --user admin --password "${WORKER_USER_ADMIN_PASSWORD:-admin-change-me}" --role amq \
    --queues worker.jobs,worker.replies,worker.dead \
    --no-web --no-amqp-acceptor --no-stomp-acceptor --no-hornetq-acceptor --no-mqtt-acceptor \
    --nio --no-autotune --java-memory "${ARTEMIS_MEMORY:-512M}" "${pair[@]}" >/dev/null
  if [ "$ha" != none ]; then
    copy_jdbc_driver
  fi

  # The users and roles of the embedded engine's messagingSecurity, on the broker. Plain text
  # passwords are fine for Artemis's properties login module; the files are for this user only.
  cat >"$instance/etc/artemis-users.properties" <<EOF
admin = ${WORKER_USER_ADMIN_PASSWORD:-admin-change-me}
$worker_user = $worker_password
submitter = ${WORKER_USER_SUBMITTER_PASSWORD:-submitter-change-me}
operator = ${WORKER_USER_OPERATOR_PASSWORD:-operator-change-me}
EOF
  # No spaces after the commas: the login module takes " admin" for another user's name.
  cat >"$instance/etc/artemis-roles.properties" <<EOF
amq = admin
worker = $worker_user
job-submitter = submitter,admin
job-operator = operator,admin
EOF
  chmod 600 "$instance/etc/artemis-users.properties" "$instance/etc/artemis-roles.properties"

  # Applied over broker.xml at every start (Artemis reads etc/broker.properties by itself).
  # An address's security settings replace those of '#' (they are not merged): on the worker's
  # queues only these roles may act. Its address settings are merged with those of '#'.
  cat >"$instance/etc/broker.properties" <<EOF
# Written by liberty/artemis.sh create: the worker's queues (created by --queues).

# A job message the worker fails to take in $deliveries times goes to worker.dead, as the
# embedded engine's maxRedeliveryCount and exceptionDestination do (worker.maxDeliveries).
addressSettings."worker.jobs".maxDeliveryAttempts=$deliveries
addressSettings."worker.jobs".deadLetterAddress=worker.dead
addressSettings."worker.jobs".autoCreateDeadLetterResources=false

# Each message carries its sender as the broker authenticated it (_AMQ_VALIDATED_USER, which the
# worker reads as JMSXUserID): an idempotency key is its sender's own. The broker writes it over
# whatever the sender set; without this setting a sender's own value would pass as it came.
populateValidatedUser=true

# The worker: everything on its three queues.
securityRoles."worker.jobs".worker.send=true
securityRoles."worker.jobs".worker.consume=true
securityRoles."worker.jobs".worker.browse=true
securityRoles."worker.replies".worker.send=true
securityRoles."worker.replies".worker.consume=true
securityRoles."worker.replies".worker.browse=true
securityRoles."worker.dead".worker.send=true
securityRoles."worker.dead".worker.consume=true
securityRoles."worker.dead".worker.browse=true
# Producers: send job messages, read the replies on worker.replies (every producer's: a producer's
# own reply queue gets security settings of its own, see docs/api.md, Whose replies are whose).
securityRoles."worker.jobs".job-submitter.send=true
securityRoles."worker.replies".job-submitter.consume=true
securityRoles."worker.replies".job-submitter.browse=true
# Operators: read and remove dead letters.
securityRoles."worker.dead".job-operator.consume=true
securityRoles."worker.dead".job-operator.browse=true

# Temporary reply queues: a producer may set JMSReplyTo to a temporary queue of its own. Artemis
# names each by a random UUID, an address of its own that only '#' matches: there producers may
# create queues and take from them, and the worker may send its replies (the UUID is known only
# to its creator and to the worker, who reads the job message). So '#' is for temporary queues
# only: the worker replies to whatever a producer calls a temporary queue (worker.jms.replyQueues
# aside), and submitters may read here, so every permanent queue needs settings of its own, as the
# worker's three have, which replace these.
securityRoles."#".job-submitter.createAddress=true
securityRoles."#".job-submitter.deleteAddress=true
securityRoles."#".job-submitter.createNonDurableQueue=true
securityRoles."#".job-submitter.deleteNonDurableQueue=true
securityRoles."#".job-submitter.consume=true
securityRoles."#".worker.send=true
# The broker's own DLQ and ExpiryQueue (where job messages whose JMSExpiration passed go): for its
# admins only, not for the grants on '#' above.
securityRoles.DLQ.amq.send=true
securityRoles.DLQ.amq.consume=true
securityRoles.DLQ.amq.browse=true
securityRoles.ExpiryQueue.amq.send=true
securityRoles.ExpiryQueue.amq.consume=true
securityRoles.ExpiryQueue.amq.browse=true
EOF

  cat >"$settings" <<EOF
host=$host
port=$port
ha=$ha
EOF
  echo "Broker created in $instance (${host}:${port}, worker user $worker_user, worker.dead after $deliveries deliveries$(
    [ "$ha" = none ] || echo ", the $ha of a pair"))"
}

# The options of 'artemis create', one a line, that make this broker the primary or the backup
# of a pair: a shared store on PostgreSQL (the JDBC journal, and the lock that says which broker
# is live), and a cluster connection to the peer, over which the live broker tells its clients
# where the backup is. A shared store rather than replication: the database arbitrates, so the
# two can never both be live (a replicating pair has no third broker to ask, and its backup takes
# over whenever it loses sight of the primary, even while the primary lives on). The page store's
# name is the prefix of a table per address, 10 characters at most.
pair_options() {
  local role=$1 host=$2 port=$3 peer_port expiration
  if [ "$role" = primary ]; then
    peer_port=${WORKER_ARTEMIS_PEER_PORT:-$((port + 1))}
  else
    peer_port=${WORKER_ARTEMIS_PEER_PORT:-$((port - 1))}
    echo --backup
  fi
  expiration=${WORKER_ARTEMIS_LOCK_EXPIRATION:-4000}
  printf '%s\n' --shared-store --failover-on-shutdown \
    --clustered --cluster-user cluster --cluster-password "${WORKER_ARTEMIS_CLUSTER_PASSWORD:-cluster-change-me}" \
    --staticCluster "tcp://${WORKER_ARTEMIS_PEER_HOST:-$host}:${peer_port}" \
    --jdbc --jdbc-driver-class-name org.postgresql.Driver \
    --jdbc-connection-url "jdbc:postgresql://${WORKER_POSTGRES_HOST:-127.0.0.1}:${WORKER_POSTGRES_PORT:-5432}/${WORKER_POSTGRES_DATABASE:-test}?user=${WORKER_POSTGRES_USER:-postgres}" \
    --jdbc-bindings-table-name artemis_bindings --jdbc-message-table-name artemis_messages \
    --jdbc-large-message-table-name artemis_large_messages --jdbc-node-manager-table-name artemis_node_manager \
    --jdbc-page-store-table-name artemis_pg \
    --jdbc-lock-expiration "$expiration" --jdbc-lock-renew-period "$((expiration / 4))" --jdbc-network-timeout "$expiration"
}

# The PostgreSQL driver of the build, into the instance's lib/ (on the broker's class path).
copy_jdbc_driver() {
  local driver
  driver=$(ls "$root"/target/artemis-lib/postgresql-*.jar 2>/dev/null | sort -V | tail -n 1 || true)
  if [ -z "$driver" ]; then
    echo "No PostgreSQL driver in target/artemis-lib: run 'mvn package' first" >&2
    exit 1
  fi
  rm -f "$instance"/lib/postgresql-*.jar
  cp "$driver" "$instance/lib/"
}

# host and port, as create recorded them
load_settings() {
  if [ ! -f "$settings" ]; then
    echo "No broker in $instance: run '$0 create' first" >&2
    exit 1
  fi
  # shellcheck disable=SC1090
  . "$settings"
}

start() {
  load_settings
  if running; then
    echo "The broker of $instance already runs (pid $(pid))"
    return 0
  fi
  mkdir -p "$instance/log" "$instance/data"
  nohup "$instance/bin/artemis" run >"$instance/log/console.log" 2>&1 &
  echo $! >"$instance/data/artemis.pid"
  for _ in $(seq 1 120); do
    if ! running; then
      echo "The broker did not start; the end of $instance/log/console.log:" >&2
      tail -n 30 "$instance/log/console.log" >&2
      exit 1
    fi
    if (exec 3<>"/dev/tcp/$host/$port") 2>/dev/null; then
      echo "Broker started on ${host}:${port} (pid $(pid))"
      return 0
    fi
    # A backup listens only once it is live. It is ready when its primary knows it (AMQ221031):
    # from then on the primary tells its clients where to fail over to.
    if [ "${ha:-none}" = backup ] && grep -q AMQ221031 "$instance/log/console.log"; then
      echo "Backup broker started, ready to take over on ${host}:${port} (pid $(pid))"
      return 0
    fi
    sleep 0.5
  done
  echo "The broker did not listen on ${host}:${port} within 60 s: stopping it" >&2
  stop
  exit 1
}

stop() {
  local p
  p=$(pid)
  if ! running; then
    rm -f "$instance/data/artemis.pid"
    echo "The broker of $instance is not running"
    return 0
  fi
  kill "$p"
  for _ in $(seq 1 60); do
    if ! kill -0 "$p" 2>/dev/null; then
      rm -f "$instance/data/artemis.pid"
      echo "Broker stopped"
      return 0
    fi
    sleep 0.5
  done
  echo "The broker did not stop within 30 s: killing it" >&2
  kill -9 "$p" 2>/dev/null || true
  rm -f "$instance/data/artemis.pid"
}

status() {
  if running; then
    load_settings
    if [ "${ha:-none}" = none ] || (exec 3<>"/dev/tcp/$host/$port") 2>/dev/null; then
      echo "The broker of $instance runs on ${host}:${port} (pid $(pid))"
    else
      echo "The broker of $instance runs as a backup, ready to take over on ${host}:${port} (pid $(pid))"
    fi
    return 0
  fi
  echo "The broker of $instance is not running"
  return 3
}

case "${1:-}" in
  create) create ;;
  start) start ;;
  stop) stop ;;
  status) status ;;
  *) usage ;;
esac
