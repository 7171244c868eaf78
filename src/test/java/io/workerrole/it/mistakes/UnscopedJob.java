package io.workerrole.it.mistakes;

import io.workerrole.api.JobContext;
import io.workerrole.api.JobHandler;
import io.workerrole.api.JobType;

/** A mistake: a handler without a scope annotation, which an "annotated" bean archive does not make a bean. */
@JobType("unscoped")
public class UnscopedJob implements JobHandler {

    @Override
    public Object handle(JobContext job) {
        return null;
    }
}
