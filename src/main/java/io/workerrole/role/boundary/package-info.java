/**
 * The role lifecycle (start, run, stop) and its health checks: the worker's OnStart, Run and OnStop.
 */
package io.workerrole.role.boundary;
