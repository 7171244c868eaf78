package io.workerrole.role.boundary;

import io.workerrole.platform.rest.InvalidRequestException;
import io.workerrole.role.entity.Hold;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.Instant;
import java.util.List;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What {@code PUT /api/fleet/freeze} takes, and what it refuses with the reason. */
class FleetFreezeRequestTest {

    private static final Instant NOW = Instant.parse("2026-12-07T12:00:00Z");

    @Test
    void noBodyOrNoTypesHoldsTheWholeFleetUntilLifted() {
        for (String body : List.of("", "{}", "{\"types\": null}")) {
            assertEquals(List.of(new Hold(Hold.FLEET, "ops", null, NOW, null)), FleetFreezeRequest.parse(body, NOW).holds("ops", NOW), body);
        }
    }

    @Test
    void typesAreHeldEachOnceWithTheReasonAndTheEndGivenInAnyOffset() {
        FleetFreezeRequest request = FleetFreezeRequest.parse(
                "{\"types\": [\"thumbnail\", \" mail \", \"thumbnail\"], \"until\": \"2026-12-07T14:30:00+01:00\", \"reason\": \"images down\"}", NOW);

        Instant until = Instant.parse("2026-12-07T13:30:00Z");
        assertEquals(List.of(new Hold("thumbnail", "ops", "images down", NOW, until), new Hold("mail", "ops", "images down", NOW, until)),
                request.holds("ops", NOW));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "[]                                       | 400 | must be a JSON object",
            "{\"types\": [\"a\"]} x                   | 400 | not JSON",
            "{\"untill\": \"2026-12-08T00:00:00Z\"}   | 422 | unknown field \"untill\"",
            "{\"types\": \"a\"}                       | 422 | must be an array",
            "{\"types\": []}                          | 422 | leave it out to hold the whole fleet",
            "{\"types\": [\"*\"]}                     | 422 | \"*\" is no type",
            "{\"types\": [\" \"]}                     | 422 | must hold job type names",
            "{\"types\": [1]}                         | 422 | must hold job type names",
            "{\"until\": \"2026-12-07T11:59:59Z\"}    | 422 | has passed",
            "{\"until\": \"2026-12-07T12:00:00Z\"}    | 422 | has passed",
            "{\"until\": \"tomorrow\"}                | 422 | a time with its offset",
            "{\"until\": \"2026-12-08T00:00:00\"}     | 422 | a time with its offset",
            "{\"reason\": 5}                          | 422 | must be text",
    })
    void aWrongBodyIsRefusedWithTheReason(String body, int status, String reason) {
        InvalidRequestException refused = assertThrows(InvalidRequestException.class, () -> FleetFreezeRequest.parse(body, NOW));
        assertEquals(status, refused.kind().httpStatus(), refused.getMessage());
        assertTrue(refused.getMessage().contains(reason), refused.getMessage());
    }

    @Test
    void tooManyTypesOrTooLongAReasonIsRefused() {
        String types = "{\"types\": [" + String.join(", ", IntStream.rangeClosed(0, FleetFreezeRequest.MAX_TYPES)
                .mapToObj(i -> "\"t" + i + "\"").toList()) + "]}";
        assertThrows(InvalidRequestException.class, () -> FleetFreezeRequest.parse(types, NOW));
        String reason = "{\"reason\": \"" + "x".repeat(FleetFreezeRequest.MAX_REASON_LENGTH + 1) + "\"}";
        assertThrows(InvalidRequestException.class, () -> FleetFreezeRequest.parse(reason, NOW));
    }
}
