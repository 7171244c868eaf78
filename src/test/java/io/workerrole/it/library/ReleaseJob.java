package io.workerrole.it.library;

import io.workerrole.api.JobContext;
import io.workerrole.api.JobHandler;
import io.workerrole.api.JobType;
import io.workerrole.api.NonRetryableJobException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.json.Json;
import jakarta.json.JsonObject;

/**
 * {@code release}, a compensation of the order pipeline of the README: undoes the step whose
 * result it gets ({@code {"run", "step", "input", "result"}}) and says what it undid,
 * {@code "released": the result's reservation}; dies (not retryable) when the order says
 * {@code "failUndo": "release"}.
 */
@ApplicationScoped
@JobType("release")
public class ReleaseJob implements JobHandler {

    @Override
    public Object handle(JobContext job) {
        JsonObject undo = job.payload().asJsonObject();
        JsonObject result = undo.getJsonObject("result");
        if ("release".equals(result.getString("failUndo", null))) {
            throw new NonRetryableJobException("release of " + result.getString("reservation") + " refused");
        }
        return Json.createObjectBuilder().add("released", result.getString("reservation")).build();
    }
}
