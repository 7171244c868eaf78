package io.workerrole.role.control;

import jakarta.enterprise.context.ApplicationScoped;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Logger;

/**
 * Why the worker refused to start, in words its developer or admin can act on: a hook that
 * refuses tells its reasons here first (naming the class and the fix). Each problem is logged as
 * an error, and {@code GET /api/role} shows those of the last attempt to a job-viewer; the
 * health checks, open to anyone, do not (a reason may name hosts, paths or settings).
 */
@ApplicationScoped
public class StartProblems {

    private static final Logger LOG = Logger.getLogger(StartProblems.class.getName());

    private final List<String> problems = new CopyOnWriteArrayList<>();

    /** Records (and logs) one reason not to start. */
    public void report(String problem) {
        problems.add(problem);
        LOG.severe(problem);
    }

    /** Forgets the reasons of an earlier attempt, when the start is tried again after a freeze. */
    public void clear() {
        problems.clear();
    }

    /** @return the reasons recorded so far, in order */
    public List<String> all() {
        return List.copyOf(problems);
    }

    /** @return whether any reason was recorded */
    public boolean any() {
        return !problems.isEmpty();
    }
}
