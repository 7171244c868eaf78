package io.workerrole.schedules.boundary;

import io.workerrole.platform.rest.ErrorBody;
import io.workerrole.schedules.entity.InvalidScheduleException;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;

/** Schedule errors as the API's JSON errors: 400/422 for a bad definition (a ScheduleConflictException is a ConflictException: 409, mapped in platform). */
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
}
