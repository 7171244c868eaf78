/**
 * HTTP plumbing shared by the capabilities' REST resources: JSON error bodies and list paging.
 */
package io.workerrole.platform.rest;
