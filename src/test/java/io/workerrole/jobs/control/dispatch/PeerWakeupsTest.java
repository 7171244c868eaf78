package io.workerrole.jobs.control.dispatch;

import org.junit.jupiter.api.Test;

import java.time.Instant;

import static org.junit.jupiter.api.Assertions.assertEquals;

class PeerWakeupsTest {

    @Test
    void aDueTimeIsToldRoundedUpToTheMillisecondSoThatNoServerWakesBeforeIt() {
        Instant due = Instant.parse("2026-12-03T17:17:24.123456789Z");
        assertEquals(due.toEpochMilli() + 1, PeerWakeups.toldAs(due), "never before the stored .123457");
        Instant whole = Instant.parse("2026-12-03T17:17:24.123Z");
        assertEquals(whole.toEpochMilli(), PeerWakeups.toldAs(whole), "a whole millisecond as it is");
    }
}
