package io.workerrole.role.control;

import jakarta.annotation.Priority;
import jakarta.enterprise.inject.spi.Bean;

/** What the worker reads off a CDI bean that developers registered: its name and order. */
public final class Beans {

    /** Beans without {@code @Priority} come after every bean that has one. */
    static final int DEFAULT_PRIORITY = Integer.MAX_VALUE;

    private Beans() {
    }

    /** @return the bean's {@code @Named} name, or else its class's simple name */
    public static String nameOf(Bean<?> bean) {
        return bean.getName() != null ? bean.getName() : bean.getBeanClass().getSimpleName();
    }

    /** @return the value of the bean class's {@code @Priority}, or {@link #DEFAULT_PRIORITY} */
    public static int priorityOf(Bean<?> bean) {
        Priority priority = bean.getBeanClass().getAnnotation(Priority.class);
        return priority != null ? priority.value() : DEFAULT_PRIORITY;
    }
}
