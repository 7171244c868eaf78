package io.workerrole.it.library;

import io.workerrole.api.JobContext;
import io.workerrole.api.JobHandler;
import io.workerrole.api.JobType;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.Locale;

/** A handler packaged outside the WAR, in a jar on a Liberty shared library. */
@ApplicationScoped
@JobType("shout")
public class ShoutJob implements JobHandler {

    @Override
    public Object handle(JobContext job) {
        return job.payloadAs(String.class).toUpperCase(Locale.ROOT) + "!";
    }
}
