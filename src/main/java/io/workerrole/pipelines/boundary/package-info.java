/** The pipelines' REST API, under {@code /api/pipelines}. */
package io.workerrole.pipelines.boundary;
