package io.workerrole.platform;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class InputBoundsTest {

    @Test
    void theInstantsTakenAreTheYearsBothDatabasesStoreFromTheEpochOn() {
        assertTrue(InputBounds.storable(Instant.parse("1970-01-01T00:00:00Z")));
        assertTrue(InputBounds.storable(Instant.parse("9999-12-30T00:00:00Z")));
        assertFalse(InputBounds.storable(Instant.parse("1969-12-31T23:59:59.999Z")));
        assertFalse(InputBounds.storable(Instant.parse("9999-12-30T00:00:00.001Z")), "a day before Derby's TIMESTAMP ends, in any zone");
        assertFalse(InputBounds.storable(Instant.MAX));
        assertFalse(InputBounds.storable(Instant.MIN));
        assertEquals("from 1970-01-01T00:00:00Z to 9999-12-30T00:00:00Z", InputBounds.instantRange());
    }

    @Test
    void theLongestDurationTakenIsTenYearsOfDaysAndAddsToTheLatestInstantWithoutOverflow() {
        assertTrue(InputBounds.notTooLong(Duration.ofDays(3650)));
        assertFalse(InputBounds.notTooLong(Duration.ofDays(3650).plusNanos(1)));
        assertFalse(InputBounds.notTooLong(Duration.ofSeconds(Long.MAX_VALUE, 999_999_999)));
        assertEquals(Instant.parse("+10009-12-27T00:00:00Z"), InputBounds.LATEST.plus(InputBounds.LONGEST));
        assertEquals(315_360_000_000L, InputBounds.LONGEST.toMillis(), "a schedule's every_ms");
    }
}
