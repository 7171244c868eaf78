package io.workerrole.platform.rest;

import jakarta.ws.rs.BadRequestException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Instant;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class PagingTest {

    @ParameterizedTest
    @CsvSource({"1970-01-01T00:00:00Z, 1970-01-01T00:00:00Z", "2026-12-03T11:00:00+01:00, 2026-12-03T10:00:00Z",
            "9999-12-30T00:00:00Z, 9999-12-30T00:00:00Z"})
    void anInstantWithinTheYearsTheStoreKeepsIsRead(String value, String instant) {
        assertEquals(Instant.parse(instant), Paging.instant("from", value));
    }

    /** Derby's TIMESTAMP ends with the year 9999: past it, the store would answer 503 instead of the caller hearing why. */
    @ParameterizedTest
    @ValueSource(strings = {"+10000-01-01T00:00:00Z", "+999999999-01-01T00:00:00Z", "1969-12-31T23:59:59Z", "-5000-01-01T00:00:00Z"})
    void anInstantOutsideThemIsABadRequestNamingTheParameter(String value) {
        BadRequestException e = assertThrows(BadRequestException.class, () -> Paging.instant("to", value));
        assertEquals("to must be an instant from 1970-01-01T00:00:00Z to 9999-12-30T00:00:00Z, not \"" + value + "\"", e.getMessage());
    }
}
