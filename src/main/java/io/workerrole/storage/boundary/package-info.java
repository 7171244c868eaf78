/**
 * The storage trigger: a background task that starts a job for each new file in the watched folder.
 */
package io.workerrole.storage.boundary;
