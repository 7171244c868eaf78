/**
 * Jobs' values: requests, new and recorded jobs, their transitions, and their notices.
 */
package io.workerrole.jobs.entity;
