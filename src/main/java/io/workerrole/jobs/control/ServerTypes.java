package io.workerrole.jobs.control;

import io.workerrole.jobs.entity.TypePattern;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.util.Collection;
import java.util.Collections;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * The job types this server runs: those it has a handler for (the handler beans, and the types
 * scripts add and remove while it runs), narrowed by {@code worker.types.include} and
 * {@code worker.types.exclude}, so that servers deployed with the same WAR can take different
 * roles (heavy image work on some, light work on the others). Read at each look, as every job
 * setting is: an edit of server.xml applies at the next claim and the next heartbeat. This server
 * claims only these types, and its heartbeat tells the others which they are.
 */
@ApplicationScoped
public class ServerTypes {

    @Inject
    HandlerRegistry handlers;

    @Inject
    JobSettings settings;

    /** @return the types this server runs now, in alphabetical order */
    public SortedSet<String> types() {
        return admitted(handlers.types(), settings.typesInclude(), settings.typesExclude());
    }

    /** @return whether this server runs jobs of the type now */
    public boolean runs(String type) {
        return handlers.knows(type) && admits(type, settings.typesInclude(), settings.typesExclude());
    }

    /** @return the types of those handled that the include list names and the exclude list does not */
    static SortedSet<String> admitted(Collection<String> handled, TypePattern include, TypePattern exclude) {
        SortedSet<String> admitted = new TreeSet<>();
        for (String type : handled) {
            if (admits(type, include, exclude)) {
                admitted.add(type);
            }
        }
        return Collections.unmodifiableSortedSet(admitted);
    }

    /** The rule: included, and not excluded (an exclusion wins). */
    static boolean admits(String type, TypePattern include, TypePattern exclude) {
        return include.matches(type) && !exclude.matches(type);
    }
}
