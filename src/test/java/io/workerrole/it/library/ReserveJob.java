package io.workerrole.it.library;

import io.workerrole.api.JobContext;
import io.workerrole.api.JobHandler;
import io.workerrole.api.JobType;
import io.workerrole.api.NonRetryableJobException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.json.Json;
import jakarta.json.JsonObject;

/**
 * {@code reserve}, a step of the order pipeline of the README: adds {@code "reservation": "R-ORDER"}
 * to the order it gets; dies (not retryable) when the order says {@code "fail": "reserve"}.
 */
@ApplicationScoped
@JobType("reserve")
public class ReserveJob implements JobHandler {

    @Override
    public Object handle(JobContext job) {
        JsonObject order = job.payload().asJsonObject();
        if ("reserve".equals(order.getString("fail", null))) {
            throw new NonRetryableJobException("reserve refused order " + order.getString("order"));
        }
        return Json.createObjectBuilder(order).add("reservation", "R-" + order.getString("order")).build();
    }
}
