package io.workerrole.role.control;

import io.workerrole.api.RoleHook;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;

import java.util.ArrayDeque;
import java.util.Comparator;
import java.util.Deque;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Runs the developers' {@link RoleHook}s: start hooks in {@code @Priority} order, stop hooks in
 * the reverse order, and only for hooks that started. A start tried again (after a freeze held a
 * failed one) first stops the hooks the failed attempt started, so that every start of a hook is
 * followed by one stop, and begins with no reasons not to start.
 */
@ApplicationScoped
public class RoleHooks {

    private static final Logger LOG = Logger.getLogger(RoleHooks.class.getName());

    @Inject
    @Any
    Instance<RoleHook> hooks;

    @Inject
    StartProblems problems;

    @Inject
    DeveloperBeanCheck beanCheck;

    private final Deque<NamedHook> started = new ArrayDeque<>();

    /**
     * Runs every start hook in order until one refuses, after stopping the hooks an earlier,
     * failed attempt started.
     *
     * @return true if every hook returned true
     */
    public synchronized boolean startAll() {
        stopAll();
        problems.clear();
        // Reported before any hook runs, so that the hook that finds the rest of a developer's
        // mistakes (HandlerRegistry) sees them and refuses the start with all of them listed.
        beanCheck.problems().forEach(problems::report);
        for (NamedHook hook : ordered()) {
            boolean accepted;
            try {
                accepted = hook.hook().onStart();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                LOG.log(Level.SEVERE, "Start hook " + hook.name() + " was interrupted", e);
                problems.report("Start hook " + hook.name() + " was interrupted");
                return false;
            } catch (Exception e) {
                LOG.log(Level.SEVERE, "Start hook " + hook.name() + " failed", e);
                problems.report("Start hook " + hook.name() + " failed: " + e);
                return false;
            }
            if (!accepted) {
                if (!problems.any()) {
                    problems.report("Start hook " + hook.name() + " refused to start the worker");
                }
                return false;
            }
            started.push(hook);
            LOG.info(() -> "Start hook " + hook.name() + " done");
        }
        return true;
    }

    /** Runs the stop hook of every started hook, last started first; failures are logged. */
    public synchronized void stopAll() {
        while (!started.isEmpty()) {
            NamedHook hook = started.pop();
            try {
                hook.hook().onStop();
                LOG.info(() -> "Stop hook " + hook.name() + " done");
            } catch (Exception e) {
                LOG.log(Level.SEVERE, "Stop hook " + hook.name() + " failed", e);
            }
        }
    }

    private List<NamedHook> ordered() {
        return hooks.handlesStream()
                .sorted(Comparator.comparingInt((Instance.Handle<RoleHook> h) -> Beans.priorityOf(h.getBean()))
                        .thenComparing(h -> Beans.nameOf(h.getBean())))
                .map(h -> new NamedHook(Beans.nameOf(h.getBean()), h.get()))
                .toList();
    }

    private record NamedHook(String name, RoleHook hook) {
    }
}
