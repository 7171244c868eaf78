package io.workerrole.pipelines.control;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;

import static org.junit.jupiter.api.Assertions.assertEquals;

class StepDeadlineTest {

    private static final Instant NOW = Instant.parse("2026-12-07T16:00:00Z");

    @Test
    void aStepsDeadlineCountsFromItsStart() {
        assertEquals(NOW.plusSeconds(300), PipelineConductor.deadline(Duration.ofMinutes(5), NOW));
        assertEquals(NOW.plus(Duration.ofDays(3650)), PipelineConductor.deadline(Duration.ofDays(3650), NOW));
    }

    /** A pipeline stored before deadlines were bounded still runs: its deadline counts as the longest taken. */
    @Test
    void aDeadlineLongerThanTheBoundOfAPipelineStoredEarlierCountsAsTheBoundInsteadOfOverflowing() {
        assertEquals(NOW.plus(Duration.ofDays(3650)), PipelineConductor.deadline(Duration.ofSeconds(Long.MAX_VALUE), NOW));
        assertEquals(NOW.plus(Duration.ofDays(3650)), PipelineConductor.deadline(Duration.parse("PT9223372036854775807S"), NOW));
    }
}
