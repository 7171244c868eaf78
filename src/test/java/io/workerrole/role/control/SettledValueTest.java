package io.workerrole.role.control;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;

import static org.junit.jupiter.api.Assertions.assertEquals;

class SettledValueTest {

    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    private final SettledValue<String> wait = new SettledValue<>(Duration.ofSeconds(5));

    @Test
    void takesTheFirstValueAtOnce() {
        assertEquals("PT3S", wait.update("PT3S", T0));
    }

    @Test
    void aBriefDifferentReadingDoesNotReplaceTheValue() {
        wait.update("PT3S", T0);
        assertEquals("PT3S", wait.update("PT30S", T0.plusSeconds(1)), "the shutdown moment reads the default");
        assertEquals("PT3S", wait.update("PT30S", T0.plusSeconds(4)));
        assertEquals("PT3S", wait.update("PT3S", T0.plusSeconds(5)));
        assertEquals("PT3S", wait.update("PT30S", T0.plusSeconds(9)), "a new reading starts a new wait");
    }

    @Test
    void aChangeThatHoldsIsTaken() {
        wait.update("PT3S", T0);
        wait.update("PT10S", T0.plusSeconds(1));
        assertEquals("PT10S", wait.update("PT10S", T0.plusSeconds(6)));
        assertEquals("PT10S", wait.get());
    }
}
