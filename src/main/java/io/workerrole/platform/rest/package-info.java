/**
 * HTTP plumbing shared by the capabilities' REST resources: bounded UTF-8 request bodies, one
 * exception per HTTP outcome (InvalidRequestException: 400/413/415/422, ConflictException: 409)
 * and their mappers, JSON error bodies (the servlet container's own error page too) and list
 * paging.
 */
package io.workerrole.platform.rest;
