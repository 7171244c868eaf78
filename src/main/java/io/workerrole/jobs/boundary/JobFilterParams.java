package io.workerrole.jobs.boundary;

import io.workerrole.api.JobState;
import io.workerrole.jobs.entity.JobFilter;
import io.workerrole.platform.rest.Paging;
import jakarta.ws.rs.QueryParam;

/**
 * The query parameters that choose jobs, shared by the listing ({@code GET /api/jobs}) and the
 * requeue of dead jobs ({@code POST /api/jobs/requeue}), so that an operator requeues exactly
 * the dead jobs a listing showed. Blank means absent; a bad value is a 400 with the reason.
 */
public class JobFilterParams {

    @QueryParam("state")
    String state;

    @QueryParam("type")
    String type;

    @QueryParam("idempotencyKey")
    String idempotencyKey;

    /** Recorded at or after this instant (ISO-8601, such as 2026-12-03T10:00:00Z). */
    @QueryParam("from")
    String from;

    /** Recorded before this instant. */
    @QueryParam("to")
    String to;

    /** Text in the error, in any case. */
    @QueryParam("errorContains")
    String errorContains;

    /** The whole error, exactly (a group of dead letters). */
    @QueryParam("error")
    String error;

    JobFilter filter() {
        return new JobFilter(Paging.filter("state", state, JobState.class), blankToNull(type), blankToNull(idempotencyKey),
                Paging.instant("from", from), Paging.instant("to", to), blankToNull(errorContains), blankToNull(error));
    }

    private static String blankToNull(String text) {
        return text == null || text.isBlank() ? null : text;
    }
}
