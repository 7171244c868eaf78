package io.workerrole.it.library;

import io.workerrole.api.JobContext;
import io.workerrole.api.JobHandler;
import io.workerrole.api.JobType;
import io.workerrole.api.NonRetryableJobException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.json.Json;
import jakarta.json.JsonObject;

/**
 * {@code ship}, a step of the order pipeline of the README: adds {@code "tracking": "T-ORDER"}
 * to the order it gets; dies (not retryable) when the order says {@code "fail": "ship"}.
 */
@ApplicationScoped
@JobType("ship")
public class ShipJob implements JobHandler {

    @Override
    public Object handle(JobContext job) {
        JsonObject order = job.payload().asJsonObject();
        if ("ship".equals(order.getString("fail", null))) {
            throw new NonRetryableJobException("ship refused order " + order.getString("order"));
        }
        return Json.createObjectBuilder(order).add("tracking", "T-" + order.getString("order")).build();
    }
}
