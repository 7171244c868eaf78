/**
 * HTTP plumbing shared by the capabilities' REST resources: JSON error bodies (the servlet
 * container's own error page too) and list paging.
 */
package io.workerrole.platform.rest;
