package com.example.greeting;

import io.workerrole.api.JobContext;
import io.workerrole.api.JobHandler;
import io.workerrole.api.JobType;
import io.workerrole.api.NonRetryableJobException;
import io.workerrole.api.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Jobs of type {@code greeting}: {@code {"name": "Ada"}} gives {@code {"text": "Hello, Ada!"}}.
 * A schedule greets the team every morning at eight (server time); admins see it, pause it and
 * resume it in {@code /api/schedules}.
 */
@ApplicationScoped
@JobType("greeting")
@Scheduled(name = "morning-greeting", cron = "0 0 8 * * *", payload = "{\"name\": \"team\"}")
public class GreetingJob implements JobHandler {

    /** The job's payload. */
    public record Request(String name) {
    }

    /** The job's result, stored as JSON and sent to whoever asked for a reply. */
    public record Greeting(String text) {
    }

    @Override
    public Object handle(JobContext job) {
        Request request = job.payloadAs(Request.class);
        if (request == null || request.name() == null || request.name().isBlank()) {
            // Retrying cannot give a job a name: it goes to the dead letters at once, with this reason.
            throw new NonRetryableJobException("a greeting needs a name: send {\"name\": \"...\"}");
        }
        job.log().info("greeting " + request.name());
        return new Greeting("Hello, " + request.name() + "!");
    }
}
