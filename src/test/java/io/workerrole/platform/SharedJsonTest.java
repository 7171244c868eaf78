package io.workerrole.platform;

import jakarta.json.JsonException;
import jakarta.json.JsonValue;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SharedJsonTest {

    @Test
    void oneValueWithWhitespaceAroundIt() {
        JsonValue value = SharedJson.readWhole("  {\"type\": \"echo\"}\n\n");

        assertEquals("echo", value.asJsonObject().getString("type"));
        assertEquals(JsonValue.TRUE, SharedJson.readWhole("true"));
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"{\"type\": \"a\"} {\"type\": \"b\"}", "{\"type\": \"a\"}}", "{\"type\": \"a\"} trailing", "[1] [2]", "1 2"})
    void textAfterTheValueIsRefusedWithWhereItIs(String text) {
        JsonException e = assertThrows(JsonException.class, () -> SharedJson.readWhole(text));

        assertTrue(e.getMessage().startsWith("there is more after the JSON value, at line 1, column "), e.getMessage());
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @ValueSource(strings = {"", "   ", "{\"type\": ", "nul"})
    void whatIsNoValueIsRefused(String text) {
        assertThrows(JsonException.class, () -> SharedJson.readWhole(text));
    }
}
