/**
 * The role lifecycle (start, run, stop) and its health checks: the worker's OnStart, Run and OnStop;
 * {@code GET /api/role} with the details the open health checks leave out.
 */
package io.workerrole.role.boundary;
