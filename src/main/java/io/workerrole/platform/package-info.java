/**
 * Plumbing every capability shares: settings read live from server.xml (the worker-wide ones:
 * server id, data source, lease, payload limit), the clock, the worker's one database
 * (WorkerDatabase: connections, transactions, dialects, the schema migrations of every
 * capability, the one query helper Jdbc, paged queries, group commit, the store exception, the
 * pauses of a loop while the store is out), cluster-wide leases and the leadership of singleton
 * work over them, servers' presence locks (which servers of a PostgreSQL job store are alive), one backoff for every "try again later", web origins (one form for the origins
 * the worker may call for others and for the browsers' pages the API trusts, and the
 * allow-lists of the first), the storage folder, and the bounds on the instants and durations
 * taken from outside. It uses no capability (HouseRulesTest).
 */
package io.workerrole.platform;
