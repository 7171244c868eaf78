package io.workerrole.schedules.boundary;

import io.workerrole.platform.rest.ErrorBody;
import io.workerrole.schedules.entity.InvalidScheduleException;
import io.workerrole.schedules.entity.ScheduleConflictException;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;

/** Schedule errors as the API's JSON errors: 400/422 for a bad definition, 409 for a conflict. */
final class ScheduleErrorMappers {

    private ScheduleErrorMappers() {
    }

    @Provider
    public static class Invalid implements ExceptionMapper<InvalidScheduleException> {
        @Override
        public Response toResponse(InvalidScheduleException e) {
            return ErrorBody.of(e.httpStatus(), e.getMessage());
        }
    }

    @Provider
    public static class Conflict implements ExceptionMapper<ScheduleConflictException> {
        @Override
        public Response toResponse(ScheduleConflictException e) {
            return ErrorBody.of(409, e.getMessage());
        }
    }
}
