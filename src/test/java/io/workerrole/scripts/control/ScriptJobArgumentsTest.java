package io.workerrole.scripts.control;

import io.workerrole.api.NonRetryableJobException;
import jakarta.json.Json;
import jakarta.json.JsonValue;
import org.junit.jupiter.api.Test;

import java.io.StringReader;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class ScriptJobArgumentsTest {

    private static JsonValue json(String text) {
        return Json.createReader(new StringReader(text)).readValue();
    }

    @Test
    void theArgumentsAreTheStringsOfArgs() {
        assertEquals(List.of("a", "b c", ""), ScriptJobArguments.of(json("{\"args\": [\"a\", \"b c\", \"\"]}")));
        assertEquals(List.of(), ScriptJobArguments.of(JsonValue.NULL));
        assertEquals(List.of(), ScriptJobArguments.of(json("{}")));
    }

    @Test
    void anArgumentWithANulCharacterIsRefusedNamingIt() {
        NonRetryableJobException e = assertThrows(NonRetryableJobException.class,
                () -> ScriptJobArguments.of(json("{\"args\": [\"fine\", \"a\\u0000b\"]}")));
        assertEquals("\"args\"[1] holds a NUL character, which no program argument can", e.getMessage());
    }

    @Test
    void argsThatAreNoArrayOfStringsAreRefused() {
        assertThrows(NonRetryableJobException.class, () -> ScriptJobArguments.of(json("{\"args\": \"a\"}")));
        assertThrows(NonRetryableJobException.class, () -> ScriptJobArguments.of(json("{\"args\": [1]}")));
        assertThrows(NonRetryableJobException.class, () -> ScriptJobArguments.of(json("[\"a\"]")));
    }
}
