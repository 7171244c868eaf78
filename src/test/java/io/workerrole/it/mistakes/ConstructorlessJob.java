package io.workerrole.it.mistakes;

import io.workerrole.api.JobContext;
import io.workerrole.api.JobHandler;
import io.workerrole.api.JobType;
import jakarta.enterprise.context.ApplicationScoped;

/** A mistake: a scoped handler whose only constructor takes an argument (its proxy cannot be made). */
@ApplicationScoped
@JobType("constructorless")
public class ConstructorlessJob implements JobHandler {

    private final String greeting;

    public ConstructorlessJob(String greeting) {
        this.greeting = greeting;
    }

    @Override
    public Object handle(JobContext job) {
        return greeting;
    }
}
