package io.workerrole.it.library;

import io.workerrole.api.JobContext;
import io.workerrole.api.JobHandler;
import io.workerrole.api.JobType;
import io.workerrole.api.NonRetryableJobException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.json.Json;
import jakarta.json.JsonObject;

/**
 * {@code charge}, a step of the order pipeline of the README: adds {@code "charge": "C-ORDER"}
 * to the order it gets; dies (not retryable) when the order says {@code "fail": "charge"}.
 */
@ApplicationScoped
@JobType("charge")
public class ChargeJob implements JobHandler {

    @Override
    public Object handle(JobContext job) {
        JsonObject order = job.payload().asJsonObject();
        if ("charge".equals(order.getString("fail", null))) {
            throw new NonRetryableJobException("charge refused order " + order.getString("order"));
        }
        return Json.createObjectBuilder(order).add("charge", "C-" + order.getString("order")).build();
    }
}
