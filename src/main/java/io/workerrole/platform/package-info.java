/**
 * Plumbing every capability shares: settings read live from server.xml, the clock, the database
 * (connections, transactions, migrations, paged queries), cluster-wide leases, and allowed hosts.
 */
package io.workerrole.platform;
