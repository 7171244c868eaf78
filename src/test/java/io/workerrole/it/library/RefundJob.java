package io.workerrole.it.library;

import io.workerrole.api.JobContext;
import io.workerrole.api.JobHandler;
import io.workerrole.api.JobType;
import io.workerrole.api.NonRetryableJobException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.json.Json;
import jakarta.json.JsonObject;

/**
 * {@code refund}, a compensation of the order pipeline of the README: undoes the step whose
 * result it gets ({@code {"run", "step", "input", "result"}}) and says what it undid,
 * {@code "refunded": the result's charge}; dies (not retryable) when the order says
 * {@code "failUndo": "refund"}.
 */
@ApplicationScoped
@JobType("refund")
public class RefundJob implements JobHandler {

    @Override
    public Object handle(JobContext job) {
        JsonObject undo = job.payload().asJsonObject();
        JsonObject result = undo.getJsonObject("result");
        if ("refund".equals(result.getString("failUndo", null))) {
            throw new NonRetryableJobException("refund of " + result.getString("charge") + " refused");
        }
        return Json.createObjectBuilder().add("refunded", result.getString("charge")).build();
    }
}
