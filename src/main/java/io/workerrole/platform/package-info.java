/**
 * Plumbing every capability shares: settings read live from server.xml, the clock, the database
 * (connections, transactions, dialects, schema migrations, paged queries, group commit, the
 * store exception), cluster-wide leases and the leadership of singleton work over them, web
 * origins (one form for the origins the worker may call for others and for the browsers' pages
 * the API trusts, and the allow-lists of the first), and the bounds on the instants and durations
 * taken from outside.
 */
package io.workerrole.platform;
