package io.workerrole.api;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

class JobSpecTest {

    @Test
    void aMutexIsOneMoreOptionOfTheBuilder() {
        JobSpec spec = JobSpec.of("report").payload("x").priority(7).mutex("account-42").delay(Duration.ofMinutes(1)).build();

        assertEquals("account-42", spec.mutex());
        assertEquals(7, spec.priority());
        assertNull(JobSpec.of("report").build().mutex());
    }

    @Test
    void theConstructorOfZeroTwoStillMakesAJobWithoutAMutex() {
        JobSpec spec = new JobSpec("report", null, null, "k", null, null, null, null, null, null);

        assertNull(spec.mutex());
        assertEquals(JobSpec.of("report").idempotencyKey("k").build(), spec);
    }
}
