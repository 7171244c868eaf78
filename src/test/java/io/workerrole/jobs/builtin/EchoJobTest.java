package io.workerrole.jobs.builtin;

import jakarta.json.Json;
import jakarta.json.JsonValue;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class EchoJobTest {

    private final EchoJob echo = new EchoJob();

    @Test
    void anObjectPayloadIsTheResult() {
        assertEquals(Json.createObjectBuilder().add("a", 1).add("b", Json.createArrayBuilder().add("x")).build(),
                echo.handle(new FakeJobContext("{\"a\": 1, \"b\": [\"x\"]}")));
    }

    @Test
    void aScalarPayloadIsTheResult() {
        assertEquals(Json.createValue("plain"), echo.handle(new FakeJobContext("\"plain\"")));
        assertEquals(Json.createValue(42), echo.handle(new FakeJobContext("42")));
    }

    @Test
    void noPayloadGivesJsonNull() {
        assertEquals(JsonValue.NULL, echo.handle(new FakeJobContext(null)));
    }
}
