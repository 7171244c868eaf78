package io.workerrole.jobs.builtin;

import jakarta.json.Json;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class EchoJobTest {

    @Test
    void returnsThePayloadAsSent() {
        assertEquals(Json.createObjectBuilder().add("a", 1).add("b", Json.createArrayBuilder().add("x")).build(),
                new EchoJob().handle(new FakeJobContext("{\"a\": 1, \"b\": [\"x\"]}")));
        assertEquals(Json.createValue("plain"), new EchoJob().handle(new FakeJobContext("\"plain\"")));
    }
}
