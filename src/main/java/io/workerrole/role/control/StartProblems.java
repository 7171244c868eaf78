package io.workerrole.role.control;

import jakarta.enterprise.context.ApplicationScoped;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Logger;

/**
 * Why the worker refused to start, in words its developer or admin can act on: a hook that
 * refuses tells its reasons here first (naming the class and the fix), and the readiness and
 * liveness checks show them while the worker stays down. Each problem is also logged as an error.
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

    /** @return the reasons recorded so far, in order */
    public List<String> all() {
        return List.copyOf(problems);
    }

    /** @return whether any reason was recorded */
    public boolean any() {
        return !problems.isEmpty();
    }
}
