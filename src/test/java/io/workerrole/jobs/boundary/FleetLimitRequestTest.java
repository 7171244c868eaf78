package io.workerrole.jobs.boundary;

import io.workerrole.platform.rest.InvalidRequestException;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class FleetLimitRequestTest {

    @Test
    void eitherLimitMayBeLeftOut() {
        assertEquals(new FleetLimitRequest(5, 20.0), FleetLimitRequest.parse("{\"concurrency\": 5, \"perSecond\": 20}"));
        assertEquals(new FleetLimitRequest(5, null), FleetLimitRequest.parse("{\"concurrency\": 5}"));
        assertEquals(new FleetLimitRequest(null, 0.5), FleetLimitRequest.parse("{\"perSecond\": 0.5, \"concurrency\": null}"));
    }

    @Test
    void aWrongFieldIsRefusedByName() {
        Map<String, String> refused = Map.of(
                "{}", "give \"concurrency\", \"perSecond\" or both",
                "{\"concurrency\": 0}", "\"concurrency\" must be a whole number from 1 to 100000",
                "{\"concurrency\": 2.5}", "\"concurrency\"",
                "{\"concurrency\": 100001}", "\"concurrency\"",
                "{\"concurrency\": \"5\"}", "\"concurrency\"",
                "{\"perSecond\": 0}", "\"perSecond\" must be from 0.001",
                "{\"perSecond\": 1e9}", "\"perSecond\"",
                "{\"perSecond\": \"fast\"}", "\"perSecond\" must be a number",
                "{\"concurency\": 5}", "unknown field \"concurency\"");
        refused.forEach((body, reason) -> {
            InvalidRequestException e = assertThrows(InvalidRequestException.class, () -> FleetLimitRequest.parse(body), body);
            assertEquals(InvalidRequestException.Kind.INVALID, e.kind(), body);
            assertTrue(e.getMessage().contains(reason), body + ": " + e.getMessage());
        });
    }

    @Test
    void whatIsNotAJsonObjectIsMalformed() {
        for (String body : new String[] {"", "[5]", "{\"concurrency\": "}) {
            assertEquals(InvalidRequestException.Kind.MALFORMED,
                    assertThrows(InvalidRequestException.class, () -> FleetLimitRequest.parse(body), body).kind(), body);
        }
    }

    @Test
    void theTypeInThePathIsBounded() {
        assertEquals("mail", FleetLimitRequest.type(" mail "));
        assertThrows(InvalidRequestException.class, () -> FleetLimitRequest.type(" "));
        assertThrows(InvalidRequestException.class, () -> FleetLimitRequest.type("x".repeat(201)));
    }
}
