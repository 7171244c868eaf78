package io.workerrole.jobs.control;

import io.workerrole.api.JobHandler;
import io.workerrole.api.JobType;
import io.workerrole.api.RoleHook;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;

import java.util.Map;
import java.util.Optional;
import java.util.Collections;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Logger;

/**
 * Finds the {@link JobHandler} beans and their {@link JobType}s when the worker starts. A second
 * handler for one type, or a handler without a type, stops the worker from starting, with the
 * reason in the log.
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

    private final Map<String, JobHandler> byType = new ConcurrentHashMap<>();
    private final Map<String, Class<?>> classes = new ConcurrentHashMap<>();

    @Override
    public boolean onStart() {
        Map<String, String> found = new TreeMap<>();
        boolean builtins = settings.builtinJobs();
        for (Instance.Handle<JobHandler> handle : handlers.handles()) {
            Class<?> beanClass = handle.getBean().getBeanClass();
            JobType type = beanClass.getAnnotation(JobType.class);
            if (type == null) {
                LOG.severe(() -> "Job handler " + beanClass.getName() + " has no @JobType");
                return false;
            }
            if (!builtins && beanClass.getPackageName().equals(BUILTIN_PACKAGE)) {
                continue;
            }
            String previous = found.putIfAbsent(type.value(), beanClass.getName());
            if (previous != null) {
                LOG.severe(() -> "Two handlers for job type " + type.value() + ": " + previous + " and " + beanClass.getName());
                return false;
            }
            byType.put(type.value(), handle.get());
            classes.put(type.value(), beanClass);
        }
        LOG.info(() -> "Job types: " + found.keySet());
        return true;
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
