package io.workerrole.pipelines.boundary;

import io.workerrole.pipelines.control.InvalidPipelineException;
import io.workerrole.pipelines.control.NoSuchPipelineException;
import io.workerrole.platform.rest.ErrorBody;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;

/** Pipeline errors as the API's JSON errors: 404 for an unknown pipeline, 422 for a bad definition or start. */
final class PipelineErrorMappers {

    private PipelineErrorMappers() {
    }

    @Provider
    public static class Invalid implements ExceptionMapper<InvalidPipelineException> {
        @Override
        public Response toResponse(InvalidPipelineException e) {
            return ErrorBody.of(e instanceof NoSuchPipelineException ? 404 : 422, e.getMessage());
        }
    }
}
