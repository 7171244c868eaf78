package io.workerrole.schedules.control;

import io.workerrole.api.MissedFirings;
import io.workerrole.schedules.entity.InvalidScheduleException;
import io.workerrole.schedules.entity.ScheduleDefinition;
import io.workerrole.schedules.entity.ScheduleKind;
import io.workerrole.schedules.entity.ScheduleOrigin;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ScheduleSpecsTest {

    private final ScheduleSpecs specs = new ScheduleSpecs(Set.of("echo", "report"), 100);

    @Test
    void aCronScheduleWithItsDefaults() {
        ScheduleDefinition d = specs.define("nightly", Map.of("cron", "0 30 2 * * *", "zone", "Europe/Paris", "type", "report"),
                ScheduleOrigin.SERVER_XML);
        assertEquals(ScheduleKind.CRON, d.kind());
        assertEquals("Europe/Paris", d.zone());
        assertEquals("null", d.payload());
        assertEquals(4, d.priority());
        assertTrue(d.singleton());
        assertEquals(MissedFirings.RUN_ONCE, d.missed());
        assertEquals(ScheduleOrigin.SERVER_XML, d.origin());
    }

    @Test
    void aCronScheduleWithoutAZoneTakesTheServers() {
        assertEquals(ZoneId.systemDefault().getId(), specs.define("n", Map.of("cron", "0 * * * *", "type", "echo"), ScheduleOrigin.API).zone());
    }

    @Test
    void everyDelayAtAndAfter() {
        ScheduleDefinition rate = specs.define("r", Map.of("every", "PT5M", "startAt", "2027-01-01T00:00:00+01:00", "type", "echo"), ScheduleOrigin.API);
        assertEquals(ScheduleKind.FIXED_RATE, rate.kind());
        assertEquals(Duration.ofMinutes(5), rate.interval());
        assertEquals(Instant.parse("2026-12-31T23:00:00Z"), rate.startAt());
        assertEquals(ScheduleKind.FIXED_DELAY, specs.define("d", Map.of("delay", "PT1S", "type", "echo"), ScheduleOrigin.API).kind());
        ScheduleDefinition at = specs.define("a", Map.of("at", "2027-01-01T00:00:00Z", "type", "echo"), ScheduleOrigin.API);
        assertEquals(ScheduleKind.ONCE, at.kind());
        assertNull(at.interval());
        ScheduleDefinition after = specs.define("b", Map.of("after", "PT0S", "type", "echo"), ScheduleOrigin.API);
        assertEquals(ScheduleKind.ONCE, after.kind());
        assertEquals(Duration.ZERO, after.interval());
    }

    @Test
    void thePayloadIsNormalisedJsonAndTheOtherFieldsAreRead() {
        Map<String, String> fields = new HashMap<>(Map.of("every", "PT1S", "type", "echo", "payload", "{ \"a\" : [1, 2] }",
                "priority", "9", "singleton", "FALSE", "missed", "skip"));
        ScheduleDefinition d = specs.define("p", fields, ScheduleOrigin.CODE);
        assertEquals("{\"a\":[1,2]}", d.payload());
        assertEquals(9, d.priority());
        assertEquals(false, d.singleton());
        assertEquals(MissedFirings.SKIP, d.missed());
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
            "cron=61 * * * * *;type=echo | cron \"61 * * * * *\" is not a cron expression",
            "cron=* * * * * *;zone=Mars/Base;type=echo | not a time zone",
            "every=PT1S;zone=UTC;type=echo | zone applies to cron schedules only",
            "at=2027-01-01T00:00:00Z;startAt=2027-01-01T00:00:00Z;type=echo | startAt applies to every and delay",
            "every=PT0.01S;type=echo | at least 100 ms",
            "every=10s;type=echo | ISO-8601 duration",
            "after=-PT1S;type=echo | ISO-8601 duration",
            "at=tomorrow;type=echo | ISO-8601 date and time",
            "at=2027-01-01T00:00:00;type=echo | with an offset",
            "every=PT1S | type is required",
            "every=PT1S;type=mail | unknown job type \"mail\"",
            "every=PT1S;type=echo;payload={x | payload is not JSON",
            "every=PT1S;type=echo;payload=\"a very long payload that is well over the limit of one hundred bytes set for this test, really, truly, without any doubt\" | larger than the limit",
            "every=PT1S;type=echo;priority=10 | priority",
            "every=PT1S;type=echo;singleton=yes | singleton \"yes\" must be true or false",
            "every=PT1S;type=echo;missed=later | missed \"later\" must be one of [RUN_ONCE, SKIP]",
            "every=PT1S;delay=PT1S;type=echo | give exactly one of [cron, every, delay, at, after], not [every, delay]",
            "type=echo | give exactly one of",
            "every=PT1S;type=echo;colour=blue | unknown field [colour]",
            "every=PT9223372036854775807S;type=echo | every \"PT9223372036854775807S\" must be an ISO-8601 duration such as PT30S or PT5M, at least 100 ms and at most PT87600H",
            "delay=P3651D;type=echo | delay \"P3651D\" must be",
            "after=PT9223372036854775807S;type=echo | after \"PT9223372036854775807S\" must be an ISO-8601 duration such as PT30S or PT5M, at most PT87600H",
            "at=+999999999-01-01T00:00:00Z;type=echo | at \"+999999999-01-01T00:00:00Z\" must be an ISO-8601 date and time with an offset",
            "at=10000-01-01T00:00:00Z;type=echo | from 1970-01-01T00:00:00Z to 9999-12-30T00:00:00Z",
            "every=PT1S;startAt=1969-12-31T23:59:59Z;type=echo | startAt \"1969-12-31T23:59:59Z\" must be"})
    void mistakesAreRefusedWithTheReason(String definition, String reason) {
        Map<String, String> fields = new HashMap<>();
        for (String field : definition.split(";")) {
            int eq = field.indexOf('=');
            fields.put(field.substring(0, eq), field.substring(eq + 1));
        }
        InvalidScheduleException e = assertThrows(InvalidScheduleException.class, () -> specs.define("s", fields, ScheduleOrigin.API));
        assertTrue(e.getMessage().contains(reason), e.getMessage());
        assertEquals(422, e.httpStatus());
    }

    @Test
    void aCronExpressionLongerThanTheStoreKeepsIsRefusedNamingTheField() {
        String cron = "0 0 0 * * " + "MON,".repeat(50) + "MON";
        InvalidScheduleException e = assertThrows(InvalidScheduleException.class,
                () -> specs.define("s", Map.of("cron", cron, "type", "echo"), ScheduleOrigin.API));
        assertEquals("cron is longer than 200 characters (" + cron.length() + ")", e.getMessage());
        assertEquals(422, e.httpStatus());
    }

    @Test
    void theBoundsThemselvesAreTaken() {
        assertEquals(Duration.ofDays(3650), specs.define("e", Map.of("every", "P3650D", "type", "echo"), ScheduleOrigin.API).interval());
        assertEquals(Instant.parse("9999-12-30T00:00:00Z"),
                specs.define("a", Map.of("at", "9999-12-30T00:00:00Z", "type", "echo"), ScheduleOrigin.API).startAt());
        assertEquals(Instant.EPOCH,
                specs.define("s", Map.of("every", "PT1S", "startAt", "1970-01-01T00:00:00Z", "type", "echo"), ScheduleOrigin.API).startAt());
    }

    @Test
    void namesAreChecked() {
        Map<String, String> fields = Map.of("every", "PT1S", "type", "echo");
        assertThrows(InvalidScheduleException.class, () -> specs.define("has space", fields, ScheduleOrigin.API));
        assertThrows(InvalidScheduleException.class, () -> specs.define(".hidden", fields, ScheduleOrigin.API));
        assertThrows(InvalidScheduleException.class, () -> specs.define("x".repeat(201), fields, ScheduleOrigin.API));
        assertEquals("nightly.report_v2-a", specs.define("nightly.report_v2-a", fields, ScheduleOrigin.API).name());
    }
}
