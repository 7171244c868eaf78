package io.workerrole.it.library;

import io.workerrole.api.JobContext;
import io.workerrole.api.JobHandler;
import io.workerrole.api.JobSpec;
import io.workerrole.api.JobType;
import io.workerrole.api.Jobs;
import jakarta.annotation.Resource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.transaction.UserTransaction;

import java.time.Duration;
import java.util.List;
import java.util.stream.IntStream;

/**
 * A handler outside the WAR that enqueues jobs from code through {@link Jobs}, as an
 * application's own bean would: the payload says how, the result gives the ids it got back.
 * <ul>
 *   <li>{@code {"then": "hello"}}: one follow-up {@code shout} job with that payload;</li>
 *   <li>{@code {"then": "x", "delay": "PT1S"}}: the same, to run a second later;</li>
 *   <li>{@code {"then": "x", "transaction": "commit" | "rollback"}}: the same inside a JTA
 *       transaction of its own, ended as asked;</li>
 *   <li>{@code {"many": N, "key": "k"}}: N {@code shout} jobs in one {@code enqueueAll}, the
 *       last one with the idempotency key of the first;</li>
 *   <li>{@code {"pipeline": "name", "payload": ..., "key": "k"}}: a run of that pipeline; the id is the run's;</li>
 *   <li>{@code {"bad": "type" | "priority" | "delay"}}: an unacceptable job; the result is the refusal's message.</li>
 * </ul>
 */
@ApplicationScoped
@JobType("enqueue")
public class EnqueuingJob implements JobHandler {

    @Inject
    Jobs jobs;

    @Resource
    UserTransaction transaction;

    @Override
    public Object handle(JobContext job) throws Exception {
        JsonObject order = job.payload().asJsonObject();
        if (order.containsKey("bad")) {
            return refusal(order.getString("bad"));
        }
        if (order.containsKey("pipeline")) {
            return ids(jobs.startPipeline(order.getString("pipeline"), order.get("payload"), order.getString("key", null)));
        }
        if (order.containsKey("many")) {
            String key = order.getString("key");
            List<JobSpec> specs = IntStream.range(0, order.getInt("many"))
                    .mapToObj(i -> JobSpec.of("shout").payload("job " + i).idempotencyKey(i == order.getInt("many") - 1 ? key + "-0" : key + "-" + i).build())
                    .toList();
            return Json.createObjectBuilder().add("ids", Json.createArrayBuilder(jobs.enqueueAll(specs))).build();
        }
        if (order.containsKey("delay")) {
            return ids(jobs.enqueue(JobSpec.of("shout").payload(order.getString("then")).delay(Duration.parse(order.getString("delay"))).build()));
        }
        if (!order.containsKey("transaction")) {
            return ids(jobs.enqueue("shout", order.getString("then")));
        }
        transaction.begin();
        String id = jobs.enqueue("shout", order.getString("then"));
        // Inside the transaction the job is there for the one who wrote it, but it may not start yet.
        String seenInside = jobs.find(id).orElseThrow().state().name();
        if (order.getString("transaction").equals("commit")) {
            transaction.commit();
        } else {
            transaction.rollback();
        }
        return Json.createObjectBuilder().add("id", id).add("stateInside", seenInside).build();
    }

    private static JsonObject ids(String id) {
        return Json.createObjectBuilder().add("id", id).build();
    }

    private String refusal(String what) {
        try {
            if (what.equals("type")) {
                jobs.enqueue("no-such-type", null);
            } else if (what.equals("delay")) {
                jobs.enqueue(JobSpec.of("shout").payload("x").delay(Duration.ofSeconds(Long.MAX_VALUE)).build());
            } else {
                jobs.enqueue(JobSpec.of("shout").payload("x").priority(12).build());
            }
            return "accepted";
        } catch (IllegalArgumentException e) {
            return e.getMessage();
        }
    }
}
