package io.workerrole.role.control;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Dependent;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.lang.annotation.Annotation;
import java.util.Optional;
import java.util.function.Predicate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BeanClassProblemsTest {

    private static final Predicate<Class<? extends Annotation>> NORMAL = ApplicationScoped.class::equals;

    @ApplicationScoped
    static class Fine {
    }

    @ApplicationScoped
    static class WithInjectConstructorOnly {
        @Inject
        WithInjectConstructorOnly(String s) {
        }
    }

    @ApplicationScoped
    static class PrivateConstructor {
        private PrivateConstructor() {
        }
    }

    @ApplicationScoped
    static final class Final {
    }

    @Dependent
    static class DependentWithInjectConstructor {
        @Inject
        DependentWithInjectConstructor(String s) {
        }
    }

    @Dependent
    static class DependentWithoutUsableConstructor {
        DependentWithoutUsableConstructor(String s) {
        }
    }

    @ApplicationScoped
    class Inner {
    }

    abstract static class Abstract {
        Abstract(String s) {
        }
    }

    private static Optional<String> problem(Class<?> type) {
        return BeanClassProblems.of(type, "Job handler", NORMAL);
    }

    @Test
    void usableClassesHaveNoProblem() {
        assertEquals(Optional.empty(), problem(Fine.class));
        assertEquals(Optional.empty(), problem(DependentWithInjectConstructor.class));
        assertEquals(Optional.empty(), problem(Abstract.class), "not a bean class: nothing to say");
    }

    @Test
    void aScopedBeanNeedsANonPrivateNoArgumentConstructorForItsProxy() {
        assertTrue(problem(WithInjectConstructorOnly.class).orElseThrow().contains("has no constructor without arguments"));
        assertTrue(problem(PrivateConstructor.class).orElseThrow().contains("has no non-private constructor without arguments"));
        assertTrue(problem(PrivateConstructor.class).orElseThrow().contains("@ApplicationScoped proxy"));
    }

    @Test
    void aScopedBeanMayNotBeFinal() {
        assertTrue(problem(Final.class).orElseThrow().contains("is final"));
    }

    @Test
    void aDependentBeanNeedsSomeConstructorCdiCanUse() {
        String problem = problem(DependentWithoutUsableConstructor.class).orElseThrow();
        assertTrue(problem.startsWith("Job handler " + DependentWithoutUsableConstructor.class.getName()), problem);
        assertTrue(problem.contains("annotate one constructor @Inject"), problem);
    }

    @Test
    void anInnerClassCannotBeABean() {
        assertTrue(problem(Inner.class).orElseThrow().contains("inner class"));
    }
}
