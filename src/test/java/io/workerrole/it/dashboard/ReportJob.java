package io.workerrole.it.dashboard;

import io.workerrole.api.JobContext;
import io.workerrole.api.JobHandler;
import io.workerrole.api.JobType;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.json.JsonObject;

import java.util.Map;

/**
 * A job type only DashboardIT deploys, made to fill a job page: each attempt logs the payload's
 * {@code note} and {@code pages} numbered lines, with progress and a checkpoint after each; the
 * first {@code failTimes} attempts then fail with an error that quotes the note; after them it
 * succeeds with a result.
 */
@ApplicationScoped
@JobType("dashboard-report")
public class ReportJob implements JobHandler {

    @Override
    public Object handle(JobContext job) {
        JsonObject payload = job.payload() instanceof JsonObject object ? object : JsonObject.EMPTY_JSON_OBJECT;
        String note = payload.getString("note", null);
        if (note != null) {
            job.log().info("note: " + note);
        }
        int pages = payload.getInt("pages", 0);
        for (int page = 1; page <= pages; page++) {
            job.log().info("page " + page + " of " + pages + " read");
            job.progress(100 * page / pages);
            job.checkpoint(Map.of("pagesRead", page));
        }
        if (job.attempt() <= payload.getInt("failTimes", 0)) {
            IllegalStateException failure = new IllegalStateException("attempt " + job.attempt() + " fails as asked"
                    + (note == null ? "" : ": " + note));
            job.log().error("giving up this attempt", failure);
            throw failure;
        }
        return Map.of("pages", pages, "attempt", job.attempt());
    }
}
