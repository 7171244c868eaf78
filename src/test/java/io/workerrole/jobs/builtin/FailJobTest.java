package io.workerrole.jobs.builtin;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FailJobTest {

    private final FailJob fail = new FailJob();

    @Test
    void failsTheFirstTimesAttemptsThenSucceeds() {
        String payload = "{\"message\": \"flaky\", \"times\": 2}";
        IllegalStateException first = assertThrows(IllegalStateException.class, () -> fail.handle(new FakeJobContext(payload, 1)));
        assertTrue(first.getMessage().startsWith("flaky"));
        assertThrows(IllegalStateException.class, () -> fail.handle(new FakeJobContext(payload, 2)));
        assertEquals(new FailJob.Result(3), fail.handle(new FakeJobContext(payload, 3)));
    }

    @Test
    void withoutTimesItAlwaysFails() {
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> fail.handle(new FakeJobContext("{}", 10)));
        assertEquals(FailJob.DEFAULT_MESSAGE, e.getMessage());
    }
}
