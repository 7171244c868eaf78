package io.workerrole.it.support;

import org.junit.jupiter.api.parallel.Execution;
import org.junit.jupiter.api.parallel.ExecutionMode;
import org.junit.jupiter.api.parallel.ResourceLock;
import org.junit.jupiter.api.parallel.ResourceLocksProvider;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.util.Set;

/**
 * A test class that may run at the same time as other test classes (when the failsafe run enables
 * JUnit's parallel execution, as the POM does), its own test methods one after another in one
 * thread, as without it. For classes whose servers are their own ({@link LibertyServers}, on ports
 * of their own), never for those on the one Arquillian test server, which stay one at a time.
 * A class that shares something else with another class (a fixed port, a shared server) says so
 * with a {@link ResourceLock} of its own.
 */
@Documented
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Execution(ExecutionMode.CONCURRENT)
// @Execution(CONCURRENT) on a class is also its methods' mode; a lock of the class's own (READ_WRITE)
// makes JUnit run its methods in the class's thread, in their order, and locks out no other class.
@ResourceLock(providers = ConcurrentClass.MethodsInOneThread.class)
public @interface ConcurrentClass {

    /** A lock named after the test class, which no other class takes. */
    final class MethodsInOneThread implements ResourceLocksProvider {

        @Override
        public Set<Lock> provideForClass(Class<?> testClass) {
            return Set.of(new Lock(ConcurrentClass.class.getName() + "/" + testClass.getName()));
        }
    }
}
