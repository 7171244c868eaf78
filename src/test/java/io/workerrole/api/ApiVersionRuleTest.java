package io.workerrole.api;

import org.junit.jupiter.api.Test;

import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ApiVersionRuleTest {

    private static final Set<String> NONE = Set.of();
    private static final Set<String> ONE = Set.of("io.workerrole.api.Jobs | public abstract void x()");

    @Test
    void anUnchangedApiFitsAnyVersion() {
        assertNull(new ApiVersionRule("1.2.0", "1.2.0-SNAPSHOT").violation(NONE, NONE));
    }

    @Test
    void anAdditionNeedsANewMinorVersion() {
        assertNotNull(new ApiVersionRule("1.2.0", "1.2.0-SNAPSHOT").violation(NONE, ONE));
        assertNotNull(new ApiVersionRule("1.2.0", "1.2.1").violation(NONE, ONE));
        assertNull(new ApiVersionRule("1.2.0", "1.3.0-SNAPSHOT").violation(NONE, ONE));
        assertNull(new ApiVersionRule("1.2.0", "2.0.0").violation(NONE, ONE));
    }

    @Test
    void aRemovalNeedsANewMajorVersion() {
        String violation = new ApiVersionRule("1.2.0", "1.3.0").violation(ONE, NONE);
        assertNotNull(violation);
        assertTrue(violation.contains("2.0.0"), violation);
        assertNull(new ApiVersionRule("1.2.0", "2.0.0-SNAPSHOT").violation(ONE, ONE));
    }

    @Test
    void beforeOneZeroARemovalNeedsANewMinorVersion() {
        String violation = new ApiVersionRule("0.1.0", "0.1.1").violation(ONE, NONE);
        assertNotNull(violation);
        assertTrue(violation.contains("0.2.0"), violation);
        assertNull(new ApiVersionRule("0.1.0", "0.2.0-SNAPSHOT").violation(ONE, NONE));
        assertNull(new ApiVersionRule("0.1.0", "1.0.0").violation(ONE, NONE));
    }
}
