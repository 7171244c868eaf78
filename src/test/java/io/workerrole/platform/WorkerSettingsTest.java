package io.workerrole.platform;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.format.DateTimeParseException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class WorkerSettingsTest {

    @Test
    void freezeAcceptsOnlyTrueOrFalseInAnyCase() {
        assertEquals(true, WorkerSettings.parseBoolean("TRUE"));
        assertEquals(false, WorkerSettings.parseBoolean("false"));
        // A typo must not silently unfreeze a frozen worker (MicroProfile's own converter reads it as false).
        assertThrows(IllegalArgumentException.class, () -> WorkerSettings.parseBoolean("ture"));
        assertThrows(IllegalArgumentException.class, () -> WorkerSettings.parseBoolean("yes"));
    }

    @Test
    void durationsAreIso8601AndNotNegative() {
        assertEquals(Duration.ofSeconds(30), WorkerSettings.parseDuration("PT30S"));
        assertEquals(Duration.ofMillis(200), WorkerSettings.parseDuration("PT0.2S"));
        assertThrows(DateTimeParseException.class, () -> WorkerSettings.parseDuration("30s"));
        assertThrows(IllegalArgumentException.class, () -> WorkerSettings.parseDuration("-PT1S"));
    }

    @Test
    void aRoleIsAShortNameOfLettersDigitsDashesAndUnderscores() {
        assertEquals("images", WorkerSettings.parseRole("images"));
        assertEquals("light_2-eu", WorkerSettings.parseRole("light_2-eu"));
        assertEquals("r".repeat(40), WorkerSettings.parseRole("r".repeat(40)));
        assertThrows(IllegalArgumentException.class, () -> WorkerSettings.parseRole("r".repeat(41)));
        assertThrows(IllegalArgumentException.class, () -> WorkerSettings.parseRole("images light"));
        assertThrows(IllegalArgumentException.class, () -> WorkerSettings.parseRole("images\"role"));
        assertThrows(IllegalArgumentException.class, () -> WorkerSettings.parseRole(""));
    }
}
