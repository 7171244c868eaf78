/**
 * The developer-facing API of the worker role: background tasks, lifecycle hooks and events.
 * Everything else in {@code io.workerrole} is internal.
 */
package io.workerrole.api;
