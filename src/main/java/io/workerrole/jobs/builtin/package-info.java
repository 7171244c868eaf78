/**
 * The built-in job types (echo, sleep, fail, fetch, thumbnail): examples of handlers, and tools
 * for trying the worker out; {@code worker.builtinJobs=false} turns them off.
 */
package io.workerrole.jobs.builtin;
