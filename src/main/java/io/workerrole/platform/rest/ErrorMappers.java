package io.workerrole.platform.rest;

import io.workerrole.platform.StoreException;
import jakarta.ws.rs.NotSupportedException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;

import java.util.logging.Level;
import java.util.logging.Logger;

/** Turns every failure of the API into a JSON error with the right status. */
final class ErrorMappers {

    private static final Logger LOG = Logger.getLogger(ErrorMappers.class.getName());

    private ErrorMappers() {
    }

    @Provider
    public static class InvalidRequest implements ExceptionMapper<InvalidRequestException> {
        @Override
        public Response toResponse(InvalidRequestException e) {
            return ErrorBody.of(e.kind().httpStatus(), e.getMessage());
        }
    }

    @Provider
    public static class Conflict implements ExceptionMapper<ConflictException> {
        @Override
        public Response toResponse(ConflictException e) {
            return ErrorBody.of(409, e.getMessage());
        }
    }

    @Provider
    public static class StoreUnavailable implements ExceptionMapper<StoreException> {
        @Override
        public Response toResponse(StoreException e) {
            LOG.log(Level.SEVERE, "Job store unavailable", e);
            return ErrorBody.retryLater("the job store is unavailable; try again shortly");
        }
    }

    @Provider
    public static class Http implements ExceptionMapper<WebApplicationException> {
        @Override
        public Response toResponse(WebApplicationException e) {
            return ErrorBody.of(e.getResponse().getStatus(), e.getMessage());
        }
    }

    @Provider
    public static class NotJson implements ExceptionMapper<NotSupportedException> {
        @Override
        public Response toResponse(NotSupportedException e) {
            return ErrorBody.of(415, "the body must be JSON, sent with Content-Type: application/json");
        }
    }

    @Provider
    public static class Unexpected implements ExceptionMapper<RuntimeException> {
        @Override
        public Response toResponse(RuntimeException e) {
            if (e instanceof WebApplicationException web) {
                return new Http().toResponse(web);
            }
            LOG.log(Level.SEVERE, "Unexpected error in the API", e);
            return ErrorBody.of(500, "unexpected error: " + e.getClass().getSimpleName());
        }
    }
}
