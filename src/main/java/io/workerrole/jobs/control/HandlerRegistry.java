package io.workerrole.jobs.control;

import io.workerrole.api.JobHandler;
import io.workerrole.api.JobType;
import io.workerrole.api.RoleHook;
import io.workerrole.jobs.entity.JobTypeDefaults;
import io.workerrole.role.boundary.RoleLifecycle;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;

import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.Optional;
import java.util.Collections;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Logger;

/**
 * Finds the {@link JobHandler} beans and their {@link JobType}s when the worker starts. What a
 * handler's author must fix stops the worker from starting, with the class and the fix in the
 * log and at {@code /api/role}: two handlers for one type, a handler without a type, a
 * handler, task or hook class that CDI cannot make a bean of (the role's {@code DeveloperBeanCheck}), a
 * {@code @JobType} class in a bean archive that is not a bean (no scope annotation).
 */
@ApplicationScoped
@Priority(200)
public class HandlerRegistry implements RoleHook {

    static final String BUILTIN_PACKAGE = "io.workerrole.jobs.builtin";
    private static final Logger LOG = Logger.getLogger(HandlerRegistry.class.getName());

    @Inject
    @Any
    Instance<JobHandler> handlers;

    @Inject
    JobSettings settings;

    @Inject
    RoleLifecycle role;

    private final Map<String, JobHandler> byType = new ConcurrentHashMap<>();
    private final Map<String, Class<?>> classes = new ConcurrentHashMap<>();
    /** The types added while the worker runs, with what they ask of their jobs. */
    private final Map<String, JobTypeDefaults> runtimeTypes = new ConcurrentHashMap<>();

    @Override
    public boolean onStart() {
        Map<String, String> found = new TreeMap<>();
        Set<Class<?>> beanClasses = new HashSet<>();
        boolean builtins = settings.builtinJobs();
        for (Instance.Handle<JobHandler> handle : handlers.handles()) {
            Class<?> beanClass = handle.getBean().getBeanClass();
            beanClasses.add(beanClass);
            JobType type = beanClass.getAnnotation(JobType.class);
            if (type == null) {
                role.reportStartProblem("Job handler " + beanClass.getName() + " has no @JobType: annotate it @JobType(\"its-type\")"
                        + " with the type of the jobs it runs");
                continue;
            }
            if (!builtins && beanClass.getPackageName().equals(BUILTIN_PACKAGE)) {
                continue;
            }
            String previous = found.putIfAbsent(type.value(), beanClass.getName());
            if (previous != null) {
                role.reportStartProblem("Two handlers for job type " + type.value() + ": " + previous + " and " + beanClass.getName()
                        + "; each type has one handler: give one of them another @JobType, or leave one out of the deployment"
                        + (previous.startsWith(BUILTIN_PACKAGE + ".") || beanClass.getPackageName().equals(BUILTIN_PACKAGE) ? " (worker.builtinJobs=false turns off the built-in handlers)" : ""));
                continue;
            }
            byType.put(type.value(), handle.get());
            classes.put(type.value(), beanClass);
        }
        UndiscoveredHandlers.Findings undiscovered = UndiscoveredHandlers.among(Thread.currentThread().getContextClassLoader(), beanClasses);
        for (String name : undiscovered.notBeans()) {
            role.reportStartProblem("Job handler " + name + " has @JobType but is not a CDI bean, so its jobs would never run:"
                    + " annotate it @ApplicationScoped (or @Dependent)");
        }
        for (String name : undiscovered.otherApis()) {
            role.reportStartProblem("Job handler " + name + " sees another copy of io.workerrole.api than the worker's own, so the worker"
                    + " cannot run it: with the API jar in a common library, deploy worker-role-thin.war (the WAR without its copy);"
                    + " or put the handler jar, without the API, in a private library");
        }
        if (role.hasStartProblems()) {
            return false;
        }
        LOG.info(() -> "Job types: " + found.keySet());
        return true;
    }

    /**
     * Adds a type whose handler comes and goes while the worker runs, unlike the beans found at
     * start: a script's {@code script:NAME}. Adding it again replaces its handler and defaults.
     *
     * @throws IllegalArgumentException if a handler bean has the type
     */
    public void addRuntimeType(String type, JobHandler handler, JobTypeDefaults defaults) {
        if (classes.containsKey(type)) {
            throw new IllegalArgumentException("Job type " + type + " has a handler bean (" + classes.get(type).getName() + ")");
        }
        runtimeTypes.put(type, defaults);
        byType.put(type, handler);
    }

    /**
     * Removes a type added by {@link #addRuntimeType}: this server claims none of its jobs from
     * then on (they wait for a server that runs it, or for the type to come back here), and one
     * claimed just before is handed back to the queue.
     */
    public void removeRuntimeType(String type) {
        if (runtimeTypes.remove(type) != null) {
            byType.remove(type);
        }
    }

    /** @return how many times a job of the type is attempted: its runtime type's own limit, else the settings' */
    public int maxAttempts(String type) {
        JobTypeDefaults defaults = runtimeTypes.get(type);
        return defaults != null && defaults.maxAttempts() != null ? defaults.maxAttempts() : settings.maxAttempts(type);
    }

    /** @return the priority of the type's jobs whose request names none, if its runtime type sets one */
    public Optional<Integer> defaultPriority(String type) {
        JobTypeDefaults defaults = runtimeTypes.get(type);
        return Optional.ofNullable(defaults == null ? null : defaults.priority());
    }

    public Optional<JobHandler> handler(String type) {
        return Optional.ofNullable(byType.get(type));
    }

    /** @return the handlers' bean classes by type, for their annotations (a bean instance may be a proxy) */
    public Map<String, Class<?>> handlerClasses() {
        return Collections.unmodifiableMap(classes);
    }

    public boolean knows(String type) {
        return byType.containsKey(type);
    }

    /** @return the known types, in alphabetical order */
    public SortedSet<String> types() {
        return Collections.unmodifiableSortedSet(new TreeSet<>(byType.keySet()));
    }
}
