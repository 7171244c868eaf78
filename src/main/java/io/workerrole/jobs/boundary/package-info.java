/**
 * Jobs at the boundary: the HTTP API ({@code /api/jobs}), the job message listener (the MDB on
 * {@code worker.jobs}), the job store's health check, and the API's error mappers.
 */
package io.workerrole.jobs.boundary;
