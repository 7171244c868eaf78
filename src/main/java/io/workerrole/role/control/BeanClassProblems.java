package io.workerrole.role.control;

import jakarta.inject.Inject;

import java.lang.annotation.Annotation;
import java.lang.reflect.Constructor;
import java.lang.reflect.Modifier;
import java.util.Arrays;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * What keeps a class of a developer's (a job handler, a background task, a hook) from being the
 * CDI bean the worker needs, said so that its author can fix it. CDI itself would fail the whole
 * application with a message about proxies, or quietly not make the class a bean at all.
 */
public final class BeanClassProblems {

    private BeanClassProblems() {
    }

    /**
     * @param normalScope tells the normal scopes ({@code @ApplicationScoped}, ...), whose beans are
     *                    reached through a proxy
     * @return the problem with the class as the worker's kind of bean, if any
     */
    public static Optional<String> of(Class<?> type, String kind, Predicate<Class<? extends Annotation>> normalScope) {
        if (type.isInterface() || Modifier.isAbstract(type.getModifiers())) {
            return Optional.empty();
        }
        String name = type.getName();
        if (type.isMemberClass() && !Modifier.isStatic(type.getModifiers())) {
            return Optional.of(kind + " " + name + " is an inner class, which CDI cannot create: make it a static nested class or a class of its own");
        }
        Optional<String> scope = Arrays.stream(type.getAnnotations()).map(Annotation::annotationType)
                .filter(normalScope).map(a -> "@" + a.getSimpleName()).findFirst();
        Constructor<?> noArguments = Arrays.stream(type.getDeclaredConstructors()).filter(c -> c.getParameterCount() == 0).findFirst().orElse(null);
        boolean injectConstructor = Arrays.stream(type.getDeclaredConstructors()).anyMatch(c -> c.isAnnotationPresent(Inject.class));
        if (scope.isPresent()) {
            if (Modifier.isFinal(type.getModifiers())) {
                return Optional.of(kind + " " + name + " is final, but as an " + scope.get() + " bean it is reached through a proxy, which extends it:"
                        + " make the class non-final (or make it @Dependent)");
            }
            if (noArguments == null || Modifier.isPrivate(noArguments.getModifiers())) {
                return Optional.of(kind + " " + name + " has no " + (noArguments == null ? "" : "non-private ") + "constructor without arguments, which its "
                        + scope.get() + " proxy needs: add a public no-argument constructor (inject what it needs into fields, or into an @Inject constructor beside it)");
            }
        } else if (noArguments == null && !injectConstructor) {
            return Optional.of(kind + " " + name + " has no constructor CDI can use: add a public no-argument constructor, or annotate one constructor @Inject");
        }
        return Optional.empty();
    }
}
