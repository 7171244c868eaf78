package io.workerrole.jobs.builtin;

import io.workerrole.api.NonRetryableJobException;
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
        assertEquals("flaky (attempt 1 of 2 failing)", first.getMessage());
        IllegalStateException second = assertThrows(IllegalStateException.class, () -> fail.handle(new FakeJobContext(payload, 2)));
        assertEquals("flaky (attempt 2 of 2 failing)", second.getMessage());
        assertEquals(new FailJob.Result(3), fail.handle(new FakeJobContext(payload, 3)));
    }

    @Test
    void zeroTimesSucceedsAtOnce() {
        assertEquals(new FailJob.Result(1), fail.handle(new FakeJobContext("{\"times\": 0}", 1)));
    }

    @Test
    void withoutTimesItAlwaysFails() {
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> fail.handle(new FakeJobContext("{}", 10)));
        assertEquals(FailJob.DEFAULT_MESSAGE, e.getMessage());
        IllegalStateException custom = assertThrows(IllegalStateException.class,
                () -> fail.handle(new FakeJobContext("{\"message\": \"boom\"}", 1)));
        assertEquals("boom", custom.getMessage());
        assertThrows(IllegalStateException.class, () -> fail.handle(new FakeJobContext(null, 1)), "no payload at all");
    }

    @Test
    void badTimesAreNotRetried() {
        for (String times : new String[] {"-1", "1.5", "1e12", "true"}) {
            NonRetryableJobException e = assertThrows(NonRetryableJobException.class,
                    () -> fail.handle(new FakeJobContext("{\"times\": " + times + "}")), times);
            assertTrue(e.getMessage().contains("times"), e.getMessage());
        }
    }
}
