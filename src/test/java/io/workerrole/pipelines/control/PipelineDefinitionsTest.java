package io.workerrole.pipelines.control;

import io.workerrole.api.Pipeline;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PipelineDefinitionsTest {

    @Test
    void aPipelineReadsBackAsItWasWritten() {
        Pipeline order = PipelineDefinitions.parse("order", """
                {"steps": [{"type": "reserve", "compensation": "release"},
                           {"type": "charge", "deadline": "PT5M", "deadlineRetries": 2, "priority": 7},
                           {"type": "ship", "name": "send", "fanOut": true}]}""");

        assertEquals("release", order.steps().get(0).compensation());
        assertEquals(Duration.ofMinutes(5), order.steps().get(1).deadline());
        assertEquals(2, order.steps().get(1).deadlineRetries());
        assertEquals("send", order.steps().get(2).name());
        assertTrue(order.steps().get(2).fanOut());
        assertEquals(order, PipelineDefinitions.parse("order", PipelineDefinitions.toJson(order).toString()));
    }

    @Test
    void wrongDefinitionsAreRefusedNamingTheField() {
        assertMessage("compensaton", "{\"steps\": [{\"type\": \"a\", \"compensaton\": \"b\"}]}");
        assertMessage("steps[0].type", "{\"steps\": [{\"name\": \"a\"}]}");
        assertMessage("deadline", "{\"steps\": [{\"type\": \"a\", \"deadline\": \"5 minutes\"}]}");
        assertMessage("two steps named a", "{\"steps\": [{\"type\": \"a\"}, {\"type\": \"a\"}]}");
        assertMessage("1 to 100 steps", "{\"steps\": []}");
        assertMessage("not JSON", "{\"steps\": ");
        assertMessage("name in the URL", "{\"name\": \"other\", \"steps\": [{\"type\": \"a\"}]}");
    }

    private static void assertMessage(String expected, String json) {
        InvalidPipelineException e = assertThrows(InvalidPipelineException.class, () -> PipelineDefinitions.parse("p", json));
        assertTrue(e.getMessage().contains(expected), e.getMessage());
    }
}
