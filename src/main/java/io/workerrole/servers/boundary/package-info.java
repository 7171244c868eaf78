/**
 * Servers at the boundary: {@code GET /api/servers}, every server of the job store with its
 * last heartbeat, and whether it is gone; {@code ServerList} for the other capabilities.
 */
package io.workerrole.servers.boundary;
